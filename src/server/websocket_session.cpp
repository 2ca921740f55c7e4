#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/uio.h>

#include <array>
#include <cstring>
#include <cerrno>
#include <utility>

#include "config.hpp"
#include "log.hpp"
#include "signaling_service.hpp"
#include "version.hpp"

namespace imroom::server {
namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;    // one read: many frames at once under load
constexpr int kReadsPerTurn = 4;                  // then other sockets get their turn
constexpr std::size_t kWriteBatch = 64 * 1024;   // frames gathered into one write
constexpr std::size_t kContiguousSend = 4096;     // writes up to this size are copied into one send()
constexpr std::size_t kTlsChunk = 16 * 1024;     // one TLS record
constexpr auto kCloseGrace = std::chrono::seconds(5);  // a closing socket that stays open this long is cut

// Plain sockets share one read buffer per I/O thread: bytes are parsed (and handed to the hub) before the
// next read, and only a partial frame is copied out, into the session's reader.
char* sharedReadBuffer() {
  thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
  return buffer.get();
}

}  // namespace

template <class Stream>
WebSocketSession<Stream>::WebSocketSession(Stream&& stream, SignalingService& service, const ServerConfig& config,
                                           std::string address, EdgePoller* poller)
    : stream_(std::move(stream)), poller_(poller), service_(service), config_(config), address_(std::move(address)),
      reader_(config.max_frame_bytes) {}

template <class Stream>
WebSocketSession<Stream>::~WebSocketSession() {
  finish();
  if constexpr (!kTls) {
    if (fd_ >= 0) {
      if (poller_) poller_->remove(poll_key_, fd_);
      ::close(fd_);
    }
  }
  if (std::exchange(counted_, false)) service_.release(address_);
}

template <class Stream>
tcp::socket& WebSocketSession<Stream>::socket() {
  if constexpr (kTls) {
    return beast::get_lowest_layer(stream_).socket();
  } else {
    return stream_;
  }
}

template <class Stream>
void WebSocketSession<Stream>::run(const TokenClaims& claims, const std::string& accept_key, std::string_view early) {
  user_ = claims.user;
  boost::system::error_code ec;
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_never();  // keep-alive is tick()'s job now
  } else {
    // Out of Asio's hands: non-blocking reads and writes on the descriptor, readiness from the poller.
    stream_.non_blocking(true, ec);
    if (!ec) fd_ = stream_.release(ec);
    if (!ec && poller_) poll_key_ = poller_->add(fd_, this->shared_from_this());
    if (ec || poll_key_ == 0) {
      logLine(LogLevel::kWarn, address_ + " ws: cannot watch the socket" + (ec ? ": " + ec.message() : "") + ": closed");
      shut();
      return;
    }
  }
  out_ = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         accept_key + "\r\nServer: imroom/" + kVersion + "\r\n\r\n";
  queued_bytes_ = out_.size();
  id_ = service_.attach(this->weak_from_this(), address_);
  counted_ = true;
  service_.cork();  // the 101, "peers" and the others' "peer_connected" go out after the join, one write each
  Hub::JoinOutcome outcome = service_.hub().join(id_, claims.path, claims.user, claims.client);
  service_.uncork();
  if (config_.access_log) {
    const char* what = outcome == Hub::JoinOutcome::kJoined     ? "joined"
                       : outcome == Hub::JoinOutcome::kReplaced ? "rejoined (replaced its old socket)"
                       : outcome == Hub::JoinOutcome::kResumed ? "rejoined within its grace (held frames delivered)"
                       : outcome == Hub::JoinOutcome::kNameTaken ? "refused: name taken"
                                                                 : "refused: room full";
    logLine(LogLevel::kInfo, address_ + " ws " + logSafe(claims.user, 64) + "@" + logSafe(claims.path, 140) + " " + what);
  }
  doWrite();  // the 101 and whatever the hub answered, in one write
  if (!early.empty()) {
    std::string copy(early);
    onBytes(copy.data(), copy.size());
  }
  readNow();
}

