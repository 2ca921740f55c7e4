// One signaling WebSocket (/v2/<token>): accepts the upgrade, joins the hub, reads frames into it, and writes
// the hub's frames out through a bounded queue with one write in flight. A reader too slow to keep up is
// closed (1011) rather than allowed to grow memory or stall its room. Never throws.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>

#include "hub.hpp"
#include "token.hpp"

namespace imroom::server {

class SignalingService;
struct ServerConfig;

// What the SignalingService needs of a session, whatever its stream.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  virtual void enqueue(SharedText text) = 0;
  virtual void closeAfterFlush(CloseCode code, std::string reason) = 0;
};

// Stream: beast::tcp_stream (ws) or beast::ssl_stream<beast::tcp_stream> (wss); both instantiated in the .cpp.
template <class Stream>
class WebSocketSession : public WebSocketPeer, public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  WebSocketSession(Stream&& stream, SignalingService& service, const ServerConfig& config, TokenClaims claims,
                   std::string address);
  ~WebSocketSession() override;

  // Completes the upgrade for `req` (already checked: token, origin, limits), then joins the hub.
  void run(boost::beast::http::request<boost::beast::http::string_body> req);

  void enqueue(SharedText text) override;
  void closeAfterFlush(CloseCode code, std::string reason) override;

 private:
  void onAccept(boost::system::error_code ec);
  void doRead();
  void onRead(boost::system::error_code ec, std::size_t bytes);
  void doWrite();
  void onWrite(boost::system::error_code ec, std::size_t bytes);
  void doClose();
  void finish();

  boost::beast::websocket::stream<Stream> ws_;
  boost::asio::steady_timer cutoff_;  // hard close for a reader that cannot even take the close frame
  boost::beast::flat_buffer buffer_;
  SignalingService& service_;
  const ServerConfig& config_;
  TokenClaims claims_;
  std::string address_;
  ConnId id_ = 0;
  std::deque<SharedText> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;  // a close was requested: no more reads are handed to the hub
  bool closed_ = false;   // the close frame was sent (or the socket is dead)
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace imroom::server
