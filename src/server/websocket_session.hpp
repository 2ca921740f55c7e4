// One signaling WebSocket (/v2/<token>) after the HTTP session has checked the upgrade (token, origin,
// limits): answers 101, joins the hub, reads frames into it, and writes the hub's frames out through a bounded
// queue — every queued frame in one write, one write in flight. A reader too slow to keep up is closed (1011)
// rather than allowed to grow memory or stall its room. Keep-alive is driven by SignalingService::tick (one
// timer for all sockets): a socket silent for half the idle timeout is pinged, one silent for all of it is
// dropped. Never throws.
//
// Frames are read and written by ws_protocol (RFC 6455), not Beast's websocket::stream: an idle socket here
// holds its socket, a few flags and nothing else (see ws_protocol.hpp) — no pending operation either: a plain
// socket's readiness comes from the EdgePoller, which holds the session until it is shut.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "edge_poller.hpp"
#include "hub.hpp"
#include "token.hpp"
#include "ws_protocol.hpp"

namespace imroom::server {

class SignalingService;
struct ServerConfig;

// What the SignalingService needs of a session, whatever its stream.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  virtual void enqueue(SharedText text) = 0;
  virtual void closeAfterFlush(CloseCode code, std::string reason) = 0;
  // Keep-alive and deadlines, called about once a second.
  virtual void tick(std::chrono::steady_clock::time_point now) = 0;
  // Writes what was queued while the service was corked (SignalingService::cork).
  virtual void flush() = 0;
};

// Stream: a plain tcp::socket (ws) or beast::ssl_stream<beast::tcp_stream> (wss); both instantiated in the .cpp.
// Plain sockets (ws) take their readiness from the EdgePoller and do their own non-blocking reads and writes;
// TLS (wss) goes through Asio.
template <class Stream>
class WebSocketSession : public WebSocketPeer,
                         public ws::FrameSink,
                         public EdgePoller::Watcher,
                         public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // `poller`: for plain sockets (required there), unused with TLS.
  WebSocketSession(Stream&& stream, SignalingService& service, const ServerConfig& config, std::string address,
                   EdgePoller* poller = nullptr);
  ~WebSocketSession() override;

  // Sends the 101 answer (accept key already computed), joins the hub as `claims` say and starts reading;
  // `early` is what the HTTP session had already read past the request.
  void run(const TokenClaims& claims, const std::string& accept_key, std::string_view early);

  void enqueue(SharedText text) override;
  void closeAfterFlush(CloseCode code, std::string reason) override;
  void tick(std::chrono::steady_clock::time_point now) override;
  void flush() override;

  // ws::FrameSink
  void onText(std::string_view message) override;
  void onBinary(std::string_view message) override;
  void onPing(std::string_view payload) override;
  void onPong() override {}
  void onClose(std::uint16_t code, std::string_view reason) override;
  void onError(std::uint16_t code, std::string_view reason) override;

  // EdgePoller::Watcher (plain sockets)
  void onReady(std::uint32_t events) override;

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::asio::ip::tcp::socket>;
  struct Outgoing {
    SharedText text;
    ws::Opcode op;
  };

  boost::asio::ip::tcp::socket& socket();  // TLS: the socket under the stream
  void readNow();   // reads what the socket has (TLS: then waits for more)
  void onBytes(char* data, std::size_t size);
  void queueControl(ws::Opcode op, std::string payload);
  void beginClose(std::uint16_t code, std::string_view reason);
  void schedule();  // writes now, or when the service uncorks
  void doWrite();
  void onWrite(boost::system::error_code ec);
  void continueWrite();  // plain: the socket has room again for the rest of out_
  void halfClose();
  bool queueEmpty() const { return queue_head_ == queue_.size(); }
  void shut();     // closes the socket now
  // Leaves the hub (once). kDropped: the socket went without a close frame (reset, cut, silent), so the member
  // keeps its place for the rejoin grace.
  void finish(Hub::Departure how = Hub::Departure::kClosed);

  Stream stream_;       // plain: released to fd_ once the session runs
  int fd_ = -1;         // plain: the socket, non-blocking, watched by poller_
  EdgePoller* poller_;
  std::uint64_t poll_key_ = 0;
  SignalingService& service_;
  const ServerConfig& config_;
  std::string user_;     // for the log
  std::string address_;
  ws::FrameReader reader_;
  ConnId id_ = 0;
  std::vector<Outgoing> queue_;   // frames waiting for the next write, from queue_head_ on
  std::size_t queue_head_ = 0;
  std::string out_;               // bytes the socket did not take at once: the write in flight (or the 101)
  std::unique_ptr<char[]> tls_in_;  // TLS only: the buffer of the read in flight
  std::size_t queued_bytes_ = 0;  // payloads in queue_ + out_
  // Open: when tick() last saw bytes arrive. Closing: when the close began.
  std::chrono::steady_clock::time_point since_{};
  std::unique_ptr<std::string> close_frame_;  // written once the queue is empty
  bool heard_ = true;          // bytes arrived since the last tick
  bool pinged_ = false;        // a keep-alive ping is out
  bool writing_ = false;
  bool dirty_ = false;         // waiting in the service's list for uncork
  bool pong_queued_ = false;   // a pong waits in queue_
  bool closing_ = false;       // a close was requested: nothing more to or from the hub
  bool close_sent_ = false;    // our close frame is queued or written
  bool peer_closed_ = false;   // the client's close frame arrived (or it broke the protocol)
  bool shut_ = false;          // the socket is closed
  bool broken_ = false;        // a write failed: the socket is about to be closed
  bool hung_up_ = false;       // plain: the client's FIN (or an error) was reported: read to the end
  bool counted_ = false;       // counts against its address (SignalingService::release)
};

}  // namespace imroom::server
