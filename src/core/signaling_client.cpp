#include "signaling_client.hpp"

#include <algorithm>
#include <cmath>

#include "json_util.hpp"

namespace imroom::core {

using nlohmann::json;

std::string_view toString(SignalingState s) {
  switch (s) {
    case SignalingState::kIdle: return "idle";
    case SignalingState::kConnecting: return "connecting";
    case SignalingState::kConnected: return "connected";
    case SignalingState::kReconnecting: return "reconnecting";
    case SignalingState::kClosed: return "closed";
  }
  return "idle";
}

SignalingClient::SignalingClient(Ports& ports, Events events, BackoffPolicy backoff, SignalingTimings timings)
    : ports_(ports), events_(std::move(events)), backoff_(backoff), timings_(timings) {}

std::string SignalingClient::url(const char* path) const {
  std::string base = target_.server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

void SignalingClient::setState(SignalingState s) {
  if (s == state_) return;
  state_ = s;
  if (events_.state) events_.state(s);
}

void SignalingClient::start(SignalingTarget target) {
  target_ = std::move(target);
  failures_ = 0;
  ever_connected_ = false;
  beginAttempt();
}

void SignalingClient::beginAttempt() {
  dropSocket();
  token_.reset();
  host_.clear();
  retry_at_ = 0;
  refusal_.clear();
  similar_.clear();
  held_for_ = 0;
  attempt_started_ = ports_.nowMs();
  setState(ever_connected_ ? SignalingState::kReconnecting : SignalingState::kConnecting);
  json body{{"username", target_.username}, {"room", target_.room}};
  if (!target_.client_id.empty()) body["client"] = target_.client_id;
  // One request for the token, the signaling host and the ICE servers (PROTOCOL.md §1): each request costs the
  // page a fetch and a task for its answer, and a join used to make three.
  request_ = next_request_++;
  ports_.postJson(request_, url("/api/join"), dumpJson(body));
}

void SignalingClient::onHttp(int request_id, int status, const std::string& body) {
  if (request_id != request_ || request_ == 0) return;  // from an abandoned attempt
  request_ = 0;
  json doc = parseJson(body);
  const bool ok = status == 200 && jsonString(doc, "s") == "ok" && doc.contains("v");
  if (!ok) {
    const std::string reason = jsonString(doc, "v", "HTTP " + std::to_string(status));
    if (status == 0) {
      lost("server_unreachable", "Cannot reach the imroom server" +
                                     (target_.server.empty() ? std::string() : " at " + target_.server) + ".");
    } else if (status == 400) {
      fatal("bad_request", "The server refused to let you join: " + reason + ".");
    } else if (status == 429) {
      lost("rate_limited", "The server is busy (too many requests from this address).");
    } else {
      lost("server_error", "The signaling service is unavailable (" + reason + ").");
    }
    return;
  }
  const json& v = doc["v"];
  const std::string token = jsonString(v, "token"), host = jsonString(v, "host");
  if (token.empty()) return lost("server_error", "The server sent an unusable token.");
  if (host.empty()) return lost("server_error", "The server named no signaling host.");
  token_ = token;
  host_ = host;
  // Without ICE servers a member still joins, and peers use the browser's defaults (a direct path only).
  auto ice = v.find("iceServers");
  if (ice != v.end() && ice->is_array()) {
    if (events_.ice) events_.ice(dumpJson(json{{"iceServers", *ice}}));
  } else if (events_.log) {
    events_.log("no ICE servers from the server (" + jsonString(v, "iceError", "none given") + ")");
  }
  maybeOpenSocket();
}

void SignalingClient::maybeOpenSocket() {
  if (!token_ || host_.empty() || socket_) return;
  std::string host = host_;
  while (!host.empty() && host.back() == '/') host.pop_back();
  socket_id_ = next_socket_++;
  socket_open_ = false;
  socket_ = ports_.openSocket(socket_id_, host + "/v2/" + *token_);
  if (!socket_) lost("server_unreachable", "Cannot open a connection to " + host + ".");
}

void SignalingClient::onSocketOpen(int socket_id) {
  if (socket_id != socket_id_ || !socket_) return;
  socket_open_ = true;
  last_received_ = last_sent_ = ports_.nowMs();
}

void SignalingClient::onSocketMessage(int socket_id, const std::string& text) {
  if (socket_id != socket_id_ || !socket_) return;
  last_received_ = ports_.nowMs();
  ParsedFrame parsed = parseFrame(text);
  if (!parsed.frame) {
    if (events_.log) events_.log("ignored a malformed frame from the server: " + parsed.detail);
    return;
  }
  const SignalFrame& f = *parsed.frame;
  if (f.op == "pong") return;
  if (f.op == "error") {
    std::string code = jsonString(f.payload, "code");
    if (code == "name_taken" || code == "room_full") refusal_ = code;
    similar_ = jsonString(f.payload, "similar");
    held_for_ = jsonNumber(f.payload, "held_for");
  }
  if (f.op == "peers" && state_ != SignalingState::kConnected) {
    failures_ = 0;
    ever_connected_ = true;
    setState(SignalingState::kConnected);
  }
  if (events_.frame) events_.frame(f);
}

void SignalingClient::onSocketClosed(int socket_id, int code, const std::string& reason) {
  if (socket_id != socket_id_ || !socket_) return;
  socket_.reset();  // already closed; nothing to close
  socket_open_ = false;
  std::string why = !reason.empty() ? reason : refusal_;
  if (code == 1008 && why == "name_taken" && !similar_.empty() && similar_ != target_.username) {
    return fatal("name_taken", "The name '" + target_.username + "' looks too much like '" + similar_ +
                                   "', who is already in room '" + target_.room + "'. Choose another name.");
  }
  if (code == 1008 && why == "name_taken" && held_for_ > 0 && held_for_ < 3600) {
    return fatal("name_taken", "The name '" + target_.username + "' is held in room '" + target_.room +
                                   "' for a page whose connection dropped, in case it comes back. It is free again in " +
                                   std::to_string(static_cast<int>(std::ceil(held_for_))) +
                                   " s: join again then, or choose another name.");
  }
  if (code == 1008 && why == "name_taken") {
    return fatal("name_taken", "The name '" + target_.username + "' is already taken in room '" + target_.room +
                                   "'. Choose another name.");
  }
  if (code == 1008 && why == "room_full") {
    return fatal("room_full", "Room '" + target_.room + "' is full. Try again later or choose another room.");
  }
  if (code == 1001 && why == "replaced") {
    return fatal("replaced", "This room was opened again from the same page; this connection was closed.");
  }
  if (state_ == SignalingState::kConnected) {
    lost("connection_lost", "Lost the connection to the server" +
                                (why.empty() ? std::string() : " (" + why + ")") + ".");
  } else {
    lost("server_unreachable", "Could not connect to the signaling server" +
                                   (why.empty() ? std::string() : " (" + why + ")") + ".");
  }
}

void SignalingClient::lost(const std::string& code, const std::string& message) {
  if (state_ == SignalingState::kClosed || state_ == SignalingState::kIdle) return;
  dropSocket();
  request_ = 0;
  double delay = backoff_.delayMs(failures_, ports_.random01());
  ++failures_;
  retry_at_ = ports_.nowMs() + delay;
  setState(ever_connected_ ? SignalingState::kReconnecting : SignalingState::kConnecting);
  if (events_.problem) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", delay / 1000.0);
    events_.problem(code, message + " Retrying in " + secs + " s.", false);
  }
}

void SignalingClient::fatal(const std::string& code, const std::string& message) {
  dropSocket();
  request_ = 0;
  retry_at_ = 0;
  setState(SignalingState::kClosed);
  if (events_.problem) events_.problem(code, message, true);
}

void SignalingClient::dropSocket() {
  if (socket_) socket_->close(1000, "");
  socket_.reset();
  socket_open_ = false;
  socket_id_ = 0;
}

void SignalingClient::stop() {
  dropSocket();
  request_ = 0;
  retry_at_ = 0;
  setState(SignalingState::kClosed);
}

bool SignalingClient::send(const std::string& op, const std::optional<std::string>& to, json payload) {
  if (state_ != SignalingState::kConnected || !socket_ || !socket_open_) return false;
  SignalFrame f;
  f.op = op;
  f.to = to;
  f.payload = std::move(payload);
  if (!socket_->send(printFrame(f))) return false;
  last_sent_ = ports_.nowMs();
  return true;
}

void SignalingClient::tick() {
  const double now = ports_.nowMs();
  // A page that did not run for a while (a long task, a frame waiting for a busy GPU, a throttled background tab)
  // heard nothing meanwhile, and what the server sent may still wait behind this overdue timer: that time is
  // not the server's silence, nor the attempt's. (Four camera pages on two cores here: a page stalled past the
  // silence limit, took the pongs waiting in its queue for silence, and left and rejoined the room.)
  if (last_tick_ > 0 && now - last_tick_ > timings_.stall_ms) {
    const double stalled = now - last_tick_;
    last_received_ = std::min(now, last_received_ + stalled);
    attempt_started_ = std::min(now, attempt_started_ + stalled);
  }
  last_tick_ = now;
  if (retry_at_ > 0 && now >= retry_at_ &&
      (state_ == SignalingState::kReconnecting || state_ == SignalingState::kConnecting)) {
    beginAttempt();
    return;
  }
  if (state_ == SignalingState::kConnected && socket_open_) {
    if (now - last_received_ > timings_.silence_limit_ms) {
      lost("connection_lost", "The server stopped answering.");
      return;
    }
    if (now - last_sent_ >= timings_.ping_interval_ms) send("ping", std::nullopt, nullptr);
  } else if ((state_ == SignalingState::kConnecting || state_ == SignalingState::kReconnecting) && retry_at_ == 0 &&
             now - attempt_started_ > timings_.open_timeout_ms) {
    lost("server_unreachable", "The signaling server did not answer in time.");
  }
}

}  // namespace imroom::core
