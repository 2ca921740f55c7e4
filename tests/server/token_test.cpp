#include "token.hpp"

#include <gtest/gtest.h>

namespace imroom::server {
namespace {

TEST(Token, IssuedTokensVerifyWithTheirClaims) {
  TokenSigner signer("k3y-k3y-k3y-k3y-k3y");
  std::string token = signer.issue({"imroom/lobby", "ann", "page-1", 1000});
  TokenCheck check = signer.verify(token, 999);
  ASSERT_TRUE(check.claims);
  EXPECT_EQ(check.claims->path, "imroom/lobby");
  EXPECT_EQ(check.claims->user, "ann");
  EXPECT_EQ(check.claims->client, "page-1");
  EXPECT_EQ(check.claims->expiry, 1000);
  for (char c : token) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
}

TEST(Token, ExpiredForgedAndForeignTokensFail) {
  TokenSigner signer("secret-one");
  std::string token = signer.issue({"imroom/lobby", "ann", "", 1000});
  EXPECT_EQ(signer.verify(token, 1000).error, TokenError::kExpired);
  EXPECT_EQ(TokenSigner("secret-two").verify(token, 1).error, TokenError::kBadSignature);
  // Change the claims (another room), keep the signature: forged.
  std::string forged_body = base64UrlEncode(R"({"p":"imroom/other","u":"ann","c":"","e":1000})");
  std::string forged = forged_body + token.substr(token.find('.'));
  EXPECT_EQ(signer.verify(forged, 1).error, TokenError::kBadSignature);
  EXPECT_FALSE(signer.verify("", 1).claims);
  EXPECT_FALSE(signer.verify("no-dot", 1).claims);
  EXPECT_FALSE(signer.verify("a.b.c", 1).claims);
  EXPECT_FALSE(signer.verify(std::string(5000, 'a') + ".b", 1).claims);
  EXPECT_EQ(tokenErrorCode(TokenError::kExpired), "token_expired");
  EXPECT_EQ(tokenErrorCode(TokenError::kBadSignature), "bad_token");
}

TEST(Token, SignedButInvalidUserIsRefused) {
  TokenSigner signer("s");
  std::string body = base64UrlEncode(R"({"p":"imroom/a","u":"../x","c":"","e":99})");
  // Sign it properly, to prove the user check does not rely on the signature.
  std::string token = signer.issue({"imroom/a", "x", "", 99});
  EXPECT_TRUE(signer.verify(token, 1).claims);
  EXPECT_FALSE(signer.verify(body + ".AAAA", 1).claims);
}

TEST(Base64, RoundTripsAndRejectsJunk) {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64Decode(base64Encode(s)), s);
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(s)), s);
  }
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(base64Decode("Zm9v!"));
  EXPECT_FALSE(base64UrlDecode("Z"));
}

TEST(TurnCredential, MatchesCoturnsRestApiFormula) {
  // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?")
  EXPECT_EQ(base64Encode(hmacSha1("Jefe", "what do ya want for nothing?")), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

}  // namespace
}  // namespace imroom::server
