#include "listener.hpp"

#include <boost/asio/strand.hpp>

#include <boost/beast/ssl/ssl_stream.hpp>

#include "http_session.hpp"
#include "server_context.hpp"
#include "log.hpp"

namespace imroom::server {
namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerContext> context)
    : ioc_(ioc), acceptor_(ioc), context_(std::move(context)) {}

std::string Listener::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return "open: " + ec.message();
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return "set_option: " + ec.message();
  acceptor_.bind(endpoint, ec);
  if (ec) return "bind " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) + ": " + ec.message();
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return "listen: " + ec.message();
  return {};
}

void Listener::run() { doAccept(); }

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

unsigned short Listener::port() const {
  boost::system::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Listener::doAccept() {
  // No strands: the server runs one I/O thread (Server::ioc_), so no two handlers ever run at once, and a
  // strand would cost every socket ~90 bytes and every handler an extra dispatch.
  acceptor_.async_accept(ioc_, [self = shared_from_this()](auto ec, tcp::socket socket) {
    self->onAccept(ec, std::move(socket));
  });
}

void Listener::onAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;  // closed: stop accepting
  if (ec) {
    logLine(LogLevel::kWarn, "accept: " + ec.message());  // e.g. out of file descriptors: keep going
  } else {
    namespace beast = boost::beast;
    // Signaling frames are small and latency-bound: never let Nagle hold one back.
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (context_->tls) {
      using TlsStream = beast::ssl_stream<beast::tcp_stream>;
      std::make_shared<HttpSession<TlsStream>>(TlsStream(beast::tcp_stream(std::move(socket)), *context_->tls),
                                               context_)
          ->run();
    } else {
      std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), context_)->run();
    }
  }
  doAccept();
}

}  // namespace imroom::server
