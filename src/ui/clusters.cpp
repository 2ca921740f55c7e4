#include "clusters.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <unordered_map>
#include <vector>

namespace imroom::ui {

namespace {

constexpr std::size_t kMaxClusterCodepoints =
    16;  // longer runs of joiners are not one character: left as parts

// The stand-ins given so far, for the life of the page (a cluster keeps its stand-in: the atlas may hold it).
struct Registry {
  std::unordered_map<std::string, char32_t> codes;
  std::vector<std::string> texts;  // index: stand-in - kClusterFirst
};
Registry& registry() {
  static Registry r;
  return r;
}

bool regionalIndicator(char32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

// Codepoints that extend the one before into a cluster: variation selectors, skin tones, the keycap, tags,
// and combining marks of the general-purpose blocks.
bool extender(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3 ||
         (c >= 0xE0020 && c <= 0xE007F) || (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) ||
         (c >= 0xE0100 && c <= 0xE01EF);
}

constexpr char32_t kZwj = 0x200D;

char32_t standIn(std::string_view cluster) {
  Registry& r = registry();
  const auto it = r.codes.find(std::string(cluster));
  if (it != r.codes.end()) return it->second;
  if (r.texts.size() > kClusterLast - kClusterFirst) return 0;  // all given: left as parts
  const char32_t code = kClusterFirst + static_cast<char32_t>(r.texts.size());
  r.texts.emplace_back(cluster);
  r.codes.emplace(std::string(cluster), code);
  return code;
}

}  // namespace

bool isCluster(char32_t c) {
  return c >= kClusterFirst && c <= kClusterLast;
}

void appendUtf8(std::string& out, char32_t c) {
  char buf[5];
  out += ImTextCharToUtf8(buf, static_cast<unsigned int>(c));  // ImGui's encoder, the twin of its decoder
}

std::string clusterText(char32_t stand_in) {
  const Registry& r = registry();
  if (!isCluster(stand_in) || stand_in - kClusterFirst >= r.texts.size()) return {};
  return r.texts[stand_in - kClusterFirst];
}

std::string withClusters(std::string_view text) {
  // Everything below U+0300 is one codepoint per character: no lead byte from 0xCC up, nothing to do.
  bool maybe = false;
  for (char ch : text)
    if (static_cast<unsigned char>(ch) >= 0xCC) {
      maybe = true;
      break;
    }
  if (!maybe) return std::string(text);

  struct Cp {
    char32_t c;
    std::size_t at, size;
  };
  std::vector<Cp> cps;
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* s = begin; s < end;) {
    unsigned int c = static_cast<unsigned char>(*s);
    int n = 1;
    if (c >= 0x80) n = ImTextCharFromUtf8(&c, s, end);  // ImGui's decoder: invalid bytes are U+FFFD, as drawn
    if (n <= 0) n = 1;
    cps.push_back(
        {static_cast<char32_t>(c), static_cast<std::size_t>(s - begin), static_cast<std::size_t>(n)});
    s += n;
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < cps.size();) {
    std::size_t j = i + 1;
    if (regionalIndicator(cps[i].c) && j < cps.size() && regionalIndicator(cps[j].c)) {
      ++j;  // a flag
    } else {
      while (j < cps.size()) {
        if (extender(cps[j].c)) {
          ++j;
        } else if (cps[j].c == kZwj && j + 1 < cps.size()) {
          j += 2;  // joined to the next character
        } else {
          break;
        }
      }
    }
    const std::size_t from = cps[i].at, to = cps[j - 1].at + cps[j - 1].size;
    const char32_t code =
        j - i > 1 && j - i <= kMaxClusterCodepoints ? standIn(text.substr(from, to - from)) : 0;
    if (code) {
      appendUtf8(out, code);
      i = j;
      continue;
    }
    // One codepoint (or a run too long to be one character) as it is; a stand-in's range is never taken as is.
    for (; i < j; ++i) {
      if (isCluster(cps[i].c))
        appendUtf8(out, 0xFFFD);
      else
        out.append(text.substr(cps[i].at, cps[i].size));
    }
  }
  return out;
}

}  // namespace imroom::ui
