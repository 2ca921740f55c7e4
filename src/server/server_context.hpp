// What every session shares: settings and the router. Immutable after start, so sessions read it freely.
#pragma once

#include "config.hpp"
#include "router.hpp"

namespace imroom::server {

struct ServerContext {
  ServerConfig config;
  Router router;
};

}  // namespace imroom::server
