#include "fake_world.hpp"

namespace imroom::core::testing {

using nlohmann::json;

class FakeSocket : public SocketPort {
 public:
  FakeSocket(World& w, Member& m, int id) : world_(w), member_(m), id_(id) {}
  ~FakeSocket() override {
    if (member_.open_socket == id_) world_.disconnect(member_, false, 1000, "");
  }
  bool send(const std::string& text) override {
    if (member_.open_socket != id_) return false;
    world_.wire.push_back(text);
    world_.queue.push_back([w = &world_, m = &member_, id = id_, text] {
      if (m->open_socket == id) w->fromClient(*m, text);
    });
    return true;
  }
  void close(int, const std::string&) override {
    if (member_.open_socket == id_) world_.disconnect(member_, false, 1000, "");
  }

 private:
  World& world_;
  Member& member_;
  int id_;
};

class FakePeer : public PeerPort {
 public:
  FakePeer(World& w, Member& owner, int peer_id) : world_(w), owner_(owner), peer_id_(peer_id), port_(w.next_port++) {
    world_.peers[port_] = this;
  }
  ~FakePeer() override {
    *alive_ = false;
    world_.peers.erase(port_);
    if (FakePeer* other = partner()) other->remoteClosed();
  }
  void createChannel() override {
    has_channel_ = true;
    event(PeerEvent::Kind::kChannelState, "connecting");
    event(PeerEvent::Kind::kNegotiationNeeded);
  }
  void restartIce() override { event(PeerEvent::Kind::kNegotiationNeeded); }
  void addLocalMedia() override {
    media_added = true;  // the other side gets the tracks with our next description (setRemoteDescription)
    event(PeerEvent::Kind::kNegotiationNeeded);
  }
  bool media_added = false;
  void setVideoBudget(int bps, double) override { budget_bps = bps; }
  int budget_bps = 0;
  void setLocalDescription() override {
    world_.queue.push_back([this, alive = alive_] {
      if (!*alive) return;
      PeerEvent e;
      e.kind = PeerEvent::Kind::kLocalDescription;
      if (state_ == "stable") {
        e.description = {"offer", std::to_string(port_) + "|offer|" + std::to_string(++version_)};
        state_ = "have-local-offer";
      } else if (state_ == "have-remote-offer") {
        e.description = {"answer", std::to_string(port_) + "|answer|" + std::to_string(++version_)};
        state_ = "stable";
      } else {
        return fail("setLocalDescription");
      }
      owner_.controller.onPeerEvent(peer_id_, e);
      PeerEvent c;
      c.kind = PeerEvent::Kind::kIceCandidate;
      c.candidate = {"candidate:" + std::to_string(port_), "0", 0};
      owner_.controller.onPeerEvent(peer_id_, c);
    });
  }
  void setRemoteDescription(const Description& d) override {
    world_.queue.push_back([this, d, alive = alive_] {
      if (!*alive) return;
      if (d.type == "offer" && (state_ == "stable" || state_ == "have-local-offer")) {
        state_ = "have-remote-offer";
      } else if (d.type == "answer" && state_ == "have-local-offer") {
        state_ = "stable";
      } else {
        return fail("setRemoteDescription");
      }
      partner_port_ = std::stoi(d.sdp.substr(0, d.sdp.find('|')));
      has_remote_ = true;
      if (FakePeer* sender = partner(); sender && sender->media_added) {
        event(PeerEvent::Kind::kRemoteTrack, "video");
        event(PeerEvent::Kind::kRemoteTrack, "audio");
      }
      event(PeerEvent::Kind::kRemoteDescriptionSet);
      if (d.type == "answer" && world_.p2p_works) {
        FakePeer* other = partner();
        if (other) {
          other->partner_port_ = port_;
          connected();
          other->connected();
        }
      }
    });
  }
  void addIceCandidate(const IceCandidate&) override {
    if (!has_remote_) fail("addIceCandidate");
  }
  bool sendOnChannel(const std::string& sent) override {
    std::string text = sent;
    FakePeer* other = partner();
    if (!channel_open_ || !other) return false;
    world_.wire.push_back(text);
    nlohmann::json payload = nlohmann::json::parse(text, nullptr, false);
    if (payload.is_object() && payload.contains("chat")) ++world_.channel_chat;
    if (payload.is_object() && payload.contains("ack")) {
      if (!payload.contains("chat")) ++world_.channel_acks;
      if (world_.drop_acks) {  // the acknowledgement is lost; a message that carried one still arrives
        if (!payload.contains("chat")) return true;
        payload.erase("ack");
        text = dumpJson(payload);
      }
    }
    world_.queue.push_back([w = &world_, port = other->port_, text] {
      auto it = w->peers.find(port);
      if (it != w->peers.end()) it->second->event(PeerEvent::Kind::kChannelMessage, text);
    });
    return true;
  }
  void remoteClosed() {
    channel_open_ = false;
    event(PeerEvent::Kind::kChannelState, "closed");
    event(PeerEvent::Kind::kConnectionState, "disconnected");
  }

