// Maps an HTTP request to a response: health, then static files. Pure (no sockets), unit-tested.
#pragma once

#include <chrono>
#include <functional>

#include "http_types.hpp"
#include "static_files.hpp"

namespace imroom::server {

class Router {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // clock: injected so tests can control uptime; defaults to steady_clock::now.
  explicit Router(StaticFiles files, Clock clock = {});

  HttpResponse handle(const HttpRequest& req) const;

 private:
  HttpResponse health() const;

  StaticFiles files_;
  Clock clock_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace imroom::server
