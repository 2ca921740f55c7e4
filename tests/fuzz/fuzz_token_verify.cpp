// Any string as a token: verification never crashes and never accepts what the key did not sign.
#include <cstdlib>

#include "token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imroom::server;
  static TokenSigner signer("fuzz-key");
  std::string_view token(reinterpret_cast<const char*>(data), size);
  TokenCheck check = signer.verify(token, 0);
  if (check.claims && signer.issue(*check.claims) != token) {
    // A valid token must be exactly one we could have issued (same claims, same encoding).
    std::abort();
  }
  return 0;
}
