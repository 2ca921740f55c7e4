#include "server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <filesystem>

#include "listener.hpp"
#include "log.hpp"
#include "server_context.hpp"

namespace imroom::server {
namespace net = boost::asio;

Server::Server(ServerConfig config)
    : context_(std::make_shared<ServerContext>(std::move(config))) {}

// The context outlives the I/O context (sessions still in it refer to the context as it is destroyed). The
// poller's own Asio descriptor, and the sessions it holds (each with a socket object of the I/O context), must
// go before it.
Server::~Server() {
  if (context_->poller) context_->poller->shutdown();
}

std::string Server::start() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(context_->config.host, ec);
  if (ec) return "invalid listen address '" + context_->config.host + "'";
  std::error_code fec;
  if (!std::filesystem::is_directory(context_->config.root, fec)) {
    logLine(LogLevel::kWarn, "web root '" + context_->config.root + "' is not a directory: every page will 404");
  }
  if (!context_->config.tls_cert.empty() || !context_->config.tls_key.empty()) {
    auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    ctx->use_certificate_chain_file(context_->config.tls_cert, ec);
    if (ec) return "cannot use the TLS certificate '" + context_->config.tls_cert + "': " + ec.message();
    ctx->use_private_key_file(context_->config.tls_key, net::ssl::context::pem, ec);
    if (ec) return "cannot use the TLS key '" + context_->config.tls_key + "': " + ec.message();
    context_->tls = std::move(ctx);
  }
  if (context_->proxy) {
    auto url = parseUpstreamUrl(context_->config.xirsys.url);
    if (!url) return "XIRSYS_URL must be https://host[:port][/path] (or http:// for tests)";
    if (context_->config.xirsys.secret.empty() || context_->config.xirsys.channel.empty()) {
      return "proxy mode needs XIRSYS_IDENT, XIRSYS_SECRET and XIRSYS_CHANNEL";
    }
    context_->upstream = std::make_unique<UpstreamClient>(ioc_, *url, context_->proxy->authorization(),
                                                          context_->config.upstream_timeout);
  }
  context_->poller = std::make_unique<EdgePoller>(ioc_);
  if (!context_->poller->ok()) return "cannot create an epoll set for the signaling sockets";
  listener_ = std::make_shared<Listener>(ioc_, context_);
  std::string error = listener_->open({address, context_->config.port});
  if (!error.empty()) return error;
  listener_->run();
  ticker_ = std::make_unique<net::steady_timer>(ioc_);
  scheduleTick();
  return {};
}

// Keep-alive for every socket from one timer, often enough to notice silence within a quarter of the timeout.
void Server::scheduleTick() {
  auto interval = std::clamp<std::chrono::steady_clock::duration>(context_->config.idle_timeout / 4,
                                                                  std::chrono::milliseconds(100), std::chrono::seconds(1));
  ticker_->expires_after(interval);
  ticker_->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    context_->signaling.tick(std::chrono::steady_clock::now());
    scheduleTick();
  });
}

void Server::run() { ioc_.run(); }

void Server::stop() {
  if (listener_) listener_->close();
  net::post(ioc_, [this] {
    if (ticker_) ticker_->cancel();
    // Close frames to every socket, then give them a moment to go out before the loop ends.
    context_->signaling.closeAll("server shutting down");
    auto timer = std::make_shared<net::steady_timer>(ioc_, std::chrono::milliseconds(
        context_->signaling.connections() ? 500 : 0));
    timer->async_wait([this, timer](boost::system::error_code) { ioc_.stop(); });
  });
}

bool Server::tls() const { return context_->tls != nullptr; }

unsigned short Server::port() const { return listener_ ? listener_->port() : 0; }

const ServerConfig& Server::config() const { return context_->config; }

}  // namespace imroom::server
