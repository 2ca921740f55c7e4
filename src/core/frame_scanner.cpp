#include "frame_scanner.hpp"

#include <cstdint>
#include <cstring>

namespace imroom::core {

namespace {

constexpr int kMaxDepth = 64;

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    return true;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool atEnd() {
    ws();
    return i_ == s_.size();
  }
  char peek() {
    ws();
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  std::size_t pos() const { return i_; }
  std::string_view slice(std::size_t from, std::size_t to) const { return s_.substr(from, to - from); }

  // A string; `plain` tells whether it had no escapes. Bytes >= 0x80 are refused (full parser checks UTF-8).
  bool string(std::string_view* out, bool* plain) {
    if (!eat('"')) return false;
    std::size_t start = i_;
    *plain = true;
    while (i_ < s_.size()) {
      // Eight bytes at a time: straight to the first that ends the string, escapes, or is refused.
      if (s_.size() - i_ >= 8) {
        const std::uint64_t special = specialBytes(s_.data() + i_);
        if (special == 0) {
          i_ += 8;
          continue;
        }
        i_ += firstFlagged(special);
      }
      auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        if (out) *out = s_.substr(start, i_ - start);
        ++i_;
        return true;
      }
      if (c < 0x20 || c >= 0x80) return false;
      if (c == '\\') {
        *plain = false;
        if (++i_ >= s_.size()) return false;
        char e = s_[i_];
        if (e == 'u') {
          unsigned unit = 0;
          for (int k = 0; k < 4; ++k) {
            if (++i_ >= s_.size() || !isHex(s_[i_])) return false;
            unit = unit * 16 + hexValue(s_[i_]);
          }
          // A surrogate must come in a high-low pair, which the full parser checks: left to it.
          if (unit >= 0xD800 && unit <= 0xDFFF) return false;
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          return false;
        }
      }
      ++i_;
    }
    return false;
  }

  bool value(int depth) {
    char c = peek();
    if (c == '{') return object(depth + 1);
    if (c == '[') return array(depth + 1);
    if (c == '"') {
      bool plain;
      return string(nullptr, &plain);
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }

 private:
  // The high bit of each of the 8 bytes at `p` (in memory order: the first byte is the lowest) that is '"',
  // '\\', below 0x20 or above 0x7F — by the classic "some byte is zero / less than n" bit tricks. A borrow can
  // only flag bytes after a real match, so the lowest flag is exact and "none flagged" is exact.
  static std::uint64_t specialBytes(const char* p) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (!kLittleEndian) w = __builtin_bswap64(w);
    auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    return has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\')) | ((w - kOnes * 0x20) & ~w & kHighs) |
           (w & kHighs);
  }
  static std::size_t firstFlagged(std::uint64_t special) { return static_cast<std::size_t>(__builtin_ctzll(special)) / 8; }
  static constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
  static bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
  static unsigned hexValue(char c) {
    return c <= '9' ? static_cast<unsigned>(c - '0') : static_cast<unsigned>((c | 0x20) - 'a' + 10);
  }
  static bool isDigit(char c) { return c >= '0' && c <= '9'; }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool digits() {
    std::size_t start = i_;
    while (i_ < s_.size() && isDigit(s_[i_])) ++i_;
    return i_ > start;
  }
  // Numbers whose size could overflow a double (long mantissas, 3-digit exponents) go to the full parser,
  // which rejects what it cannot represent.
  bool number() {
    std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (i_ - start > 17) return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      std::size_t exp = i_;
      if (!digits() || i_ - exp > 2) return false;
    }
    return true;
  }
  bool object(int depth) {
    if (depth > kMaxDepth || !eat('{')) return false;
    if (eat('}')) return true;
    do {
      bool plain;
      if (!string(nullptr, &plain) || !eat(':') || !value(depth)) return false;
    } while (eat(','));
    return eat('}');
  }
  bool array(int depth) {
    if (depth > kMaxDepth || !eat('[')) return false;
    if (eat(']')) return true;
    do {
      if (!value(depth)) return false;
    } while (eat(','));
    return eat(']');
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// Scans the "m" object: m.o must be a plain string, m.t a plain string or null; other keys are skipped.
bool scanMeta(Scanner& sc, FrameEnvelope& env) {
  if (!sc.eat('{')) return false;
  bool seen_o = false, seen_t = false, seen_f = false;
  if (sc.eat('}')) return false;  // no m.o
  do {
    std::string_view key;
    bool plain;
    if (!sc.string(&key, &plain) || !plain || !sc.eat(':')) return false;
    if (key == "o") {
      if (seen_o || sc.peek() != '"' || !sc.string(&env.op, &plain) || !plain) return false;
      seen_o = true;
    } else if (key == "t") {
      if (seen_t) return false;
      seen_t = true;
      if (sc.peek() == '"') {
        if (!sc.string(&env.to, &plain) || !plain) return false;
        env.has_to = true;
      } else {
        std::size_t start = sc.pos();
        if (!sc.value(1) || sc.slice(start, sc.pos()) != "null") return false;
      }
    } else {
      if (key == "f") {
        if (seen_f) return false;
        seen_f = true;
      }
      if (!sc.value(1)) return false;
    }
  } while (sc.eat(','));
  return sc.eat('}') && seen_o;
}

}  // namespace

std::optional<FrameEnvelope> scanFrame(std::string_view text) {
  Scanner sc(text);
  FrameEnvelope env;
  env.payload = "null";
  if (!sc.eat('{')) return std::nullopt;
  bool seen_t = false, seen_m = false, seen_p = false;
  if (sc.eat('}')) return std::nullopt;
  do {
    std::string_view key, t;
    bool plain;
    if (!sc.string(&key, &plain) || !plain || !sc.eat(':')) return std::nullopt;
    if (key == "t") {
      if (seen_t || !sc.string(&t, &plain) || t != "u") return std::nullopt;
      seen_t = true;
    } else if (key == "m") {
      if (seen_m || !scanMeta(sc, env)) return std::nullopt;
      seen_m = true;
    } else if (key == "p") {
      if (seen_p) return std::nullopt;
      sc.ws();
      std::size_t start = sc.pos();
      if (!sc.value(0)) return std::nullopt;
      env.payload = sc.slice(start, sc.pos());
      seen_p = true;
    } else if (!sc.value(0)) {
      return std::nullopt;
    }
  } while (sc.eat(','));
  if (!sc.eat('}') || !sc.atEnd() || !seen_t || !seen_m) return std::nullopt;
  return env;
}

}  // namespace imroom::core
