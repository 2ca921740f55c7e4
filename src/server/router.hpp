// Maps an HTTP request to a response: health, metrics, the signaling REST API (rate-limited per address),
// then static files (`/embed` is the widget page, embed.html); CORS preflights and headers from the OriginPolicy. Pure (no sockets), unit-tested. Used from the one I/O thread only.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "http_types.hpp"
#include "origin_policy.hpp"
#include "rate_limiter.hpp"
#include "signaling_api.hpp"
#include "static_files.hpp"

namespace imroom::server {

class Router {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using MetricsFn = std::function<std::string()>;  // Prometheus text for /metrics

  // clock: injected so tests can control uptime and rate limits; defaults to steady_clock::now.
  explicit Router(StaticFiles files, Clock clock = {});

  void setApi(const SignalingApi* api, double requests_per_second);
  void setMetrics(MetricsFn metrics) { metrics_ = std::move(metrics); }
  void setOrigins(OriginPolicy origins) { origins_ = std::move(origins); }
  const OriginPolicy& origins() const { return origins_; }

  HttpResponse handle(const HttpRequest& req);
  // Takes a token from the address' budget for credential endpoints; false when it is spent.
  bool allowApi(const std::string& address);
  static HttpResponse rateLimited();

  // Seconds since start, for metrics.
  double uptime() const;

 private:
  HttpResponse health() const;
  HttpResponse route(const HttpRequest& req);

  StaticFiles files_;
  Clock clock_;
  std::chrono::steady_clock::time_point started_;
  const SignalingApi* api_ = nullptr;
  std::optional<AddressRateLimiter> api_limiter_;
  MetricsFn metrics_;
  OriginPolicy origins_;
};

}  // namespace imroom::server
