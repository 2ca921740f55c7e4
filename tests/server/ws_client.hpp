// A WebSocket client for the socket tests: connects to the real server on loopback and exchanges frames
// with deadlines, so a missing frame fails a test instead of hanging it. Each client owns its I/O context:
// a client nobody drives does not read (and so does not answer pings) — that is how slow and silent
// clients are simulated. A read stays pending across timeouts, so a timeout never loses a frame.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "client_frame.hpp"

namespace imroom::server::testing {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

class WsClient {
 public:
  WsClient() = default;
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Opens `target` on 127.0.0.1:port; returns the HTTP status of the upgrade answer (101 when it worked)
  // and keeps the answer's body for refusals.
  int connect(unsigned short port, const std::string& target, const std::string& origin = "") {
    boost::system::error_code ec;
    beast::get_lowest_layer(ws_).socket().connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return -1;
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
      if (!origin.empty()) req.set(beast::http::field::origin, origin);
    }));
    ws_.read_message_max(64 << 20);
    websocket::response_type res;
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
    refusal_body_ = res.body();
    if (!ec) arm();
    return static_cast<int>(res.result_int());
  }

  void setTimeout(int ms) { timeout_ = std::chrono::milliseconds(ms); }

  bool send(const std::string& text, bool binary = false) {
    if (dead_) return false;
    bool done = false;
    boost::system::error_code result;
    ws_.binary(binary);
    ws_.async_write(net::buffer(text), [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    while (!done) {
      ioc_.restart();
      if (ioc_.run_one_for(std::chrono::seconds(10)) == 0) return false;
    }
    return !result;
  }

  // The next frame, or nullopt on timeout or close (then closeReason() tells why).
  std::optional<std::string> recv() {
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (inbox_.empty() && !dead_) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) break;
      ioc_.restart();
      ioc_.run_one_for(left);
    }
    if (inbox_.empty()) return std::nullopt;
    std::string text = std::move(inbox_.front());
    inbox_.pop_front();
    return text;
  }

  std::optional<nlohmann::json> recvJson() {
    auto text = recv();
    if (!text) return std::nullopt;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
  }

  // Reads until a frame with m.o == op arrives (skipping others), or nullopt.
  std::optional<nlohmann::json> recvOp(const std::string& op, int max_frames = 50) {
    for (int i = 0; i < max_frames; ++i) {
      auto j = recvJson();
      if (!j) return std::nullopt;
      if ((*j)["m"]["o"] == op) return j;
    }
    return std::nullopt;
  }

  // Reads until the server closes the socket (or the deadline); true if it closed.
  bool waitClosed() {
    while (recv()) {
    }
    return dead_;
  }

  websocket::close_reason closeReason() const { return ws_.reason(); }
  boost::system::error_code lastError() const { return last_error_; }
  const std::string& refusalBody() const { return refusal_body_; }
  // The connection cut with no close frame (a reset), as a network drop or a killed process leaves it.
  void drop() {
    boost::system::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    dead_ = true;
  }
  void close() {
    if (dead_) return;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](boost::system::error_code) { done = true; });
    while (!done) {
      ioc_.restart();
      if (ioc_.run_one_for(std::chrono::seconds(5)) == 0) break;
    }
  }

 private:
  void arm() {
    ws_.async_read(buffer_, [this](boost::system::error_code ec, std::size_t) {
      if (ec) {
        dead_ = true;
        last_error_ = ec;
        return;
      }
      inbox_.push_back(beast::buffers_to_string(buffer_.data()));
      buffer_.consume(buffer_.size());
      arm();
    });
  }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::flat_buffer buffer_;
  std::deque<std::string> inbox_;
  bool dead_ = false;
  std::chrono::milliseconds timeout_{3000};
  std::string refusal_body_;
  boost::system::error_code last_error_;
};

inline std::string messageTo(const std::string& to, const std::string& payload_json) {
  return R"({"t":"u","m":{"f":"x","o":"message","t":)" + (to.empty() ? std::string("null") : "\"" + to + "\"") +
         R"(},"p":)" + payload_json + "}";
}

}  // namespace imroom::server::testing