 private:
  FakePeer* partner() {
    auto it = world_.peers.find(partner_port_);
    return it == world_.peers.end() ? nullptr : it->second;
  }
  void connected() {
    event(PeerEvent::Kind::kConnectionState, "connected");
    channel_open_ = true;
    event(PeerEvent::Kind::kChannelState, "open");
  }
  void event(PeerEvent::Kind kind, std::string text = {}) {
    world_.queue.push_back([this, kind, text, alive = alive_] {
      if (!*alive) return;
      PeerEvent e;
      e.kind = kind;
      e.text = text;
      owner_.controller.onPeerEvent(peer_id_, e);
    });
  }
  void fail(const std::string& op) {
    failures.push_back(op);
    PeerEvent e;
    e.kind = PeerEvent::Kind::kFailed;
    e.text = op;
    e.detail = "invalid state";
    owner_.controller.onPeerEvent(peer_id_, e);
  }

 public:
  std::vector<std::string> failures;

 private:
  World& world_;
  Member& owner_;
  int peer_id_;
  int port_;
  int partner_port_ = 0;
  int version_ = 0;
  std::string state_ = "stable";
  bool has_channel_ = false;
  bool has_remote_ = false;
  bool channel_open_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

 public:
  void kill() { *alive_ = false; }
};

Member::Member(World& w, std::string n, std::string r)
    : random_state_(static_cast<std::uint64_t>(w.next_page++) * 0x9E3779B97F4A7C15ULL),
      world(w), name(std::move(n)), room(std::move(r)), controller(JoinForm{}, this, "") {
  controller.onEvent = [this](const std::string& type, const json& detail) {
    events.push_back(json{{"type", type}, {"detail", detail}});
  };
}

double Member::nowMs() { return world.now; }

void Member::requestAfterEvent() {
  world.queue.push_back([this] { controller.afterEvent(); });
}

void Member::postJson(int request_id, const std::string& url, const std::string& body) {
  posted.push_back(body);
  world.queue.push_back([this, request_id, url] {
    if (!world.server_up) return controller.onHttp(request_id, 0, "");
    if (url != "/api/join") return controller.onHttp(request_id, 404, R"({"s":"error","v":"not_found"})");
    json v{{"token", "tok-" + name}, {"host", "ws://fake"}};
    if (world.ice_error.empty()) v["iceServers"] = world.ice_servers;
    else v["iceError"] = world.ice_error;
    controller.onHttp(request_id, 200, dumpJson(json{{"s", "ok"}, {"v", v}}));
  });
}

std::unique_ptr<SocketPort> Member::openSocket(int socket_id, const std::string&) {
  world.queue.push_back([this, socket_id] {
    if (!world.server_up) return controller.onSocketClosed(socket_id, 1006, "");
    world.connect(*this, socket_id);
  });
  return std::make_unique<FakeSocket>(world, *this, socket_id);
}

std::unique_ptr<PeerPort> Member::createPeer(int peer_id, const std::string& config) {
  peer_configs.push_back(config);
  return std::make_unique<FakePeer>(world, *this, peer_id);
}

void Member::requestMedia(bool video, bool audio) {
  world.queue.push_back([this, video, audio] {
    if (media_granted) {
      has_video = has_video || video;
      has_audio = has_audio || audio;
      controller.onMedia(true, has_video, has_audio, "", "");
    }
    else controller.onMedia(false, false, false, "NotAllowedError", "Permission denied");
  });
}

void Member::listDevices() {
  world.queue.push_back([this] {
    controller.onDevices(cameras, microphones, has_video ? camera_in_use : "", has_audio ? microphone_in_use : "");
  });
}

void Member::useDevice(bool video, const std::string& id) {
  world.queue.push_back([this, video, id] {
    if (device_busy) {
      controller.onDeviceSwitched(false, video, "NotReadableError", "Could not start video source");
      return;
    }
    std::string& in_use = video ? camera_in_use : microphone_in_use;
    stopped_devices.push_back(in_use);
    in_use = id;
    controller.onDeviceSwitched(true, video, "", "");
  });
}

void Member::enableSound() {
  world.queue.push_back([this] { controller.onSound(!sound_allowed); });
}

std::vector<std::string> Member::lines() const {
  std::vector<std::string> out;
  for (const ChatMessage& m : controller.state().chat.messages()) out.push_back(m.from + ":" + m.text);
  return out;
}

void World::connect(Member& m, int socket_id) {
  auto& users = rooms[m.room];
  m.controller.onSocketOpen(socket_id);
  std::string alike;  // like the hub: a name that looks like a member's is taken too
  for (auto& [u, _] : users)
    if (nameSkeleton(u) == nameSkeleton(m.name)) alike = u;
  if (!alike.empty() || static_cast<int>(users.size()) >= max_room) {
    std::string code = !alike.empty() ? "name_taken" : "room_full";
    m.open_socket = socket_id;
    json p{{"code", code}, {"reason", code}};
    if (!alike.empty()) p["similar"] = alike;
    if (!alike.empty() && held_for > 0) p["held_for"] = held_for;
    sendTo(m, "error", "__sys__", m.name, p);
    queue.push_back([&m, socket_id, code] {
      m.open_socket = 0;
      m.controller.onSocketClosed(socket_id, 1008, code);
    });
    return;
  }
  users[m.name] = &m;
  m.open_socket = socket_id;
  json list = json::array();
  for (auto& [u, _] : users) list.push_back(u);
  sendTo(m, "peers", "__sys__", m.name, json{{"users", list}});
  for (auto& [u, other] : users)
    if (other != &m) sendTo(*other, "peer_connected", m.name, nullptr, m.name);
}

void World::fromClient(Member& m, const std::string& text) {
  ParsedFrame parsed = parseFrame(text);
  if (!parsed.frame) return;
  const SignalFrame& f = *parsed.frame;
  if (f.op == "ping") return sendTo(m, "pong", "__sys__", m.name, f.payload);
  if (f.op != "message") return;
  auto& users = rooms[m.room];
  if (f.payload.is_object() && f.payload.contains("chat")) ++relayed_chat;
  nlohmann::json payload = f.payload;
  if (drop_acks && payload.is_object() && payload.contains("ack")) {
    if (!payload.contains("chat")) return;
    payload.erase("ack");
  }
  if (rewrite) rewrite(m, f.to ? *f.to : std::string(), payload);
  if (f.to) {
    auto it = users.find(*f.to);
    if (it == users.end()) {
      return sendTo(m, "error", "__sys__", m.name, json{{"code", "unknown_recipient"}, {"reason", "gone"}});
    }
    sendTo(*it->second, "message", m.name, *f.to, payload);
  } else {
    for (auto& [u, other] : users)
      if (other != &m) sendTo(*other, "message", m.name, nullptr, payload);
  }
}

void World::disconnect(Member& m, bool tell_client, int code, const std::string& reason) {
  int sock = m.open_socket;
  if (sock == 0) return;
  m.open_socket = 0;
  auto rit = rooms.find(m.room);
  if (rit != rooms.end() && rit->second.count(m.name) && rit->second[m.name] == &m) {
    rit->second.erase(m.name);
    if (server_up)
      for (auto& [u, other] : rit->second) sendTo(*other, "peer_removed", m.name, nullptr, m.name);
  }
  if (tell_client) queue.push_back([&m, sock, code, reason] { m.controller.onSocketClosed(sock, code, reason); });
}

}  // namespace imroom::core::testing
