#include "names.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace imroom::core {

namespace {

bool isRoomChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The next code point of `s` from `i` (advanced past it); -1 for bytes that are not UTF-8 (overlong forms,
// surrogates, past U+10FFFF, truncated sequences).
std::int32_t nextCodePoint(std::string_view s, std::size_t& i) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  const int extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
  if (extra < 0 || s.size() - i <= static_cast<std::size_t>(extra)) return -1;
  std::int32_t cp = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr std::int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void appendUtf8(std::string& out, std::int32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

enum Script : unsigned {
  kNotAllowed = 0,
  kCommon = 1u << 0,  // ASCII digits, '-', '_'
  kLatin = 1u << 1,
  kGreek = 1u << 2,
  kCyrillic = 1u << 3,
  kArmenian = 1u << 4,
  kGeorgian = 1u << 5,
  kHan = 1u << 6,
  kKana = 1u << 7,  // hiragana and katakana
  kHangul = 1u << 8,
};

struct Range {
  std::int32_t first, last;
  Script script;
};

// The letters a user name may use, by script (sorted). Combining marks are not among them: a name is written
// with precomposed letters, so "é" has one spelling.
constexpr Range kLetters[] = {
    {'0', '9', kCommon},        {'A', 'Z', kLatin},         {'a', 'z', kLatin},         {0x00C0, 0x00D6, kLatin},
    {0x00D8, 0x00F6, kLatin},   {0x00F8, 0x024F, kLatin},   {0x0386, 0x0386, kGreek},   {0x0388, 0x038A, kGreek},
    {0x038C, 0x038C, kGreek},   {0x038E, 0x03A1, kGreek},   {0x03A3, 0x03CE, kGreek},   {0x0400, 0x0481, kCyrillic},
    {0x048A, 0x052F, kCyrillic}, {0x0531, 0x0556, kArmenian}, {0x0561, 0x0587, kArmenian}, {0x10D0, 0x10FA, kGeorgian},
    {0x10FD, 0x10FF, kGeorgian}, {0x1E00, 0x1EFF, kLatin},   {0x3041, 0x3096, kKana},    {0x309D, 0x309F, kKana},
    {0x30A1, 0x30FA, kKana},    {0x30FC, 0x30FF, kKana},    {0x3400, 0x4DBF, kHan},     {0x4E00, 0x9FFF, kHan},
    {0xAC00, 0xD7A3, kHangul},  {0x20000, 0x2A6DF, kHan},
};

Script scriptOf(std::int32_t cp) {
  if (cp == '-' || cp == '_') return kCommon;
  auto it = std::upper_bound(std::begin(kLetters), std::end(kLetters), cp,
                             [](std::int32_t c, const Range& r) { return c < r.first; });
  if (it == std::begin(kLetters)) return kNotAllowed;
  --it;
  return cp <= it->last ? it->script : kNotAllowed;
}

// Scripts that may share a name: one of these sets must hold all of a name's letters.
constexpr unsigned kScriptSets[] = {kLatin | kHan | kKana, kLatin | kHan | kHangul, kGreek, kCyrillic, kArmenian,
                                    kGeorgian};

bool oneScript(unsigned used) {
  used &= ~static_cast<unsigned>(kCommon);
  return std::any_of(std::begin(kScriptSets), std::end(kScriptSets),
                     [&](unsigned set) { return (used & ~set) == 0; });
}

// Letters that look like a Latin letter, by their look in their own case (from Unicode's confusables list, the
// letters of the scripts above). Sorted by code point.
struct LookAlike {
  std::int32_t from;
  char to;
};
constexpr LookAlike kLookAlikes[] = {
    {0x0131, 'i'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'},
    {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'},
    {0x03A7, 'X'}, {0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'},
    {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03F2, 'c'}, {0x03F3, 'j'}, {0x03F9, 'C'}, {0x0405, 'S'}, {0x0406, 'I'},
    {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'},
    {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'}, {0x0425, 'X'}, {0x042C, 'b'},
    {0x0430, 'a'}, {0x0433, 'r'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x043F, 'n'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0443, 'y'}, {0x0445, 'x'}, {0x044C, 'b'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x0461, 'w'},
    {0x04AE, 'Y'}, {0x04AF, 'y'}, {0x04BA, 'H'}, {0x04BB, 'h'}, {0x04C0, 'I'}, {0x04CF, 'l'}, {0x0501, 'd'},
    {0x051A, 'Q'}, {0x051B, 'q'}, {0x051C, 'W'}, {0x051D, 'w'},
};

std::int32_t lookAlike(std::int32_t cp) {
  auto it = std::lower_bound(std::begin(kLookAlikes), std::end(kLookAlikes), cp,
                             [](const LookAlike& l, std::int32_t c) { return l.from < c; });
  return it != std::end(kLookAlikes) && it->from == cp ? it->to : cp;
}

// Lower case for the letters a name may use (the scripts with case: Latin, Greek, Cyrillic, Armenian).
std::int32_t lowerCase(std::int32_t cp) {
  const auto pairs = [&](std::int32_t first, std::int32_t last, bool upper_even) {
    return cp >= first && cp <= last && ((cp % 2 == 0) == upper_even);
  };
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if (cp >= 0x00C0 && cp <= 0x00DE && cp != 0x00D7) return cp + 0x20;
  if (cp == 0x0178) return 0x00FF;
  if (cp == 0x0130) return 'i';  // "İ"
  if (pairs(0x0100, 0x0137, true) || pairs(0x0139, 0x0148, false) || pairs(0x014A, 0x0177, true) ||
      pairs(0x0179, 0x017E, false)) {
    return cp + 1;
  }
  if (cp == 0x0386) return 0x03AC;
  if (cp >= 0x0388 && cp <= 0x038A) return cp + 0x25;
  if (cp == 0x038C) return 0x03CC;
  if (cp == 0x038E || cp == 0x038F) return cp + 0x3F;
  if (cp >= 0x0391 && cp <= 0x03AB) return cp + 0x20;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  if (pairs(0x0460, 0x0481, true) || pairs(0x048A, 0x04BF, true) || pairs(0x04C1, 0x04CE, false) ||
      pairs(0x04D0, 0x052F, true)) {
    return cp + 1;
  }
  if (cp >= 0x0531 && cp <= 0x0556) return cp + 0x30;
  return cp;
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

bool isValidUserName(std::string_view name) { return userNameProblem(name).empty(); }
bool isValidRoomName(std::string_view room) { return roomNameProblem(room).empty(); }

std::string roomNameProblem(std::string_view room) {
  if (room.empty()) return "Enter a room.";
  if (room.size() > kMaxNameLength) return "The room is too long (at most 64 characters).";
  for (char c : room) {
    if (!isRoomChar(c)) {
      if (c == ' ') return "The room cannot contain spaces: use - or _ instead.";
      return "The room may only use Latin letters (a-z, A-Z), digits, - and _.";
    }
  }
  return {};
}

std::string userNameProblem(std::string_view name) {
  if (name.empty()) return "Enter a name.";
  if (name.size() > kMaxNameBytes) return "The name is too long (at most 64 characters).";
  std::size_t count = 0;
  unsigned used = 0;
  for (std::size_t i = 0; i < name.size();) {
    std::int32_t cp = nextCodePoint(name, i);
    if (cp < 0) return "The name is not valid text (UTF-8).";
    if (++count > kMaxNameLength) return "The name is too long (at most 64 characters).";
    Script script = scriptOf(cp);
    if (script == kNotAllowed) {
      if (cp == ' ' || cp == 0x3000 || cp == 0xA0) return "The name cannot contain spaces: use - or _ instead.";
      return "The name may only use letters, digits, - and _; letters in Latin, Greek, Cyrillic, Armenian, "
             "Georgian, Chinese, Japanese or Korean script.";
    }
    used |= script;
  }
  if (!oneScript(used)) {
    return "The name mixes letters of different scripts (such as Latin and Cyrillic), which could pass for "
           "someone else's name: use one script.";
  }
  return {};
}

std::string nameSkeleton(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    std::int32_t cp = nextCodePoint(name, i);
    if (cp < 0) {
      ++i;
      out += '?';
      continue;
    }
    cp = lookAlike(cp);
    if (cp == 'I' || cp == '1') cp = 'l';
    if (cp == '0') cp = 'o';
    appendUtf8(out, lowerCase(cp));
  }
  replaceAll(out, "rn", "m");
  replaceAll(out, "vv", "w");
  return out;
}

}  // namespace imroom::core
