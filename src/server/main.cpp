// imroom-server: serves the imroom web app (and, in later releases, signaling and credentials).
// Options come from flags or the environment (IMROOM_*); flags win.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <thread>

#include "log.hpp"
#include "server.hpp"
#include "version.hpp"

namespace {

using imroom::server::ServerConfig;

int parseOptions(int argc, char** argv, ServerConfig& cfg, bool& done) {
  CLI::App app{"imroom-server: text and video rooms in the browser. Serves the imroom web app.", "imroom-server"};
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
  bool quiet = false;
  app.add_flag("--no-access-log", quiet, "Do not log one line per request")->envname("IMROOM_NO_ACCESS_LOG");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {  // start-up only: never on a request path
    done = true;
    return app.exit(e);
  }
  cfg.header_timeout = std::chrono::milliseconds(header_timeout_ms);
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
  logLine(LogLevel::kInfo, "imroom-server " + std::string(kVersion) + " serving '" + cfg.root + "' on http://" +
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
