// A browser RTCPeerConnection with its chat data channel, as a core::PeerPort. Every promise ends in an event:
// resolved → kLocalDescription / kRemoteDescriptionSet, rejected → kFailed with the browser's message.
#pragma once

#include <emscripten/val.h>

#include <optional>
#include <string>

#include "data_channel.hpp"
#include "link_quality.hpp"
#include "ports.hpp"

namespace imroom::bridge {

class PeerConnection : public core::PeerPort {
 public:
  PeerConnection(int id, const std::string& config_json);
  ~PeerConnection() override;
  bool ok() const { return !pc_.isNull(); }
  const emscripten::val& handle() const { return pc_; }  // the RTCPeerConnection (null when none)

  void createChannel() override;
  void setLocalDescription() override;
  void setRemoteDescription(const core::Description& d) override;
  void addIceCandidate(const core::IceCandidate& c) override;
  void restartIce() override;
  bool sendOnChannel(const std::string& text) override;
  void addLocalMedia() override;
  void setVideoBudget(int max_bitrate_bps, double scale_down) override;
  // The hidden <video> playing this peer's camera (null until a video track arrived).
  const emscripten::val& video() const { return video_; }
  // The incoming audio's level now, 0..1 (RTCRtpReceiver.getSynchronizationSources).
  double audioLevel() const;
  core::LinkStats linkStats() const;

  // Turns a browser event of this connection (target kPeer or kChannel) into what the core understands.
  std::optional<core::PeerEvent> translate(int target, const std::string& kind, const emscripten::val& event);

 private:
  void whenSettled(emscripten::val promise, const char* ok, const char* failed);

  int id_;
  emscripten::val pc_ = emscripten::val::null();
  DataChannel channel_;
  emscripten::val video_ = emscripten::val::null();
  emscripten::val audio_ = emscripten::val::null();
};

}  // namespace imroom::bridge
