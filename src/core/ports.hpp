// The core's view of the browser ("ports"). The wasm app implements them with embind bridges
// (src/bridge); unit tests implement them with fakes whose completions are queued. Every asynchronous
// operation completes later through an event carrying the id it was started with, so events for objects the
// core has already dropped are recognised and ignored.
#pragma once

#include <memory>
#include <string>

namespace imroom::core {

// One ICE candidate as RTCIceCandidateInit carries it.
struct IceCandidate {
  std::string candidate;
  std::string sdp_mid;
  int sdp_mline_index = -1;  // -1 = absent
};

// A session description (RTCSessionDescriptionInit).
struct Description {
  std::string type;  // "offer" | "answer"
  std::string sdp;
};

// Everything an RTCPeerConnection (and its one chat data channel) reports back to the core.
struct PeerEvent {
  enum class Kind {
    kNegotiationNeeded,     // onnegotiationneeded
    kLocalDescription,      // setLocalDescription() resolved: description = pc.localDescription
    kRemoteDescriptionSet,  // setRemoteDescription() resolved
    kIceCandidate,          // onicecandidate with a candidate (end-of-candidates is not reported)
    kConnectionState,       // onconnectionstatechange: text = the new state
    kIceConnectionState,    // oniceconnectionstatechange: text = the new state
    kChannelState,          // the chat channel's readyState changed: text = "connecting"|"open"|"closing"|"closed"
    kChannelMessage,        // a text message on the chat channel: text
    kRemoteTrack,           // ontrack: text = the track's kind ("audio" | "video")
    kFailed,                // an operation's promise rejected: text = operation, detail = the browser's message
  };
  Kind kind = Kind::kNegotiationNeeded;
  std::string text;
  std::string detail;
  Description description;
  IceCandidate candidate;
};

// One RTCPeerConnection with its chat channel. Destroying the port closes both.
class PeerPort {
 public:
  virtual ~PeerPort() = default;
  // Creates the chat data channel (the caller's side; the answerer receives it through ondatachannel).
  virtual void createChannel() = 0;
  // setLocalDescription() without arguments: an offer in "stable", an answer in "have-remote-offer".
  virtual void setLocalDescription() = 0;
  virtual void setRemoteDescription(const Description& d) = 0;
  virtual void addIceCandidate(const IceCandidate& c) = 0;  // failures come back as kFailed "addIceCandidate"
  virtual void restartIce() = 0;
  // Adds this page's camera/microphone tracks (Ports::requestMedia) to the connection; nothing when there are none.
  virtual void addLocalMedia() = 0;
  // Caps what the camera sends on this connection (RTCRtpSender.setParameters): bits per second and a
  // resolution divisor (1 = as captured).
  virtual void setVideoBudget(int max_bitrate_bps, double scale_down) = 0;
  // Sends on the chat channel; false when it is not open (the caller then uses another path).
  virtual bool sendOnChannel(const std::string& text) = 0;
};

// A WebSocket. Destroying the port closes it without further events.
class SocketPort {
 public:
  virtual ~SocketPort() = default;
  virtual bool send(const std::string& text) = 0;
  virtual void close(int code, const std::string& reason) = 0;
};

// The outside world: clock, randomness, HTTP, sockets and peer connections.
class Ports {
 public:
  virtual ~Ports() = default;
  virtual double nowMs() = 0;      // wall clock, milliseconds since the epoch (Date.now())
  virtual double random01() = 0;   // uniform in [0, 1)
  // POST `body` (JSON) to `url`; completes with Controller::onHttp(request_id, ...). status 0 = network error.
  virtual void postJson(int request_id, const std::string& url, const std::string& body) = 0;
  // Opens a WebSocket; its events come back with `socket_id`.
  virtual std::unique_ptr<SocketPort> openSocket(int socket_id, const std::string& url) = 0;
  // Asks for the camera and/or microphone (getUserMedia), adding them to what this page already sends;
  // completes with Controller::onMedia telling what the page has now.
  virtual void requestMedia(bool video, bool audio) = 0;
  // Turns the local camera ("video") or microphone ("audio") track on or off without renegotiating.
  virtual void setTrackEnabled(const std::string& kind, bool enabled) = 0;
  // Lists the cameras and microphones; completes with Controller::onDevices.
  virtual void listDevices() = 0;
  // Moves the camera (video) or microphone to device `id` on every connection (replaceTrack: no renegotiation),
  // stopping the old track; completes with Controller::onDeviceSwitched.
  virtual void useDevice(bool video, const std::string& id) = 0;
  // Starts the others' sound that the browser blocked (called on a user gesture); completes with
  // Controller::onSound.
  virtual void enableSound() = 0;
  // Stops the camera and microphone (leaving the room).
  virtual void releaseMedia() = 0;
  // Opens an http(s) link from a chat line in a new tab, with no access back to this page (called on a user
  // gesture: the chat line's menu).
  virtual void openLink(const std::string& url) = 0;
  // A peer connection configured with `config_json` ({"iceServers":[…]}); its events come back with `peer_id`.
  virtual std::unique_ptr<PeerPort> createPeer(int peer_id, const std::string& config_json) = 0;
  // Calls Controller::afterEvent() once the browser event being handled is over, and the promise callbacks it
  // started have run (a microtask).
  virtual void requestAfterEvent() = 0;
};

}  // namespace imroom::core
