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
    {0x00D8, 0x00F6, kLatin},   {0x00F8, 0x01BF, kLatin},   {0x01C4, 0x024F, kLatin},   {0x0386, 0x0386, kGreek},
    {0x0388, 0x038A, kGreek},
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
      pairs(0x0179, 0x017E, false) || pairs(0x01CD, 0x01DC, false) || pairs(0x01DE, 0x01EF, true) ||
      pairs(0x01F4, 0x01F5, true) || pairs(0x01F8, 0x021F, true) || pairs(0x0222, 0x0233, true) ||
      pairs(0x1E00, 0x1E95, true) || pairs(0x1EA0, 0x1EFF, true)) {
    return cp + 1;
  }
  if (cp >= 0x01C4 && cp <= 0x01CC) return 0x01C6 + (cp - 0x01C4) / 3 * 3;  // DŽ Dž dž, LJ Lj lj, NJ Nj nj
  if (cp >= 0x01F1 && cp <= 0x01F3) return 0x01F3;                         // DZ Dz dz
  if (cp == 0x1E9E) return 0x00DF;                                          // ẞ
  if (cp == 0x0386) return 0x03AC;
  if (cp >= 0x0388 && cp <= 0x038A) return cp + 0x25;
  if (cp == 0x038C) return 0x03CC;
  if (cp == 0x038E || cp == 0x038F) return cp + 0x3F;
  if (cp >= 0x0391 && cp <= 0x03AB) return cp + 0x20;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  if (cp == 0x04C0) return 0x04CF;  // Ӏ
  if (pairs(0x0460, 0x0481, true) || pairs(0x048A, 0x04BF, true) || pairs(0x04C1, 0x04CE, false) ||
      pairs(0x04D0, 0x052F, true)) {
    return cp + 1;
  }
  if (cp >= 0x0531 && cp <= 0x0556) return cp + 0x30;
  return cp;
}

// Lower-case letters (and digits) that look like another character, mapped to it — a Latin letter or digit, or
// for kana and Han one of the pair. The skeleton folds case first, so each entry covers both cases of a letter;
// where the two cases look like different Latin letters (Greek Η/η: H and n) the capital decides, since names
// start with one. From Unicode's confusables list, for the scripts names may use; i, l, 1 and their look-alikes
// are one class. Sorted by code point.
struct LookAlike {
  std::int32_t from, to;
};
constexpr LookAlike kLookAlikes[] = {
    {'0', 'o'},     {'1', 'l'},     {'i', 'l'},     {0x0131, 'l'},  {0x0196, 'l'},  {0x01BF, 'p'},  {0x03AF, 'l'},
    {0x03B1, 'a'},  {0x03B2, 'b'},  {0x03B5, 'e'},  {0x03B6, 'z'},  {0x03B7, 'h'},  {0x03B9, 'l'},  {0x03BA, 'k'},
    {0x03BC, 'm'},  {0x03BD, 'n'},  {0x03BF, 'o'},  {0x03C1, 'p'},  {0x03C4, 't'},  {0x03C5, 'y'},  {0x03C7, 'x'},
    {0x03CA, 'l'},  {0x03CC, 'o'},  {0x0430, 'a'},  {0x0431, '6'},  {0x0432, 'b'},  {0x0433, 'r'},  {0x0435, 'e'},
    {0x0437, '3'},  {0x043A, 'k'},  {0x043C, 'm'},  {0x043D, 'h'},  {0x043E, 'o'},  {0x043F, 'n'},  {0x0440, 'p'},
    {0x0441, 'c'},  {0x0442, 't'},  {0x0443, 'y'},  {0x0445, 'x'},  {0x044C, 'b'},  {0x0455, 's'},  {0x0456, 'l'},
    {0x0458, 'j'},  {0x0461, 'w'},  {0x0475, 'v'},  {0x04AF, 'y'},  {0x04BB, 'h'},  {0x04CF, 'l'},  {0x0501, 'd'},
    {0x051B, 'q'},  {0x051D, 'w'},  {0x0561, 'w'},  {0x0563, 'q'},  {0x0570, 'h'},  {0x0575, '3'},  {0x0578, 'n'},
    {0x057D, 'u'},  {0x057F, 's'},  {0x0585, 'o'},  {0x10E7, 'y'},  {0x30A8, 0x5DE5}, {0x30AB, 0x529B},
    {0x30C8, 0x535C}, {0x30CB, 0x4E8C}, {0x30CF, 0x516B}, {0x30D8, 0x3078}, {0x30ED, 0x53E3}, {0x30FC, 0x4E00},
};

template <typename T, std::size_t N, typename Key>
constexpr bool sortedBy(const T (&table)[N], Key key) {
  for (std::size_t k = 1; k < N; ++k) {
    if (key(table[k - 1]) >= key(table[k])) return false;
  }
  return true;
}
static_assert(sortedBy(kLetters, [](const Range& r) { return r.first; }), "kLetters is searched by bisection");
static_assert(sortedBy(kLookAlikes, [](const LookAlike& l) { return l.from; }), "so is kLookAlikes");

std::int32_t lookAlike(std::int32_t cp) {
  auto it = std::lower_bound(std::begin(kLookAlikes), std::end(kLookAlikes), cp,
                             [](const LookAlike& l, std::int32_t c) { return l.from < c; });
  return it != std::end(kLookAlikes) && it->from == cp ? it->to : cp;
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
    appendUtf8(out, lookAlike(lowerCase(cp)));
  }
  replaceAll(out, "rn", "m");
  replaceAll(out, "vv", "w");
  return out;
}

}  // namespace imroom::core
