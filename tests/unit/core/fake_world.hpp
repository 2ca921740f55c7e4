// A deterministic in-memory world for controller tests: a clock, a tiny signaling server that speaks the
// frames of PROTOCOL.md §4 (presence, relay to one user, refusals), and fake peer connections that model
// JSEP's signaling states and connect once an offer/answer exchange completes. Everything asynchronous goes
// through one queue, run by the test. (The real server is tested with real sockets in tests/server.)
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "controller.hpp"
#include "json_util.hpp"
#include "names.hpp"

namespace imroom::core::testing {

class World;

class Member : public Ports {
 public:
  Member(World& world, std::string name, std::string room);
  double nowMs() override;
  // Ids drawn from it differ between pages (each page has its own sequence); backoff jitter stays mid-range.
  double random01() override {
    random_state_ = random_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return 0.25 + 0.5 * static_cast<double>(random_state_ >> 11) / 9007199254740992.0;
  }
  void postJson(int request_id, const std::string& url, const std::string& body) override;
  std::unique_ptr<SocketPort> openSocket(int socket_id, const std::string& url) override;
  std::unique_ptr<PeerPort> createPeer(int peer_id, const std::string& config_json) override;
  void requestMedia(bool video, bool audio) override;
  void releaseMedia() override { media_released = true; }
  void setTrackEnabled(const std::string& kind, bool enabled) override { track_enabled[kind] = enabled; }
  void listDevices() override;
  void useDevice(bool video, const std::string& id) override;
  void enableSound() override;
  void openLink(const std::string& url) override { opened_links.push_back(url); }
  // After whatever the queue holds now: a promise callback the event queued runs first.
  void requestAfterEvent() override;
  std::vector<std::string> opened_links;
  std::vector<std::string> peer_configs;  // the configuration each peer connection was created with
  // The fake devices: two cameras and one microphone; the first of each is in use once granted.
  std::vector<MediaDevice> cameras{{"cam-a", "Front camera"}, {"cam-b", "USB camera"}};
  std::vector<MediaDevice> microphones{{"mic-a", "Built-in microphone"}};
  std::string camera_in_use = "cam-a", microphone_in_use = "mic-a";
  std::vector<std::string> stopped_devices;  // old tracks stopped by a switch
  bool device_busy = false;  // useDevice fails with NotReadableError
  bool sound_allowed = true;  // enableSound succeeds
  std::map<std::string, bool> track_enabled;
  bool media_released = false;
  bool media_granted = true;
  bool has_video = false, has_audio = false;  // what the fake local stream holds

  void join(MediaKind media = MediaKind::kText) {
    controller.apply(EditForm{JoinForm{name, room, media}});
    controller.apply(Join{});
  }
  // Texts of the chat log, "from:text" each, in order.
  std::vector<std::string> lines() const;

  std::uint64_t random_state_;  // before the controller, which draws its ids as it is made
  World& world;
  std::string name, room;
  Controller controller;
  std::vector<std::string> posted;  // the bodies of the page's HTTP requests
  int open_socket = 0;  // the socket id the server holds for this member (0 = none)
  std::vector<nlohmann::json> events;  // onEvent: {"type":…, "detail":…}
};

class World {
 public:
  double now = 1'000'000;
  std::deque<std::function<void()>> queue;
  bool server_up = true;
  bool p2p_works = true;  // false: peer connections never connect (chat must go through the server)
  int max_room = 8;
  double held_for = 0;  // > 0: a taken name's member is away (the hub's rejoin grace), free in this many seconds
  std::map<std::string, std::map<std::string, Member*>> rooms;  // room → user → member
  std::map<int, class FakePeer*> peers;  // by global port number
  int next_port = 1;
  long next_page = 1;        // seeds each Member's random sequence
  std::vector<std::string> wire;  // every text a page sent to the server or over a data channel
  long relayed_chat = 0;    // chat payloads relayed through the server
  long channel_chat = 0;    // chat payloads sent over data channels
  long channel_acks = 0;    // acknowledgements sent over data channels on their own (not carried by a chat)
  bool drop_acks = false;   // the network loses every acknowledgement
  bool silent = false;      // the server reads but never answers (a dead network path the browser has not noticed)
  // A page that sends what it likes: called on every `message` payload the server relays, with its sender and
  // its recipient ("" = the room), before it goes out.
  std::function<void(Member& from, const std::string& to, nlohmann::json& payload)> rewrite;
  // What /api/join answers for ICE: these servers, or (when ice_error is set) {"iceError": ice_error} instead.
  nlohmann::json ice_servers = nlohmann::json::array();
  std::string ice_error;

  void run(int limit = 100000) {
    for (int i = 0; i < limit && !queue.empty(); ++i) {
      auto f = std::move(queue.front());
      queue.pop_front();
      f();
    }
  }
  // Lets time pass in steps of `step_ms`, ticking every member.
  void advance(double ms, std::vector<Member*> members, double step_ms = 50) {
    for (double t = 0; t < ms; t += step_ms) {
      now += step_ms;
      for (Member* m : members) m->controller.tick();
      run();
    }
  }

  // The signaling server's side of one member's socket.
  void connect(Member& m, int socket_id);
  void fromClient(Member& m, const std::string& text);
  void disconnect(Member& m, bool tell_client, int code, const std::string& reason);
  void restartServer() {
    server_up = false;
    for (auto& [room, users] : rooms) {
      std::vector<Member*> all;
      for (auto& [u, m] : users) all.push_back(m);
      for (Member* m : all) disconnect(*m, true, 1001, "server shutting down");
    }
    rooms.clear();
  }
  void sendTo(Member& m, const std::string& op, const std::string& from, const nlohmann::json& to,
              const nlohmann::json& p) {
    nlohmann::json frame{{"t", "u"}, {"m", {{"f", "/imroom/" + m.room + "/" + from}, {"o", op}, {"t", to}}}, {"p", p}};
    int sock = m.open_socket;
    if (silent) return;
    queue.push_back([&m, sock, text = dumpJson(frame)] {
      if (m.open_socket == sock && sock != 0) m.controller.onSocketMessage(sock, text);
    });
  }
};

}  // namespace imroom::core::testing
