// Proxy mode (PROTOCOL.md §1): the browser's /api/token, /api/host, /api/ice become calls to the Xirsys
// REST API with HTTP Basic ident:secret added here, and /api/join all three at once. Pure: builds the upstream
// requests and turns the upstream answers into the browser's answer. The ident and secret never appear in
// anything this returns.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http_types.hpp"

namespace imroom::server {

struct XirsysConfig {
  std::string ident;
  std::string secret;
  std::string channel;
  std::string url = "https://global.xirsys.net";  // scheme://host[:port][/base]
};

struct UpstreamRequest {
  std::string method;  // "PUT" | "GET"
  std::string target;  // "/_token/<channel>/<room>?k=<user>" (base path prepended by the client)
  std::string body;
};

struct UpstreamResult {
  enum class Failure { kNone, kUnavailable, kTimeout };
  Failure failure = Failure::kNone;
  int status = 0;
  std::string body;
};

class ProxyApi {
 public:
  explicit ProxyApi(XirsysConfig config);

  bool handles(std::string_view path) const;
  // The upstream calls for a browser request (made at once: one, or three for /api/join), or the browser's
  // error answer when the request is invalid.
  std::variant<std::vector<UpstreamRequest>, HttpResponse> plan(const HttpRequest& req) const;
  // The browser's answer for what the upstream said to each call (in the order of plan()), and how many of
  // those calls failed.
  struct Answer {
    HttpResponse response;
    int upstream_errors = 0;
  };
  Answer answer(const std::vector<UpstreamRequest>& sent, const std::vector<UpstreamResult>& got) const;
  // "Basic base64(ident:secret)" for the upstream Authorization header.
  std::string authorization() const;

  const XirsysConfig& config() const { return config_; }

 private:
  XirsysConfig config_;
};

}  // namespace imroom::server
