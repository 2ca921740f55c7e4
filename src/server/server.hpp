// imroom-server as an object: main.cpp and the loopback tests start it the same way.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "config.hpp"

namespace imroom::server {

class Listener;
struct ServerContext;

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();

  // Binds and starts listening. Returns "" on success, otherwise a message for the operator.
  std::string start();
  // Runs the I/O loop on the calling thread until stop().
  void run();
  // Thread-safe: stops accepting, then ends the I/O loop.
  void stop();

  unsigned short port() const;
  bool tls() const;  // https/wss
  const ServerConfig& config() const;

 private:
  // Declared first so it outlives the I/O context: sessions destroyed with pending handlers still use it.
  std::shared_ptr<ServerContext> context_;
  boost::asio::io_context ioc_{1};  // one I/O thread: the hub and router are single-threaded by design
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<boost::asio::steady_timer> ticker_;  // drives SignalingService::tick
  void scheduleTick();
};

}  // namespace imroom::server
