// Server settings, filled from flags and environment by main.cpp; tests build them directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "proxy_api.hpp"
#include "signaling_api.hpp"

namespace imroom::server {

struct ServerConfig {
  std::string host = "127.0.0.1";  // address to listen on ("0.0.0.0" for the LAN)
  unsigned short port = 8080;       // 0 picks a free port (tests)
  std::string root = "web";         // folder with the built web app
  std::chrono::milliseconds header_timeout{10'000};  // whole request head must arrive within this (slowloris)
  std::size_t header_limit = 8 * 1024;              // bytes of request line + headers
  std::size_t body_limit = 64 * 1024;               // bytes of request body
  bool access_log = true;                           // one line per request on stderr
  std::string tls_cert;                             // PEM certificate chain: https and wss on the port
  std::string tls_key;                              // PEM private key

  // Signaling (PROTOCOL.md)
  SignalingConfig signaling;
  std::string token_secret;                          // HMAC key for tokens; "" = random at start
  std::vector<std::string> allow_origins;           // extra WebSocket/CORS origins ("*" = any); own origin always
  std::size_t max_frame_bytes = 64 * 1024;           // larger frames: close 1009
  double max_frames_per_second = 50;                 // per socket, bursts of twice this
  std::size_t max_users_per_room = 50;
  std::size_t max_connections_per_address = 32;      // WebSockets from one IP address
  double api_requests_per_second = 10;               // per address, on /api/* /_token /_host /_turn (burst 2x)
  std::size_t max_queued_bytes = 1024 * 1024;        // unsent bytes a socket may hold before it is closed
  std::chrono::seconds idle_timeout{60};              // silent sockets are pinged at half of it, dropped at it
  double rejoin_grace_seconds = 10;                   // a dropped member's place and frames are held this long

  // Proxy mode: when xirsys.ident is set, /api/* go to the Xirsys REST API (PROTOCOL.md §1).
  XirsysConfig xirsys;
  std::chrono::milliseconds upstream_timeout{5000};
  bool proxyMode() const { return !xirsys.ident.empty(); }
};

}  // namespace imroom::server
