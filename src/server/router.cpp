#include "router.hpp"

#include <string>

#include "version.hpp"

namespace imroom::server {

Router::Router(StaticFiles files, Clock clock)
    : files_(std::move(files)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      started_(clock_()) {}

void Router::setApi(const SignalingApi* api, double requests_per_second) {
  api_ = api;
  api_limiter_.emplace(requests_per_second, requests_per_second * 2);
}

double Router::uptime() const { return std::chrono::duration<double>(clock_() - started_).count(); }

HttpResponse Router::handle(const HttpRequest& req) {
  if (req.method == "OPTIONS") return origins_.preflight(req);
  HttpResponse res = route(req);
  origins_.decorate(req, res);
  return res;
}

HttpResponse Router::route(const HttpRequest& req) {
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  auto getOnly = [&](auto fn) {
    if (req.method != "GET" && req.method != "HEAD") {
      HttpResponse res = textResponse(405, "method not allowed");
      res.set("Allow", "GET, HEAD");
      return res;
    }
    return fn();
  };
  if (path == "/healthz") return getOnly([&] { return health(); });
  if (path == "/metrics" && metrics_) {
    return getOnly([&] { return textResponse(200, metrics_(), "text/plain; version=0.0.4; charset=utf-8"); });
  }
  bool api_path = path.rfind("/api/", 0) == 0 || path.rfind("/_token", 0) == 0 || path.rfind("/_host", 0) == 0 ||
                  path.rfind("/_turn", 0) == 0;
  if (api_path && api_) {
    if (!allowApi(req.remote)) return rateLimited();
    if (auto res = api_->handle(req)) return *res;
    return errorResponse(404, "not_found");
  }
  if (path == "/embed") {  // the widget page for <iframe src=".../embed?room=…">
    HttpRequest page = req;
    page.target = "/embed.html" + req.target.substr(path.size());
    return files_.serve(page);
  }
  return files_.serve(req);
}

bool Router::allowApi(const std::string& address) {
  return !api_limiter_ || api_limiter_->allow(address, uptime());
}

HttpResponse Router::rateLimited() {
  HttpResponse res = errorResponse(429, "rate_limited");
  res.set("Retry-After", "1");
  return res;
}

HttpResponse Router::health() const {
  auto up = std::chrono::duration_cast<std::chrono::seconds>(clock_() - started_).count();
  std::string body = R"({"status":"ok","version":")" + std::string(kVersion) +
                     R"(","uptime_s":)" + std::to_string(up) + "}";
  return textResponse(200, std::move(body), "application/json");
}

}  // namespace imroom::server
