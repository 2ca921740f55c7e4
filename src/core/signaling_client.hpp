// The signaling connection as a state machine: idle → connecting → connected → reconnecting → closed.
// Connecting asks the server for a token, the signaling host and ICE servers (in parallel), opens
// `<host>/v2/<token>` and is connected once the `peers` frame arrives. A lost connection is retried with
// exponential backoff and jitter (a fresh token each time, so a restarted server is no problem); problems the
// user must fix (name taken, room full, invalid name) stop it. Keep-alive: a JSON ping every few seconds; a socket
// that stays silent past a timeout is treated as lost (browsers take minutes to notice a dead network).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "backoff.hpp"
#include "ports.hpp"
#include "signal_frame.hpp"

namespace imroom::core {

enum class SignalingState { kIdle, kConnecting, kConnected, kReconnecting, kClosed };
std::string_view toString(SignalingState s);

struct SignalingTarget {
  std::string server;     // base URL of imroom-server ("" = same origin)
  std::string username;
  std::string room;
  std::string client_id;  // this page's random id: lets it take its own name back after a drop
};

struct SignalingTimings {
  double ping_interval_ms = 5000;   // a JSON ping when nothing was sent for this long
  double silence_limit_ms = 15000;  // no frame for this long: the connection is considered lost
  double open_timeout_ms = 10000;   // a connection attempt that takes longer is abandoned
  double stall_ms = 2000;           // a tick this long after the last one: the page was not running meanwhile
};

class SignalingClient {
 public:
  struct Events {
    std::function<void(const SignalFrame&)> frame;   // every frame from the server (peers, messages, …)
    std::function<void(SignalingState)> state;
    // Something the person should know. fatal: the client stopped and will not retry.
    std::function<void(const std::string& code, const std::string& message, bool fatal)> problem;
    std::function<void(const std::string& line)> log;
    std::function<void(const std::string& ice_config)> ice;  // {"iceServers":[…]} from /api/ice
  };

  SignalingClient(Ports& ports, Events events, BackoffPolicy backoff = {}, SignalingTimings timings = {});

  void start(SignalingTarget target);
  void stop();  // leaves: closes the socket (1000), state closed, no retries
  // Sends a frame; false when not connected.
  bool send(const std::string& op, const std::optional<std::string>& to, nlohmann::json payload);

  void tick();  // timers: retries, keep-alive, silence
  void onHttp(int request_id, int status, const std::string& body);
  void onSocketOpen(int socket_id);
  void onSocketMessage(int socket_id, const std::string& text);
  void onSocketClosed(int socket_id, int code, const std::string& reason);

  SignalingState state() const { return state_; }
  int failures() const { return failures_; }      // failed attempts since the last success
  double retryAt() const { return retry_at_; }    // when the next attempt starts (0 = none planned)
  const std::string& host() const { return host_; }

 private:
  void beginAttempt();
  void maybeOpenSocket();
  void lost(const std::string& code, const std::string& message);
  void fatal(const std::string& code, const std::string& message);
  void setState(SignalingState s);
  void dropSocket();
  std::string url(const char* path) const;

  Ports& ports_;
  Events events_;
  BackoffPolicy backoff_;
  SignalingTimings timings_;
  SignalingTarget target_;
  SignalingState state_ = SignalingState::kIdle;

  int request_ = 0;  // the current attempt's /api/join request (0 = none in flight)
  int next_request_ = 1;
  std::optional<std::string> token_;
  std::string host_;
  std::unique_ptr<SocketPort> socket_;
  int socket_id_ = 0;
  int next_socket_ = 1;
  bool socket_open_ = false;
  bool ever_connected_ = false;
  int failures_ = 0;
  double retry_at_ = 0;
  double attempt_started_ = 0;
  double last_received_ = 0;
  double last_sent_ = 0;
  double last_tick_ = 0;  // when tick() last ran
  std::string refusal_;  // the code of an `error` frame that precedes a refusal (name_taken, room_full)
  std::string similar_;  // its p.similar: the member whose name the refused one looks like
  double held_for_ = 0;  // its p.held_for: seconds until the name, held for a page that dropped, is free
};

}  // namespace imroom::core
