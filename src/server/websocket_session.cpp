#include "websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "config.hpp"
#include "log.hpp"
#include "signaling_service.hpp"
#include "version.hpp"

namespace imroom::server {
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, SignalingService& service, const ServerConfig& config,
                                   TokenClaims claims, std::string address)
    : ws_(std::move(stream)), cutoff_(ws_.get_executor()), service_(service), config_(config), claims_(std::move(claims)),
      address_(std::move(address)) {}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() { finish(); }

template <class Stream>
void WebSocketSession<Stream>::run(beast::http::request<beast::http::string_body> req) {
  beast::get_lowest_layer(ws_).expires_never();  // the websocket's own timeouts take over
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);
  // Beast pings after half the idle time and closes the socket if nothing arrives in the other half.
  timeouts.idle_timeout = config_.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
    res.set(beast::http::field::server, std::string("imroom/") + kVersion);
  }));
  ws_.read_message_max(config_.max_frame_bytes);
  ws_.auto_fragment(false);
  ws_.async_accept(req, [self = this->shared_from_this()](boost::system::error_code ec) { self->onAccept(ec); });
}

template <class Stream>
void WebSocketSession<Stream>::onAccept(boost::system::error_code ec) {
  if (ec) return finish();
  id_ = service_.attach(this->weak_from_this(), address_);
  Hub::JoinOutcome outcome = service_.hub().join(id_, claims_.path, claims_.user, claims_.client);
  if (config_.access_log) {
    const char* what = outcome == Hub::JoinOutcome::kJoined     ? "joined"
                       : outcome == Hub::JoinOutcome::kReplaced ? "rejoined (replaced its old socket)"
                       : outcome == Hub::JoinOutcome::kNameTaken ? "refused: name taken"
                                                                 : "refused: room full";
    logLine(LogLevel::kInfo, address_ + " ws " + logSafe(claims_.user, 64) + "@" + logSafe(claims_.path, 140) + " " + what);
  }
  doRead();
}

template <class Stream>
void WebSocketSession<Stream>::doRead() {
  ws_.async_read(buffer_, [self = this->shared_from_this()](auto ec, std::size_t n) { self->onRead(ec, n); });
}

template <class Stream>
void WebSocketSession<Stream>::onRead(boost::system::error_code ec, std::size_t) {
  if (ec) {
    // closed by the peer, timed out, too big (Beast has already sent close 1009), or reset: leave the room.
    if (ec == websocket::error::message_too_big) {
      logLine(LogLevel::kWarn, address_ + " ws frame over " + std::to_string(config_.max_frame_bytes) + " bytes: closed");
    }
    return finish();
  }
  if (!closing_) {
    if (ws_.got_text()) {
      auto data = buffer_.cdata();
      service_.hub().receive(id_, std::string_view(static_cast<const char*>(data.data()), data.size()));
    } else {
      service_.hub().receiveBinary(id_);
    }
  }
  buffer_.consume(buffer_.size());
  doRead();
}

template <class Stream>
void WebSocketSession<Stream>::enqueue(SharedText text) {
  if (closing_ || closed_) return;
  queued_bytes_ += text->size();
  if (queued_bytes_ > config_.max_queued_bytes) {
    logLine(LogLevel::kWarn, address_ + " ws " + logSafe(claims_.user, 64) + " does not read its frames: closed");
    // Drop what is queued (not the write in flight) and close; cut the socket if even that cannot go out.
    while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
    closeAfterFlush(CloseCode::kInternal, "slow reader");
    // Its socket buffer is full, so even the close frame may never go out: cut it after a grace period.
    cutoff_.expires_after(std::chrono::seconds(5));
    cutoff_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (!ec) beast::get_lowest_layer(self->ws_).close();
    });
    finish();  // out of the room now, not when the socket finally gives up
    return;
  }
  queue_.push_back(std::move(text));
  if (!writing_) doWrite();
}

template <class Stream>
void WebSocketSession<Stream>::closeAfterFlush(CloseCode code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
  if (!writing_) doWrite();
}

template <class Stream>
void WebSocketSession<Stream>::doWrite() {
  if (closed_) return;
  if (queue_.empty()) {
    if (closing_) doClose();
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  [self = this->shared_from_this()](auto ec, std::size_t n) { self->onWrite(ec, n); });
}

template <class Stream>
void WebSocketSession<Stream>::onWrite(boost::system::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    closed_ = true;
    return finish();
  }
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  doWrite();
}

template <class Stream>
void WebSocketSession<Stream>::doClose() {
  closed_ = true;
  writing_ = true;
  ws_.async_close(close_reason_, [self = this->shared_from_this()](boost::system::error_code) {
    self->writing_ = false;
    self->finish();  // the read loop ends with `closed` once the peer answers
  });
}

template <class Stream>
void WebSocketSession<Stream>::finish() {
  if (id_ == 0) return;
  ConnId id = id_;
  id_ = 0;
  closing_ = true;
  service_.detach(id);
}

template class WebSocketSession<beast::tcp_stream>;
template class WebSocketSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace imroom::server
