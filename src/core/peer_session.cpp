#include "peer_session.hpp"

namespace imroom::core {

using nlohmann::json;

namespace {
constexpr double kRestartAfterMs = 4000;   // disconnected this long (or failed): restart ICE
constexpr double kRestartEveryMs = 10000;  // at most one ICE restart this often
constexpr double kGiveUpAfterMs = 15000;   // unhealthy this long with the user gone from the room: drop it
}  // namespace

PeerSession::PeerSession(std::string user, std::string sid, bool caller, bool polite, int peer_id,
                         std::unique_ptr<PeerPort> port, Hooks hooks)
    : user_(std::move(user)), sid_(std::move(sid)), caller_(caller), peer_id_(peer_id), port_(std::move(port)),
      hooks_(std::move(hooks)) {
  negotiator_ = std::make_unique<Negotiator>(
      polite, *port_,
      [this](json msg) {
        msg["sid"] = sid_;
        if (hooks_.signal) hooks_.signal(std::move(msg));
      },
      [this](std::string line) {
        if (hooks_.log) hooks_.log(user_ + ": " + line);
      });
}

void PeerSession::start() {
  if (!caller_) return;
  channel_ = "connecting";
  port_->createChannel();
  negotiator_->offerNow();  // not a task later, at the browser's negotiationneeded
}

void PeerSession::onPeerEvent(const PeerEvent& e, double now) {
  using K = PeerEvent::Kind;
  switch (e.kind) {
    case K::kNegotiationNeeded: negotiator_->onNegotiationNeeded(); break;
    case K::kLocalDescription:
      if (hooks_.log) hooks_.log((e.description.type == "offer" ? "calling " : "answering ") + user_);
      negotiator_->onLocalDescription(e.description);
      break;
    case K::kRemoteDescriptionSet: negotiator_->onRemoteDescriptionSet(); break;
    case K::kIceCandidate: negotiator_->onLocalCandidate(e.candidate); break;
    case K::kConnectionState:
      if (e.text == connection_) break;
      connection_ = e.text;
      if (hooks_.log) hooks_.log(user_ + ": " + connection_);
      if (connection_ == "disconnected" || connection_ == "failed") {
        if (unhealthy_since_ == 0) unhealthy_since_ = now;
      } else {
        unhealthy_since_ = 0;
      }
      if (connection_ == "failed" && hooks_.problem) {
        hooks_.problem("Cannot reach " + user_ + " directly (the connection failed); trying again. Chat still "
                       "goes through the server meanwhile.");
      }
      break;
    case K::kIceConnectionState:
      if (e.text != ice_) {
        ice_ = e.text;
        if (hooks_.log) hooks_.log(user_ + ": ICE " + ice_);
      }
      break;
    case K::kChannelState:
      if (e.text == channel_) break;
      channel_ = e.text;
      if (hooks_.log) hooks_.log(user_ + ": chat " + channel_);
      if (channel_ == "open" && hooks_.channelOpened) hooks_.channelOpened();
      break;
    case K::kRemoteTrack:
      if (e.text == "video" && !remote_video_) {
        remote_video_ = true;
        if (hooks_.log) hooks_.log(user_ + ": receiving video");
      } else if (e.text == "audio" && !remote_audio_) {
        remote_audio_ = true;
        if (hooks_.log) hooks_.log(user_ + ": receiving audio");
      }
      break;
    case K::kChannelMessage:
      if (hooks_.channelMessage) hooks_.channelMessage(e.text);
      break;
    case K::kFailed:
      if (negotiator_->onFailed(e.text, e.detail) && hooks_.log) hooks_.log(user_ + ": " + e.text + " failed: " + e.detail);
      break;
  }
}

void PeerSession::onSignal(const json& msg) { negotiator_->onRemoteMessage(msg); }

bool PeerSession::sendOnChannel(const std::string& text) { return channelOpen() && port_->sendOnChannel(text); }

bool PeerSession::dead(double now, bool present) const {
  if (connection_ == "closed") return true;
  return !present && unhealthy_since_ > 0 && now - unhealthy_since_ > kGiveUpAfterMs;
}

void PeerSession::tick(double now, bool present) {
  // An unhealthy connection to someone still in the room: ask for new ICE candidates (an ICE restart).
  if (present && unhealthy_since_ > 0 && now - unhealthy_since_ > kRestartAfterMs &&
      now - last_restart_ > kRestartEveryMs) {
    last_restart_ = now;
    if (hooks_.log) hooks_.log(user_ + ": restarting ICE");
    port_->restartIce();
  }
}

}  // namespace imroom::core
