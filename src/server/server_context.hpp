// What every session shares. Everything here is used from the one I/O thread only.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "config.hpp"
#include "edge_poller.hpp"
#include "proxy_api.hpp"
#include "upstream_client.hpp"
#include "router.hpp"
#include "signaling_api.hpp"
#include "signaling_service.hpp"
#include "token.hpp"

namespace imroom::server {

struct ServerContext {
  explicit ServerContext(ServerConfig cfg);

  ServerConfig config;
  TokenSigner signer;
  SignalingApi api;
  SignalingService signaling;
  Router router;
  std::unique_ptr<boost::asio::ssl::context> tls;  // set when the server speaks https/wss
  std::optional<ProxyApi> proxy;            // proxy mode only
  std::unique_ptr<UpstreamClient> upstream;  // made by Server::start (needs the I/O context)
  std::unique_ptr<EdgePoller> poller;        // readiness of the plain signaling sockets; made by Server::start
  std::uint64_t http_requests = 0;
  std::uint64_t upstream_errors = 0;
  std::uint64_t ws_refused = 0;  // upgrades refused (token, origin, per-address limit)

  std::string metrics() const;  // Prometheus text format
  // True when a browser page from `origin` may open sockets or call the API (same origin, or allowed).
  bool originAllowed(std::string_view origin, std::string_view host, bool secure) const;
};

}  // namespace imroom::server
