#include "server_context.hpp"

#include <cstdio>
#include <ctime>

namespace imroom::server {

namespace {
std::int64_t unixNow() { return static_cast<std::int64_t>(std::time(nullptr)); }
double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ServerContext::ServerContext(ServerConfig cfg)
    : config(std::move(cfg)),
      signer(config.token_secret.empty() ? TokenSigner::randomSecret() : config.token_secret),
      api(config.signaling, signer, unixNow),
      signaling(HubLimits{config.max_users_per_room, config.max_frames_per_second, config.rejoin_grace_seconds}, steadySeconds),
      router(StaticFiles(config.root)) {
  router.setApi(&api, config.api_requests_per_second);
  if (config.proxyMode()) proxy.emplace(config.xirsys);
  router.setMetrics([this] { return metrics(); });
  router.setOrigins(OriginPolicy(config.allow_origins));
}

bool ServerContext::originAllowed(std::string_view origin, std::string_view host, bool secure) const {
  return router.origins().allows(origin, host, secure);
}

std::string ServerContext::metrics() const {
  const HubStats& s = signaling.hub().stats();
  std::string out;
  auto metric = [&](const char* name, const char* type, const char* help, double value) {
    char number[32];
    std::snprintf(number, sizeof number, value == static_cast<double>(static_cast<long long>(value)) ? "%.0f" : "%.3f",
                  value);
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           number + "\n";
  };
  metric("imroom_uptime_seconds", "gauge", "Seconds since the server started.", router.uptime());
  metric("imroom_http_requests_total", "counter", "HTTP requests answered.", static_cast<double>(http_requests));
  metric("imroom_ws_connections", "gauge", "Open signaling WebSockets.", static_cast<double>(signaling.connections()));
  metric("imroom_ws_refused_total", "counter", "WebSocket upgrades refused (token, origin, limits).",
         static_cast<double>(ws_refused));
  metric("imroom_room_members", "gauge", "Users in rooms.", static_cast<double>(s.members));
  metric("imroom_away_members", "gauge", "Users whose socket dropped, held in their room for the rejoin grace.",
         static_cast<double>(s.away));
  metric("imroom_rooms", "gauge", "Rooms with at least one user.", static_cast<double>(s.rooms));
  metric("imroom_frames_relayed_total", "counter", "Frames delivered to recipients.",
         static_cast<double>(s.frames_relayed));
  metric("imroom_bare_pings_total", "counter", "Bare 'ping' keep-alive frames received.",
         static_cast<double>(s.bare_pings));
  metric("imroom_upstream_errors_total", "counter", "Proxy-mode requests to the Xirsys service that failed.",
         static_cast<double>(upstream_errors));
  out += "# HELP imroom_frames_rejected_total Frames rejected, by reason.\n# TYPE imroom_frames_rejected_total counter\n";
  for (const auto& [code, n] : s.rejected) {
    out += "imroom_frames_rejected_total{reason=\"" + code + "\"} " + std::to_string(n) + "\n";
  }
  return out;
}

}  // namespace imroom::server
