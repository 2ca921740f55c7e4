// Which other sites' pages may use this server, and the headers that tell browsers so: CORS on the API and the
// app's files (a page elsewhere that mounts the widget fetches the wasm and calls /api/* across origins), and
// `frame-ancestors` on the pages (which sites may put the widget in an <iframe>). Pure, unit-tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http_types.hpp"

namespace imroom::server {

class OriginPolicy {
 public:
  // `allowed`: origins besides the server's own ("https://example.com"), or "*" for any.
  explicit OriginPolicy(std::vector<std::string> allowed = {}) : allowed_(std::move(allowed)) {}

  // True when a page from `origin` may call the API or open sockets: no Origin (not a browser page), the
  // server's own origin (from the Host it was reached at), or one of the allowed.
  bool allows(std::string_view origin, std::string_view host, bool secure) const;

  // An OPTIONS preflight: 204 with what a cross-origin page may send, or 403 origin_not_allowed.
  HttpResponse preflight(const HttpRequest& req) const;

  // Adds the CORS headers for an allowed cross-origin request, and frame-ancestors to an HTML page.
  void decorate(const HttpRequest& req, HttpResponse& res) const;

 private:
  std::vector<std::string> allowed_;
};

}  // namespace imroom::server
