// Local-mode signaling tokens (PROTOCOL.md §3): base64url(payload).base64url(HMAC-SHA256(secret, payload)),
// payload {"p":path,"u":user,"c":client,"e":expiry}. Pure apart from OpenSSL's HMAC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imroom::server {

struct TokenClaims {
  std::string path;     // "<channel>/<room>"
  std::string user;
  std::string client;   // the page's client id, "" if none
  std::int64_t expiry = 0;  // unix seconds
};

enum class TokenError { kMalformed, kBadSignature, kExpired };
std::string_view tokenErrorCode(TokenError e);  // "bad_token" | "token_expired"

struct TokenCheck {
  std::optional<TokenClaims> claims;
  TokenError error = TokenError::kMalformed;
};

class TokenSigner {
 public:
  // secret: any bytes (at least 16 recommended); the server makes 32 random ones when none is configured.
  explicit TokenSigner(std::string secret);

  std::string issue(const TokenClaims& claims) const;
  TokenCheck verify(std::string_view token, std::int64_t now) const;

  // 32 random bytes from OpenSSL's CSPRNG.
  static std::string randomSecret();

 private:
  std::string mac(std::string_view data) const;
  std::string secret_;
};

std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);
std::string base64Encode(std::string_view bytes);  // standard alphabet, padded (TURN credentials, Basic auth)
std::optional<std::string> base64Decode(std::string_view text);
std::string hmacSha1(std::string_view key, std::string_view data);  // raw 20 bytes (TURN REST API)
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace imroom::server
