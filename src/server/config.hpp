// Server settings, filled from flags and environment by main.cpp; tests build them directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace imroom::server {

struct ServerConfig {
  std::string host = "127.0.0.1";  // address to listen on ("0.0.0.0" for the LAN)
  unsigned short port = 8080;       // 0 picks a free port (tests)
  std::string root = "web";         // folder with the built web app
  std::chrono::milliseconds header_timeout{10'000};  // whole request head must arrive within this (slowloris)
  std::size_t header_limit = 8 * 1024;              // bytes of request line + headers
  std::size_t body_limit = 64 * 1024;               // bytes of request body
  bool access_log = true;                           // one line per request on stderr
};

}  // namespace imroom::server
