#include "origin_policy.hpp"

#include <algorithm>

namespace imroom::server {

namespace {

// Adds `value` to the response's Vary header (one header, comma-separated).
void addVary(HttpResponse& res, const std::string& value) {
  for (auto& [name, v] : res.headers) {
    if (name == "Vary") {
      v += ", " + value;
      return;
    }
  }
  res.set("Vary", value);
}

bool crossOrigin(const HttpRequest& req) {
  if (req.origin.empty()) return false;
  std::string own = std::string(req.secure ? "https://" : "http://") + req.host;
  return req.origin != own;
}

}  // namespace

bool OriginPolicy::allows(std::string_view origin, std::string_view host, bool secure) const {
  if (origin.empty()) return true;  // not a browser page: Origin checks guard against other sites' pages
  std::string own = std::string(secure ? "https://" : "http://") + std::string(host);
  if (origin == own) return true;
  return std::any_of(allowed_.begin(), allowed_.end(), [&](const std::string& a) { return a == "*" || a == origin; });
}

HttpResponse OriginPolicy::preflight(const HttpRequest& req) const {
  if (!allows(req.origin, req.host, req.secure)) {
    HttpResponse res = textResponse(403, R"({"s":"error","v":"origin_not_allowed"})", "application/json");
    addVary(res, "Origin");
    return res;
  }
  HttpResponse res;
  res.status = 204;
  if (crossOrigin(req)) res.set("Access-Control-Allow-Origin", req.origin);
  res.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT");
  res.set("Access-Control-Allow-Headers", "Content-Type");
  res.set("Access-Control-Max-Age", "600");
  addVary(res, "Origin");
  return res;
}

void OriginPolicy::decorate(const HttpRequest& req, HttpResponse& res) const {
  if (crossOrigin(req) && allows(req.origin, req.host, req.secure)) res.set("Access-Control-Allow-Origin", req.origin);
  // With other sites allowed, answers differ by Origin: caches must keep them apart.
  if (!allowed_.empty()) addVary(res, "Origin");
  const std::string* type = res.header("Content-Type");
  if (type && type->rfind("text/html", 0) == 0) {
    // Which sites may frame our pages: our own and the allowed ones (the widget is meant to be embedded).
    std::string ancestors = "'self'";
    for (const std::string& a : allowed_) ancestors += " " + a;
    res.set("Content-Security-Policy", "frame-ancestors " + ancestors);
    // Cross-origin isolation: no window of another site shares our pages' process group or reaches them by
    // window.opener, and nothing of another site loads into them unless it agrees. Our pages load only our own
    // files, so nothing is lost. The browser then gives them its precise clock (performance.now() to ~5 µs
    // instead of 100 µs), which the text rooms benchmark needs for round trips of about a millisecond.
    res.set("Cross-Origin-Opener-Policy", "same-origin");
    res.set("Cross-Origin-Embedder-Policy", "require-corp");
  }
}

}  // namespace imroom::server
