#include "rehearsal.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "announcer.hpp"
#include "controller.hpp"
#include "json_util.hpp"
#include "signal_frame.hpp"

namespace imroom::core {
namespace {

using nlohmann::json;

constexpr int kMaxSteps = 5000;  // a rehearsal that went wrong stops here instead of running on
constexpr const char* kRoom = "rehearsal";

// A session description shaped like a browser's for a data-channel-only call: CRLF lines, the characters a real
// one makes JSON escape, about its size.
std::string sessionDescription(const std::string& who) {
  std::string s = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                  "a=extmap-allow-mixed\r\na=msid-semantic: WMS\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                  "c=IN IP4 0.0.0.0\r\na=ice-ufrag:" + who + "\r\na=ice-pwd:rehearsal/rehearsal+rehearsal+pw\r\n"
                  "a=ice-options:trickle\r\na=fingerprint:sha-256 ";
  for (int i = 0; i < 32; ++i) s += i ? ":5A" : "5A";
  return s + "\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";
}

class Actor;
class StagePeer;

// The world both members live in: one queue of things that happen later, and the signaling server's part.
class Stage {
 public:
  std::deque<std::function<void()>> queue;
  double now = 1.8e12;
  int steps = 0;
  std::vector<Actor*> room;          // members the server let in
  std::vector<StagePeer*> peers;     // live peer connections, of both members

  void later(std::function<void()> f) { queue.push_back(std::move(f)); }
  void run() {
    while (!queue.empty() && steps < kMaxSteps) {
      std::function<void()> f = std::move(queue.front());
      queue.pop_front();
      ++steps;
      now += 1;
      f();
    }
  }
  void connect(Actor& a);
  void relay(Actor& from, const std::string& text);
  void disconnect(Actor& a);
  void deliver(Actor& to, const std::string& op, const std::string& from, json recipient, json payload);
};

// One member: the ports its controller talks to.
class Actor : public Ports {
 public:
  Actor(Stage& on, std::string called) : stage(on), name(std::move(called)), controller({}, this) {}

  double nowMs() override { return stage.now; }
  double random01() override { return 0.25; }
  void postJson(int request_id, const std::string&, const std::string&) override {  // /api/join
    json v{{"token", "token-" + name}, {"host", "ws://rehearsal"},
           {"iceServers", json::array({json{{"urls", json::array({"stun:rehearsal.invalid:3478"})}}})}};
    stage.later([this, request_id, body = dumpJson(json{{"s", "ok"}, {"v", v}})] { controller.onHttp(request_id, 200, body); });
  }
  std::unique_ptr<SocketPort> openSocket(int socket_id, const std::string&) override;
  std::unique_ptr<PeerPort> createPeer(int peer_id, const std::string&) override;
  void requestMedia(bool, bool) override {}
  void setTrackEnabled(const std::string&, bool) override {}
  void listDevices() override {}
  void useDevice(bool, const std::string&) override {}
  void enableSound() override {}
  void releaseMedia() override {}
  void openLink(const std::string&) override {}
  void requestAfterEvent() override {
    stage.later([this] { controller.afterEvent(); });
  }

  Stage& stage;
  std::string name;
  Controller controller;
  int socket = 0;  // the socket the server holds for this member (0 = none)
};

class StageSocket : public SocketPort {
 public:
  StageSocket(Actor& a, int id) : actor_(a), id_(id) {}
  ~StageSocket() override { close(1000, ""); }
  bool send(const std::string& text) override {
    if (actor_.socket != id_) return false;
    actor_.stage.later([a = &actor_, id = id_, text] {
      if (a->socket == id) a->stage.relay(*a, text);
    });
    return true;
  }
  void close(int, const std::string&) override {
    if (actor_.socket == id_) actor_.stage.disconnect(actor_);
  }

 private:
  Actor& actor_;
  int id_;
};

// A peer connection with JSEP's signaling states; it connects once an answer is applied, and opens the chat
// channel on both sides.
class StagePeer : public PeerPort {
 public:
  StagePeer(Actor& owner, int id) : owner_(owner), id_(id) { owner_.stage.peers.push_back(this); }
  ~StagePeer() override {
    *alive_ = false;
    auto& all = owner_.stage.peers;
    all.erase(std::remove(all.begin(), all.end(), this), all.end());
  }
  void createChannel() override { event(PeerEvent::Kind::kChannelState, "connecting"); }
  void setLocalDescription() override {
    later([this] {
      PeerEvent e;
      e.kind = PeerEvent::Kind::kLocalDescription;
      e.description = {state_ == "stable" ? "offer" : "answer", sessionDescription(owner_.name)};
      state_ = state_ == "stable" ? "have-local-offer" : "stable";
      owner_.controller.onPeerEvent(id_, e);
      PeerEvent c;
      c.kind = PeerEvent::Kind::kIceCandidate;
      c.candidate = {"candidate:1 1 udp 2113937151 127.0.0.1 50000 typ host generation 0 ufrag " + owner_.name +
                         " network-cost 999",
                     "0", 0};
      owner_.controller.onPeerEvent(id_, c);
    });
  }
  void setRemoteDescription(const Description& d) override {
    later([this, answer = d.type == "answer"] {
      state_ = answer ? "stable" : "have-remote-offer";
      event(PeerEvent::Kind::kRemoteDescriptionSet);
      if (!answer) return;
      for (StagePeer* p : owner_.stage.peers) p->connected();
    });
  }
  void addIceCandidate(const IceCandidate&) override {}
  void restartIce() override {}
  void addLocalMedia() override {}
  void setVideoBudget(int, double) override {}
  bool sendOnChannel(const std::string& text) override {
    if (!open_) return false;
    for (StagePeer* p : owner_.stage.peers)
      if (&p->owner_ != &owner_) p->later([p, text] { p->event(PeerEvent::Kind::kChannelMessage, text); });
    return true;
  }

