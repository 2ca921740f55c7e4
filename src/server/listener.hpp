// Accepts TCP connections and hands each to an HttpSession (all on the server's one I/O thread).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

namespace imroom::server {

struct ServerContext;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<ServerContext> context);

  // Opens, binds and listens; returns an empty string on success, or what went wrong.
  std::string open(const boost::asio::ip::tcp::endpoint& endpoint);
  void run();    // starts accepting
  void close();  // stops accepting (sessions already running carry on)
  unsigned short port() const;

 private:
  void doAccept();
  void onAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<ServerContext> context_;
};

}  // namespace imroom::server