template <class Stream>
void WebSocketSession<Stream>::readNow() {
  if (shut_) return;
  if constexpr (kTls) {
    if (!tls_in_) tls_in_.reset(new char[kTlsChunk]);
    stream_.async_read_some(net::buffer(tls_in_.get(), kTlsChunk),
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (ec == net::error::eof && !self->shut_) {
                                // The client's close_notify: answer with ours, then close.
                                return self->stream_.async_shutdown(
                                    [self](boost::system::error_code) { self->shut(); });
                              }
                              if (ec) return self->shut();  // reset, or cut by us
                              self->heard_ = true;
                              self->service_.cork();
                              self->onBytes(self->tls_in_.get(), n);
                              self->service_.uncork();
                              self->readNow();
                            });
  } else {
    char* buffer = sharedReadBuffer();
    for (int i = 0; i < kReadsPerTurn; ++i) {
      const ssize_t n = ::recv(fd_, buffer, kReadChunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // drained: the poller says when there is more
      if (n <= 0) return shut();  // eof or reset: the client is gone
      heard_ = true;
      service_.cork();  // the frames of this read, relayed, leave in one write per recipient
      onBytes(buffer, static_cast<std::size_t>(n));
      service_.uncork();
      if (shut_) return;
      // A short read took all there was, and the next bytes bring a new edge. Not so for a hang-up reported
      // with the bytes: nothing more will come to say it, so the end is read now.
      if (static_cast<std::size_t>(n) < kReadChunk && !hung_up_) return;
    }
    // Still more: let other sockets run first.
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->readNow(); });
  }
}

template <class Stream>
void WebSocketSession<Stream>::onReady(std::uint32_t events) {
  if constexpr (!kTls) {
    if (shut_) return;
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) hung_up_ = true;
    if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) && writing_) continueWrite();
    if (!shut_ && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) readNow();
  }
}

template <class Stream>
void WebSocketSession<Stream>::onBytes(char* data, std::size_t size) {
  // After the client's close frame (or a protocol error) the reader is done: what follows is drained unread.
  if (!reader_.done()) reader_.feed(data, size, *this);
}

template <class Stream>
void WebSocketSession<Stream>::onText(std::string_view message) {
  if (!closing_) service_.hub().receive(id_, message);
}

template <class Stream>
void WebSocketSession<Stream>::onBinary(std::string_view) {
  if (!closing_) service_.hub().receiveBinary(id_);
}

template <class Stream>
void WebSocketSession<Stream>::onPing(std::string_view payload) {
  // At most one pong waits in the queue (RFC 6455 §5.5.3 allows answering only the latest ping): a client that
  // floods pings and never reads cannot grow the queue.
  if (pong_queued_) return;
  pong_queued_ = true;
  queueControl(ws::Opcode::kPong, std::string(payload));
}

template <class Stream>
void WebSocketSession<Stream>::onClose(std::uint16_t code, std::string_view) {
  peer_closed_ = true;
  if (!closing_) {
    // The client closes: answer with its code (RFC 6455 §5.5.1; the reader refused the codes no endpoint may
    // send) and leave the room. A close without a code gets 1000.
    beginClose(code == ws::close_code::kNoStatus ? ws::close_code::kNormal : code, "");
    finish();
  } else if (close_sent_ && !writing_) {
    halfClose();
  }
}

template <class Stream>
void WebSocketSession<Stream>::onError(std::uint16_t code, std::string_view reason) {
  logLine(code == ws::close_code::kTooBig ? LogLevel::kWarn : LogLevel::kInfo,
          address_ + " ws " + logSafe(user_, 64) + ": " + std::string(reason) + ": closed");
  peer_closed_ = true;  // no answer is expected from a client that broke the protocol
  if (close_sent_ && !writing_) halfClose();  // our close was already out
  beginClose(code, reason);
  finish();
}

template <class Stream>
void WebSocketSession<Stream>::enqueue(SharedText text) {
  if (closing_ || shut_) return;
  queued_bytes_ += text->size();
  if (queued_bytes_ > config_.max_queued_bytes) {
    logLine(LogLevel::kWarn, address_ + " ws " + logSafe(user_, 64) + " does not read its frames: closed");
    // Drop what is queued (not the write in flight) and close; tick() cuts the socket if even that cannot go out.
    std::vector<Outgoing>().swap(queue_);
    queue_head_ = 0;
    queued_bytes_ = out_.size();
    closeAfterFlush(CloseCode::kInternal, "slow reader");
    // Out of the room now, not when the socket finally gives up; posted because this runs inside a hub call.
    net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->finish(); });
    return;
  }
  queue_.push_back({std::move(text), ws::Opcode::kText});
  schedule();
}

template <class Stream>
void WebSocketSession<Stream>::queueControl(ws::Opcode op, std::string payload) {
  if (close_sent_ || shut_) return;
  queued_bytes_ += payload.size();
  queue_.push_back({std::make_shared<const std::string>(std::move(payload)), op});
  schedule();
}

