// Any body and target for the credential endpoints: always a JSON {"s":...} answer with a 2xx/4xx status.
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "signaling_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imroom::server;
  static TokenSigner signer("fuzz");
  static SignalingApi api(SignalingConfig{"imroom", "", {"stun:x"}, {"turn:x"}, "t", 60, 60, {{"id", "pw"}}},
                          signer, [] { return std::int64_t{1000}; });
  if (size < 2) return 0;
  const char* paths[] = {"/api/token", "/api/host", "/api/ice", "/_token/", "/_host/", "/_turn/"};
  HttpRequest req;
  req.method = data[0] & 1 ? "POST" : (data[0] & 2 ? "PUT" : "GET");
  std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  std::size_t split = data[1] % (rest.size() + 1);
  req.target = std::string(paths[(data[0] >> 2) % 6]) + rest.substr(0, split);
  req.body = rest.substr(split);
  req.authorization = data[0] & 0x80 ? "Basic aWQ6cHc=" : "";
  auto res = api.handle(req);
  if (!res) return 0;
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (j.is_discarded() || !j.contains("s")) std::abort();
  if (res->status >= 500) std::abort();
  return 0;
}
