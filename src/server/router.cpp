#include "router.hpp"

#include <string>

#include "version.hpp"

namespace imroom::server {

Router::Router(StaticFiles files, Clock clock)
    : files_(std::move(files)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      started_(clock_()) {}

HttpResponse Router::handle(const HttpRequest& req) const {
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  if (path == "/healthz") {
    if (req.method != "GET" && req.method != "HEAD") {
      HttpResponse res = textResponse(405, "method not allowed");
      res.set("Allow", "GET, HEAD");
      return res;
    }
    return health();
  }
  return files_.serve(req);
}

HttpResponse Router::health() const {
  auto up = std::chrono::duration_cast<std::chrono::seconds>(clock_() - started_).count();
  std::string body = R"({"status":"ok","version":")" + std::string(kVersion) +
                     R"(","uptime_s":)" + std::to_string(up) + "}";
  return textResponse(200, std::move(body), "application/json");
}

}  // namespace imroom::server