template <class Stream>
void WebSocketSession<Stream>::closeAfterFlush(CloseCode code, std::string reason) {
  beginClose(static_cast<std::uint16_t>(code), reason);
}

template <class Stream>
void WebSocketSession<Stream>::beginClose(std::uint16_t code, std::string_view reason) {
  if (closing_ || shut_) return;
  closing_ = true;
  close_frame_ = std::make_unique<std::string>();
  ws::appendClose(*close_frame_, code, reason);
  since_ = std::chrono::steady_clock::now();
  schedule();
}

template <class Stream>
void WebSocketSession<Stream>::schedule() {
  if (writing_ || shut_ || broken_) return;
  if (service_.corked()) {
    if (!dirty_) {
      dirty_ = true;
      service_.defer(this->shared_from_this());
    }
    return;
  }
  doWrite();
}

template <class Stream>
void WebSocketSession<Stream>::flush() {
  dirty_ = false;
  doWrite();
}

// Gathers what is left of an earlier write (or the 101), the queued frames and, once they are all out, the
// close frame, and offers them to the socket in one sendmsg. Whatever it does not take at once is copied
// into out_ and written asynchronously. TLS: always asynchronously.
template <class Stream>
void WebSocketSession<Stream>::doWrite() {
  constexpr std::size_t kGather = 32;  // frames per system call
  while (!writing_ && !shut_ && !broken_) {
    std::array<char, kGather * 10> headers;
    std::array<iovec, kGather * 2 + 2> iov;
    std::size_t count = 0, header_used = 0, total = 0, taken = 0, payload = 0;
    auto add = [&](const char* data, std::size_t size) {
      if (size == 0) return;
      iov[count++] = iovec{const_cast<char*>(data), size};
      total += size;
    };
    add(out_.data(), out_.size());
    while (queue_head_ + taken < queue_.size() && taken < kGather && total < kWriteBatch) {
      const Outgoing& frame = queue_[queue_head_ + taken++];
      if (frame.op == ws::Opcode::kPong) pong_queued_ = false;
      std::size_t size = ws::writeHeader(headers.data() + header_used, frame.op, frame.text->size());
      add(headers.data() + header_used, size);
      header_used += size;
      add(frame.text->data(), frame.text->size());
      payload += frame.text->size();
    }
    bool with_close = close_frame_ && !close_sent_ && queue_head_ + taken == queue_.size();
    if (with_close) add(close_frame_->data(), close_frame_->size());
    if (total == 0) return;
    std::size_t written = 0;
    if constexpr (!kTls) {
      // A small write (a relayed frame is ~0.2-2 KiB) is copied into one buffer and goes out with send():
      // sendmsg() copies and checks the message header and the iovec array from user memory, which cost ~5 % of
      // the server's time at one frame per write; a copy of a few hundred bytes costs far less.
      ssize_t n;
      if (total <= kContiguousSend) {
        std::array<char, kContiguousSend> flat;
        std::size_t at = 0;
        for (std::size_t i = 0; i < count; ++i) {
          std::memcpy(flat.data() + at, iov[i].iov_base, iov[i].iov_len);
          at += iov[i].iov_len;
        }
        n = ::send(fd_, flat.data(), total, MSG_NOSIGNAL);
      } else {
        msghdr msg{};
        msg.msg_iov = iov.data();
        msg.msg_iovlen = count;
        n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        // Reset or broken pipe. Not shut() here: this may run inside a hub call (a broadcast), which must not
        // see a member leave under it.
        broken_ = true;
        net::post(stream_.get_executor(), [self = this->shared_from_this()] { self->shut(); });
        return;
      }
      written = n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    std::string rest;
    if (written < total) {
      rest.reserve(total - written);
      std::size_t skip = written;
      for (std::size_t i = 0; i < count; ++i) {
        std::size_t size = iov[i].iov_len;
        if (skip >= size) {
          skip -= size;
          continue;
        }
        rest.append(static_cast<const char*>(iov[i].iov_base) + skip, size - skip);
        skip = 0;
      }
    }
    queued_bytes_ = queued_bytes_ - payload - out_.size() + rest.size();
    queue_head_ += taken;
    if (queueEmpty()) {
      std::vector<Outgoing>().swap(queue_);  // an idle socket holds no queue
      queue_head_ = 0;
    } else {
      // Sent frames are let go at once; the vector is compacted only once they are half of it, so a long
      // backlog drains in linear time (erasing from the front at every write was quadratic).
      for (std::size_t i = queue_head_ - taken; i < queue_head_; ++i) queue_[i].text.reset();
      if (queue_head_ >= 64 && 2 * queue_head_ >= queue_.size()) {
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(queue_head_));
        queue_head_ = 0;
      }
    }
    if (with_close) {
      close_frame_.reset();
      close_sent_ = true;
    }
    if (rest.empty()) {
      std::string().swap(out_);  // (a move from an empty string would keep out_'s buffer)
    } else {
      out_ = std::move(rest);
    }
    if (!out_.empty()) {
      writing_ = true;
      if constexpr (kTls) {
        net::async_write(stream_, net::buffer(out_), [self = this->shared_from_this()](boost::system::error_code ec,
                                                                                      std::size_t) { self->onWrite(ec); });
      }
      // Plain: the socket is full; the poller's EPOLLOUT brings continueWrite.
      return;
    }
    if (close_sent_ && queueEmpty()) {
      // Our close frame is out. Once the client's has come too, send FIN and drain until its FIN (closing with
      // unread bytes would reset the connection and could destroy the close frame before the client reads it).
      if (peer_closed_) halfClose();
      return;
    }
  }
}

