// The browser behind the core's ports: clock, randomness, fetch, WebSockets and peer connections. It is this
// module instance's event router: browser events come back here, are looked up by id, and reach the controller.
#pragma once

#include <map>
#include <memory>

#include "controller.hpp"
#include "event_router.hpp"
#include "link_quality.hpp"
#include "ports.hpp"

namespace imroom::bridge {

class PeerConnection;
class WebSocket;

class BrowserPorts : public core::Ports, public EventRouter {
 public:
  BrowserPorts();
  ~BrowserPorts() override;
  void setController(core::Controller* controller) { controller_ = controller; }

  double nowMs() override;
  double random01() override;
  void postJson(int request_id, const std::string& url, const std::string& body) override;
  std::unique_ptr<core::SocketPort> openSocket(int socket_id, const std::string& url) override;
  std::unique_ptr<core::PeerPort> createPeer(int peer_id, const std::string& config_json) override;
  void requestMedia(bool video, bool audio) override;
  void releaseMedia() override;
  void setTrackEnabled(const std::string& kind, bool enabled) override;
  void listDevices() override;
  void useDevice(bool video, const std::string& id) override;
  void enableSound() override;
  void openLink(const std::string& url) override;
  void requestAfterEvent() override;
  // The hidden <video> elements behind the tiles (null when there is none).
  emscripten::val localVideo() const;
  emscripten::val remoteVideo(int peer_id) const;
  double audioLevel(int peer_id) const;
  // The latest connection figures of a member's connection (getStats, refreshed every 2 s).
  core::LinkStats linkStats(int peer_id) const;

  void onBrowserEvent(int target, int id, const std::string& kind, const emscripten::val& event) override;
  void onBrowserText(int target, int id, const std::string& text) override;

  // Bridges register themselves while they live, so that late events find nothing.
  void forget(int target, int id);

 private:
  core::Controller* controller_ = nullptr;
  std::map<int, WebSocket*> sockets_;
  std::map<int, PeerConnection*> peers_;
  // Made once: an acknowledgement waits for a microtask after every event that brings a chat line.
  emscripten::val queue_microtask_ = emscripten::val::null();
  emscripten::val after_event_ = emscripten::val::null();
};

}  // namespace imroom::bridge