 private:
  void later(std::function<void()> f) {
    owner_.stage.later([alive = alive_, f = std::move(f)] {
      if (*alive) f();
    });
  }
  void event(PeerEvent::Kind kind, std::string text = {}) {
    PeerEvent e;
    e.kind = kind;
    e.text = std::move(text);
    owner_.controller.onPeerEvent(id_, e);
  }
  void connected() {
    later([this] {
      event(PeerEvent::Kind::kIceConnectionState, "checking");
      event(PeerEvent::Kind::kConnectionState, "connecting");
      event(PeerEvent::Kind::kIceConnectionState, "connected");
      event(PeerEvent::Kind::kConnectionState, "connected");
      open_ = true;
      event(PeerEvent::Kind::kChannelState, "open");
    });
  }

  Actor& owner_;
  int id_;
  std::string state_ = "stable";
  bool open_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

std::unique_ptr<SocketPort> Actor::openSocket(int socket_id, const std::string&) {
  socket = socket_id;
  stage.later([this, socket_id] {
    if (socket != socket_id) return;
    controller.onSocketOpen(socket_id);
    stage.connect(*this);
  });
  return std::make_unique<StageSocket>(*this, socket_id);
}

std::unique_ptr<PeerPort> Actor::createPeer(int peer_id, const std::string&) {
  return std::make_unique<StagePeer>(*this, peer_id);
}

void Stage::deliver(Actor& to, const std::string& op, const std::string& from, json recipient, json payload) {
  SignalFrame f;
  f.op = op;
  f.from = std::string("/imroom/") + kRoom + "/" + from;
  if (recipient.is_string()) f.to = recipient.get<std::string>();
  f.payload = std::move(payload);
  later([a = &to, id = to.socket, text = printFrame(f)] {
    if (a->socket == id) a->controller.onSocketMessage(id, text);
  });
}

void Stage::connect(Actor& a) {
  room.push_back(&a);
  json users = json::array();
  for (Actor* m : room) users.push_back(m->name);
  deliver(a, "peers", "__sys__", a.name, json{{"users", users}});
  for (Actor* m : room)
    if (m != &a) deliver(*m, "peer_connected", a.name, nullptr, a.name);
}

void Stage::relay(Actor& from, const std::string& text) {
  ParsedFrame parsed = parseFrame(text);
  if (!parsed.frame || parsed.frame->op != "message") return;  // pings and the like: nothing to relay
  const SignalFrame& f = *parsed.frame;
  for (Actor* m : room)
    if (m != &from && (!f.to || *f.to == m->name)) deliver(*m, "message", from.name, f.to ? json(*f.to) : json(), f.payload);
}

void Stage::disconnect(Actor& a) {
  a.socket = 0;
  room.erase(std::remove(room.begin(), room.end(), &a), room.end());
  for (Actor* m : room) deliver(*m, "peer_removed", a.name, nullptr, a.name);
}

bool sawOnce(const Controller& c, const std::string& text) {
  int n = 0;
  for (const ChatMessage& m : c.state().chat.messages()) n += m.text == text;
  return n == 1;
}

}  // namespace

RehearsalResult rehearseJoin() {
  RehearsalResult r;
  Stage stage;
  Announcer announcer;  // what the app does at every state change, rehearsed too
  Actor ann(stage, "ann"), bob(stage, "bob");
  ann.controller.onStateChanged = [&] { announcer.update(ann.controller.state()); };
  ann.controller.onEvent = [](const std::string&, const json& detail) { (void)dumpJson(detail); };
  for (Actor* a : {&ann, &bob}) {
    a->controller.apply(EditForm{JoinForm{a->name, kRoom, MediaKind::kText}});
    a->controller.apply(Join{});
    stage.run();
  }
  auto seesOther = [](const Actor& a) {
    return a.controller.state().signaling == SignalingState::kConnected && a.controller.state().peers.size() == 1;
  };
  r.joined = seesOther(ann) && seesOther(bob);
  const PeerSession* ab = ann.controller.session("bob");
  const PeerSession* ba = bob.controller.session("ann");
  r.connected = ab && ba && ab->channelOpen() && ba->channelOpen();
  ann.controller.sendChat("Hello, everyone! \xF0\x9F\x91\x8B", "");
  stage.run();
  bob.controller.sendChat("Hi \"ann\", welcome.", "ann");
  stage.run();
  // A conversation, answered as it arrives (as a person or an embedding page does): the chat's hot path.
  for (int i = 0; i < kRehearsedExchanges; ++i) {
    ann.controller.sendChat("How is it going over there? " + std::to_string(i), "bob");
    stage.run();
    bob.controller.sendChat("Fine, thanks \xE2\x80\x94 and you? " + std::to_string(i), "ann");
    stage.run();
  }
  r.chatted = true;
  for (const Actor* a : {&ann, &bob}) {
    r.chatted = r.chatted && sawOnce(a->controller, "Hello, everyone! \xF0\x9F\x91\x8B") &&
                sawOnce(a->controller, "Hi \"ann\", welcome.") &&
                sawOnce(a->controller, "Fine, thanks \xE2\x80\x94 and you? " + std::to_string(kRehearsedExchanges - 1)) &&
                a->controller.state().chat.size() == 2 + 2 * kRehearsedExchanges && a->controller.state().pending == 0;
  }
  r.room = ann.controller.state();
  ann.controller.apply(Leave{});
  stage.run();
  r.left = bob.controller.state().peers.empty();
  bob.controller.apply(Leave{});
  stage.run();
  r.steps = stage.steps;
  return r;
}

}  // namespace imroom::core
