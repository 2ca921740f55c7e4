// imroom-server: serves the imroom web app (and, in later releases, signaling and credentials).
// Options come from flags or the environment (IMROOM_*); flags win.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "log.hpp"
#include "server.hpp"
#include "version.hpp"

namespace {

using imroom::server::ServerConfig;

int parseOptions(int argc, char** argv, ServerConfig& cfg, bool& done) {
  CLI::App app{"imroom-server: text and video rooms in the browser.\nServes the imroom web app and is its own Xirsys-compatible signaling service.", "imroom-server"};
  app.set_version_flag("--version", std::string(imroom::server::kVersion));
  app.option_defaults()->always_capture_default();
  app.add_option("--host", cfg.host, "Address to listen on (0.0.0.0 for every interface)")->envname("IMROOM_HOST");
  app.add_option("-p,--port", cfg.port, "TCP port (0 = any free port)")->envname("IMROOM_PORT");
  app.add_option("--root", cfg.root, "Folder with the built web app")->envname("IMROOM_ROOT");
  int header_timeout_ms = static_cast<int>(cfg.header_timeout.count());
  app.add_option("--header-timeout-ms", header_timeout_ms, "Time allowed for a request's head to arrive")
      ->envname("IMROOM_HEADER_TIMEOUT_MS")
      ->check(CLI::Range(100, 600'000));
  app.add_option("--header-limit", cfg.header_limit, "Largest request head in bytes")
      ->envname("IMROOM_HEADER_LIMIT")
      ->check(CLI::Range(1024, 1 << 20));
  app.add_option("--body-limit", cfg.body_limit, "Largest request body in bytes")
      ->envname("IMROOM_BODY_LIMIT")
      ->check(CLI::Range(0, 16 << 20));
  app.add_option("--tls-cert", cfg.tls_cert, "PEM certificate chain: serve https and wss on the port")
      ->envname("IMROOM_TLS_CERT");
  app.add_option("--tls-key", cfg.tls_key, "PEM private key for --tls-cert")->envname("IMROOM_TLS_KEY");
  auto& sig = cfg.signaling;
  app.add_option("--channel", sig.channel, "Channel that rooms live under (<channel>/<room>)")
      ->envname("IMROOM_CHANNEL");
  app.add_option("--public-url", sig.public_url,
                 "Signaling base URL handed to browsers (default: ws[s]://<Host header>)")
      ->envname("IMROOM_PUBLIC_URL");
  app.add_option("--stun", sig.stun_uris, "STUN server URI for /api/ice (repeatable)")->envname("IMROOM_STUN");
  app.add_option("--turn-uri", sig.turn_uris, "TURN server URI for /api/ice (repeatable)")
      ->envname("IMROOM_TURN_URI");
  app.add_option("--turn-secret", sig.turn_secret, "coturn static-auth-secret for TURN REST credentials")
      ->envname("IMROOM_TURN_SECRET");
  app.add_option("--turn-ttl", sig.turn_ttl, "Seconds a TURN credential lives")
      ->envname("IMROOM_TURN_TTL")->check(CLI::Range(60, 7 * 86400));
  app.add_option("--token-ttl", sig.token_ttl, "Seconds a browser token may be used to connect")
      ->envname("IMROOM_TOKEN_TTL")->check(CLI::Range(5, 86400));
  app.add_option("--token-secret", cfg.token_secret, "HMAC key for tokens (default: random at every start)")
      ->envname("IMROOM_TOKEN_SECRET");
  std::vector<std::string> accounts;
  app.add_option("--account", accounts, "ident:secret of a Xirsys-style API account (repeatable)")
      ->envname("IMROOM_ACCOUNTS")->delimiter(',');
  app.add_option("--allow-origin", cfg.allow_origins, "Another site (origin) allowed to use the API and sockets, fetch the app (CORS) and frame the widget ('*' = any)")
      ->envname("IMROOM_ALLOW_ORIGIN")->delimiter(',');
  app.add_option("--max-frame-bytes", cfg.max_frame_bytes, "Largest signaling frame")
      ->envname("IMROOM_MAX_FRAME_BYTES")->check(CLI::Range(1024, 16 << 20));
  app.add_option("--max-frames-per-second", cfg.max_frames_per_second, "Frames per second per socket (burst 2x)")
      ->envname("IMROOM_MAX_FRAMES_PER_SECOND")->check(CLI::Range(1.0, 1e6));
  app.add_option("--max-users-per-room", cfg.max_users_per_room, "Users per room")
      ->envname("IMROOM_MAX_USERS_PER_ROOM")->check(CLI::Range(1, 100000));
  app.add_option("--max-connections-per-address", cfg.max_connections_per_address, "Sockets per client address")
      ->envname("IMROOM_MAX_CONNECTIONS_PER_ADDRESS")->check(CLI::Range(1, 1000000));
  app.add_option("--api-requests-per-second", cfg.api_requests_per_second,
                 "Credential requests per second per address (burst 2x)")
      ->envname("IMROOM_API_REQUESTS_PER_SECOND")->check(CLI::Range(0.1, 1e6));
  app.add_option("--max-queued-bytes", cfg.max_queued_bytes, "Unsent bytes a socket may hold before it is closed")
      ->envname("IMROOM_MAX_QUEUED_BYTES")->check(CLI::Range(64 << 10, 1 << 30));
  int idle_s = static_cast<int>(cfg.idle_timeout.count());
  app.add_option("--idle-timeout", idle_s, "Seconds of silence before a socket is dropped (pinged at half)")
      ->envname("IMROOM_IDLE_TIMEOUT")->check(CLI::Range(2, 3600));
  app.add_option("--rejoin-grace", cfg.rejoin_grace_seconds,
                 "Seconds a member whose socket dropped keeps its place, its frames held, before the others are told it left (0: at once)")
      ->envname("IMROOM_REJOIN_GRACE")->check(CLI::Range(0.0, 600.0));
  // Proxy mode. The ident and secret come from the environment only (never flags: `ps` would show them).
  app.add_option("--xirsys-url", cfg.xirsys.url, "Xirsys REST API base URL (proxy mode)")->envname("XIRSYS_URL");
  app.add_option("--xirsys-channel", cfg.xirsys.channel, "Xirsys channel (proxy mode)")->envname("XIRSYS_CHANNEL");
  if (const char* ident = std::getenv("XIRSYS_IDENT")) cfg.xirsys.ident = ident;
  if (const char* secret = std::getenv("XIRSYS_SECRET")) cfg.xirsys.secret = secret;
  app.footer("Proxy mode: set XIRSYS_IDENT, XIRSYS_SECRET and XIRSYS_CHANNEL in the environment; /api/* then use\n"
             "the Xirsys service and the browser connects to the host it names.");
  bool quiet = false;
  app.add_flag("--no-access-log", quiet, "Do not log one line per request")->envname("IMROOM_NO_ACCESS_LOG");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {  // start-up only: never on a request path
    done = true;
    return app.exit(e);
  }
  cfg.header_timeout = std::chrono::milliseconds(header_timeout_ms);
  cfg.idle_timeout = std::chrono::seconds(idle_s);
  for (const auto& a : accounts) {
    auto colon = a.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == a.size()) {
      std::fprintf(stderr, "--account: expected ident:secret\n");  // the value itself is never printed
      done = true;
      return 2;
    }
    sig.accounts.emplace_back(a.substr(0, colon), a.substr(colon + 1));
  }
  cfg.access_log = !quiet;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace imroom::server;
  ServerConfig cfg;
  bool done = false;
  int rc = parseOptions(argc, argv, cfg, done);
  if (done) return rc;

  Server server(cfg);
  std::string error = server.start();
  if (!error.empty()) {
    logLine(LogLevel::kError, "cannot start: " + error);
    return 1;
  }
  if (cfg.proxyMode()) {
    logLine(LogLevel::kInfo, "proxy mode: /api/* use the Xirsys service at " + cfg.xirsys.url + ", channel " + cfg.xirsys.channel);
  } else {
    logLine(LogLevel::kInfo, "local mode: imroom-server is the signaling service");
  }
  logLine(LogLevel::kInfo, "imroom-server " + std::string(kVersion) + " serving '" + cfg.root + "' on " +
                               (server.tls() ? "https://" : "http://") +
                               (cfg.host == "0.0.0.0" ? std::string("localhost") : cfg.host) + ":" +
                               std::to_string(server.port()) + "/");

  // Signals on their own tiny loop so a busy server still shuts down promptly.
  boost::asio::io_context signal_ioc;
  boost::asio::signal_set signals(signal_ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    logLine(LogLevel::kInfo, std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    server.stop();
  });
  std::thread signal_thread([&] { signal_ioc.run(); });
  server.run();
  signal_ioc.stop();
  signal_thread.join();
  logLine(LogLevel::kInfo, "stopped");
  return 0;
}