template <class Stream>
void WebSocketSession<Stream>::onWrite(boost::system::error_code ec) {
  writing_ = false;
  if (ec) return shut();
  queued_bytes_ -= out_.size();
  std::string().swap(out_);
  if (close_sent_ && queueEmpty()) {
    if (peer_closed_) halfClose();
    return;
  }
  doWrite();
}

template <class Stream>
void WebSocketSession<Stream>::continueWrite() {
  if constexpr (!kTls) {
    while (!out_.empty()) {
      const ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // still full: the next EPOLLOUT
      if (n <= 0) return onWrite(boost::system::error_code(errno ? errno : EPIPE, boost::system::system_category()));
      out_.erase(0, static_cast<std::size_t>(n));
      queued_bytes_ -= static_cast<std::size_t>(n);
    }
    onWrite({});
  }
}

// Both close frames have been exchanged. Plain: FIN now, the read loop drains until the client's FIN. TLS: the
// client ends TLS (close_notify), which the read loop answers before closing.
template <class Stream>
void WebSocketSession<Stream>::halfClose() {
  if constexpr (!kTls) {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
  }
  // TLS: the client ends TLS with close_notify, which the read loop answers; one that never does is cut by tick()
  // after the close grace period (closing without close_notify makes TLS clients report a truncated stream).
}

template <class Stream>
void WebSocketSession<Stream>::tick(std::chrono::steady_clock::time_point now) {
  if (shut_) return;
  if (closing_) {
    if (now - since_ >= kCloseGrace) shut();
    return;
  }
  if (heard_) {
    heard_ = false;
    pinged_ = false;
    since_ = now;
    return;
  }
  auto quiet = now - since_;
  if (quiet >= config_.idle_timeout) {
    if (config_.access_log) {
      logLine(LogLevel::kInfo, address_ + " ws " + logSafe(user_, 64) + " silent for " +
                                   std::to_string(config_.idle_timeout.count()) + " s: dropped");
    }
    return shut();
  }
  if (quiet * 2 >= config_.idle_timeout && !pinged_) {
    pinged_ = true;
    queueControl(ws::Opcode::kPing, "");
  }
}

template <class Stream>
void WebSocketSession<Stream>::shut() {
  if (shut_) return;
  shut_ = true;
  if constexpr (kTls) {
    boost::system::error_code ignored;
    socket().close(ignored);  // pending reads and writes end with operation_aborted
  } else if (fd_ >= 0) {
    if (poller_) poller_->remove(poll_key_, fd_);
    ::close(fd_);
    fd_ = -1;
  }
  finish(Hub::Departure::kDropped);  // no-op after a close handshake, which finished already
  if (std::exchange(counted_, false)) service_.release(address_);
}

template <class Stream>
void WebSocketSession<Stream>::finish(Hub::Departure how) {
  if (id_ == 0) return;
  ConnId id = id_;
  id_ = 0;
  if (!closing_) since_ = std::chrono::steady_clock::now();
  closing_ = true;
  service_.detach(id, how);
  // Out of the room, but the socket may still be closing: tick() keeps watching it until it is shut.
  if (!shut_) service_.retire(this->weak_from_this());
}

template class WebSocketSession<tcp::socket>;
template class WebSocketSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace imroom::server
