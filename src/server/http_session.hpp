// One HTTP/1.1 connection: reads requests (with size limits and a header timeout), asks the router,
// writes responses, keeps the connection alive when the client asks. Never throws.
// Stream is beast::tcp_stream (http/ws) or beast::ssl_stream<beast::tcp_stream> (https/wss); the two are
// instantiated in http_session.cpp.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>

#include "http_types.hpp"

namespace imroom::server {

struct ServerContext;

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // For TLS, `stream` wraps the accepted socket and the server's TLS context; the handshake happens in run().
  HttpSession(Stream&& stream, std::shared_ptr<ServerContext> context);
  void run();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void doRead();
  void onRead(boost::system::error_code ec, std::size_t bytes);
  void rejectMalformed(boost::system::error_code ec);
  void upgrade(const HttpRequest& request);
  void forward(const HttpRequest& request, bool keep_alive, unsigned version);
  void send(HttpResponse res, bool head_only, bool keep_alive, unsigned version);
  void onWrite(bool keep_alive, boost::system::error_code ec, std::size_t bytes);
  void doClose();

  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;
  void start();
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::shared_ptr<ServerContext> context_;
  std::string remote_;
  // For the access log line of the request in flight.
  std::string log_request_;
  int log_status_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace imroom::server
