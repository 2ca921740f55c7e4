// Plain HTTP request/response values passed between the Beast session and the pure router.
// Keeping Beast out of these lets the routing logic be unit-tested without sockets or heavy headers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace imroom::server {

struct HttpRequest {
  std::string method;           // "GET", "HEAD", ...
  std::string target;           // raw request target, e.g. "/app.js?v=1"
  std::string accept_encoding;  // Accept-Encoding header value ("" if absent)
  std::string if_none_match;    // If-None-Match header value ("" if absent)
  std::string remote;           // client address, for logs and per-address limits
  std::string host;             // Host header ("" if absent)
  std::string authorization;    // Authorization header ("" if absent)
  std::string origin;           // Origin header ("" if absent)
  bool secure = false;          // arrived over TLS
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;       // used when file_path is empty
  std::string file_path;  // when set, the body is this file (sent by the session, never read here)
  std::uint64_t file_size = 0;

  void set(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  const std::string* header(const std::string& name) const;
  std::uint64_t contentLength() const { return file_path.empty() ? body.size() : file_size; }
};

// A short plain-text (or JSON) response with the given status.
HttpResponse textResponse(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");

}  // namespace imroom::server
