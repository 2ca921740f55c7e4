#include "token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <nlohmann/json.hpp>

#include "names.hpp"

namespace imroom::server {

namespace {

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode(std::string_view bytes, bool url) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kB64[(v >> 6) & 63]);
    if (!url) out.append(rest == 1 ? "==" : "=");
  }
  if (url) {
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::optional<std::string> decode(std::string_view text, bool url) {
  if (!url) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  }
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : text) {
    int d;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    else if (c >= '0' && c <= '9') d = c - '0' + 52;
    else if (c == (url ? '-' : '+')) d = 62;
    else if (c == (url ? '_' : '/')) d = 63;
    else return std::nullopt;
    v = (v << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((v >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // a dangling character is not valid base64
  return out;
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

}  // namespace

std::string base64UrlEncode(std::string_view bytes) { return encode(bytes, true); }
std::optional<std::string> base64UrlDecode(std::string_view text) { return decode(text, true); }
std::string base64Encode(std::string_view bytes) { return encode(bytes, false); }
std::optional<std::string> base64Decode(std::string_view text) { return decode(text, false); }
std::string hmacSha1(std::string_view key, std::string_view data) { return hmac(EVP_sha1(), key, data); }

bool constantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view tokenErrorCode(TokenError e) { return e == TokenError::kExpired ? "token_expired" : "bad_token"; }

TokenSigner::TokenSigner(std::string secret) : secret_(std::move(secret)) {}

std::string TokenSigner::randomSecret() {
  std::string s(32, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(s.size()));
  return s;
}

std::string TokenSigner::mac(std::string_view data) const { return hmac(EVP_sha256(), secret_, data); }

std::string TokenSigner::issue(const TokenClaims& c) const {
  nlohmann::json payload = {{"p", c.path}, {"u", c.user}, {"c", c.client}, {"e", c.expiry}};
  std::string body = base64UrlEncode(payload.dump());
  return body + "." + base64UrlEncode(mac(body));
}

TokenCheck TokenSigner::verify(std::string_view token, std::int64_t now) const {
  TokenCheck bad{std::nullopt, TokenError::kMalformed};
  if (token.size() > 2048) return bad;
  std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return bad;
  std::string_view body = token.substr(0, dot);
  auto sig = base64UrlDecode(token.substr(dot + 1));
  if (!sig) return bad;
  if (!constantTimeEquals(*sig, mac(body))) return {std::nullopt, TokenError::kBadSignature};
  auto json_text = base64UrlDecode(body);
  if (!json_text) return bad;
  auto j = nlohmann::json::parse(*json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad;
  auto str = [&](const char* k) { auto it = j.find(k); return it != j.end() && it->is_string(); };
  auto e = j.find("e");
  if (!str("p") || !str("u") || !str("c") || e == j.end() || !e->is_number_integer()) return bad;
  TokenClaims claims{j["p"].get<std::string>(), j["u"].get<std::string>(), j["c"].get<std::string>(),
                     e->get<std::int64_t>()};
  if (!core::isValidUserName(claims.user)) return bad;
  if (claims.expiry <= now) return {std::nullopt, TokenError::kExpired};
  return {std::move(claims), TokenError::kMalformed};
}

}  // namespace imroom::server
