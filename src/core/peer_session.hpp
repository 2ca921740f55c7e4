// One remote member as this page sees it: the peer connection (through a PeerPort), its negotiator, the
// chat data channel and the states the UI shows. A session belongs to one pairing `sid`, chosen by the side
// that calls; a new offer with another sid means the other page started over (reload), and replaces the session.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "negotiator.hpp"
#include "ports.hpp"

namespace imroom::core {

class PeerSession {
 public:
  struct Hooks {
    std::function<void(nlohmann::json msg)> signal;  // a negotiation message for this peer (via the socket)
    std::function<void(const std::string& text)> channelMessage;  // text received on the chat channel
    std::function<void()> channelOpened;
    std::function<void(std::string line)> log;
    std::function<void(std::string message)> problem;  // a failure worth telling the user
  };

  // `caller`: this side creates the chat channel and makes the first offer.
  PeerSession(std::string user, std::string sid, bool caller, bool polite, int peer_id,
              std::unique_ptr<PeerPort> port, Hooks hooks);

  void start();  // the caller creates the chat channel (which triggers the first offer)
  void onPeerEvent(const PeerEvent& e, double now);
  void onSignal(const nlohmann::json& msg);
  bool sendOnChannel(const std::string& text);
  void tick(double now, bool present);

  const std::string& user() const { return user_; }
  const std::string& sid() const { return sid_; }
  int peerId() const { return peer_id_; }
  bool caller() const { return caller_; }
  const std::string& connection() const { return connection_; }
  const std::string& ice() const { return ice_; }
  const std::string& channel() const { return channel_; }
  bool channelOpen() const { return channel_ == "open"; }
  bool remoteVideo() const { return remote_video_; }
  bool remoteAudio() const { return remote_audio_; }
  // What the other side says it sends ({"media":{"video","audio"}} messages); on until told otherwise.
  void setRemoteMedia(bool camera_on, bool mic_on) {
    remote_camera_on_ = camera_on;
    remote_mic_on_ = mic_on;
  }
  bool remoteCameraOn() const { return remote_camera_on_; }
  bool remoteMicOn() const { return remote_mic_on_; }
  void addLocalMedia() { port_->addLocalMedia(); }
  void setVideoBudget(int bps, double scale) { port_->setVideoBudget(bps, scale); }
  // Gone for good: failed, or disconnected for long, while the server says the user is not in the room.
  bool dead(double now, bool present) const;
  const Negotiator& negotiator() const { return *negotiator_; }

 private:
  std::string user_;
  std::string sid_;
  bool caller_;
  int peer_id_;
  std::unique_ptr<PeerPort> port_;
  Hooks hooks_;
  std::unique_ptr<Negotiator> negotiator_;
  std::string connection_ = "new";
  std::string ice_ = "new";
  std::string channel_ = "none";
  bool remote_video_ = false;
  bool remote_audio_ = false;
  bool remote_camera_on_ = true;
  bool remote_mic_on_ = true;
  double unhealthy_since_ = 0;   // when the connection became disconnected/failed (0 = healthy)
  double last_restart_ = 0;      // last ICE restart we asked for
};

}  // namespace imroom::core
