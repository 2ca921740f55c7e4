#include "browser_ports.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <random>

#include "peer_connection.hpp"
#include "web_socket.hpp"

namespace imroom::bridge {

using emscripten::val;

namespace {
constexpr int kHttpTimeoutMs = 10000;

// The bridges, wrapped so that they unregister when the core drops them.
class OwnedSocket : public WebSocket {
 public:
  OwnedSocket(BrowserPorts& ports, int id, const std::string& url) : WebSocket(id, url), ports_(ports), id_(id) {}
  ~OwnedSocket() override { ports_.forget(kSocket, id_); }

 private:
  BrowserPorts& ports_;
  int id_;
};

class OwnedPeer : public PeerConnection {
 public:
  OwnedPeer(BrowserPorts& ports, int id, const std::string& config) : PeerConnection(id, config), ports_(ports), id_(id) {}
  ~OwnedPeer() override { ports_.forget(kPeer, id_); }

 private:
  BrowserPorts& ports_;
  int id_;
};
}  // namespace

BrowserPorts::BrowserPorts() {
  for (Target t : {kSocket, kPeer, kHttp, kChannel, kMedia, kLater}) setRouter(t, this);
}
BrowserPorts::~BrowserPorts() {
  for (Target t : {kSocket, kPeer, kHttp, kChannel, kMedia, kLater}) setRouter(t, nullptr);
  releaseMedia();
}

void BrowserPorts::requestMedia(bool video, bool audio) { helper("imroomGetMedia")(video, audio); }

void BrowserPorts::setTrackEnabled(const std::string& kind, bool enabled) {
  helper("imroomSetTrackEnabled")(kind, enabled);
}

void BrowserPorts::listDevices() { helper("imroomListDevices")(); }

void BrowserPorts::useDevice(bool video, const std::string& id) {
  val pcs = val::array();
  for (const auto& [peer_id, peer] : peers_)
    if (!peer->handle().isNull()) pcs.call<void>("push", peer->handle());
  helper("imroomUseDevice")(video, id, pcs);
}

void BrowserPorts::enableSound() { helper("imroomEnableSound")(); }

void BrowserPorts::openLink(const std::string& url) { helper("imroomOpenLink")(url); }

core::LinkStats BrowserPorts::linkStats(int peer_id) const {
  auto it = peers_.find(peer_id);
  return it == peers_.end() ? core::LinkStats{} : it->second->linkStats();
}

void BrowserPorts::releaseMedia() { helper("imroomStopMedia")(); }

double BrowserPorts::audioLevel(int peer_id) const {
  auto it = peers_.find(peer_id);
  return it == peers_.end() ? 0 : it->second->audioLevel();
}

val BrowserPorts::localVideo() const {
  val v = val::module_property("imroomLocalVideo");
  return v.isUndefined() ? val::null() : v;
}

val BrowserPorts::remoteVideo(int peer_id) const {
  auto it = peers_.find(peer_id);
  return it == peers_.end() ? val::null() : it->second->video();
}

double BrowserPorts::nowMs() { return emscripten_date_now(); }

double BrowserPorts::random01() {
  static std::mt19937_64 rng{std::random_device{}()};  // random_device = crypto.getRandomValues
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

void BrowserPorts::postJson(int request_id, const std::string& url, const std::string& body) {
  helper("imroomPost")(request_id, url, body, kHttpTimeoutMs);
}

std::unique_ptr<core::SocketPort> BrowserPorts::openSocket(int socket_id, const std::string& url) {
  auto socket = std::make_unique<OwnedSocket>(*this, socket_id, url);
  if (!socket->error().empty()) return nullptr;
  sockets_[socket_id] = socket.get();
  return socket;
}

std::unique_ptr<core::PeerPort> BrowserPorts::createPeer(int peer_id, const std::string& config_json) {
  auto peer = std::make_unique<OwnedPeer>(*this, peer_id, config_json);
  if (!peer->ok()) return nullptr;
  peers_[peer_id] = peer.get();
  return peer;
}

void BrowserPorts::forget(int target, int id) {
  if (target == kSocket) sockets_.erase(id);
  if (target == kPeer) peers_.erase(id);
}

// A microtask: it runs once the event being handled returns, after the promise callbacks that event started.
void BrowserPorts::requestAfterEvent() {
  if (queue_microtask_.isNull()) {
    queue_microtask_ = val::global("queueMicrotask");
    after_event_ = handler(kLater, 0, "after");
  }
  queue_microtask_(after_event_);
}

void BrowserPorts::onBrowserText(int target, int id, const std::string& text) {
  if (!controller_) return;
  if (target == kSocket) {
    if (sockets_.count(id)) controller_->onSocketMessage(id, text);
  } else if (target == kChannel && peers_.count(id)) {
    core::PeerEvent e;
    e.kind = core::PeerEvent::Kind::kChannelMessage;
    e.text = text;
    controller_->onPeerEvent(id, e);
  }
}

void BrowserPorts::onBrowserEvent(int target, int id, const std::string& kind, const val& ev) {
  if (!controller_) return;
  switch (target) {
    case kLater:
      controller_->afterEvent();
      break;
    case kHttp: {
      val status = ev["status"];
      controller_->onHttp(id, status.isNumber() ? status.as<int>() : 0, stringOf(ev, "body"));
      break;
    }
    case kSocket: {
      if (!sockets_.count(id)) return;
      if (kind == "open") {
        controller_->onSocketOpen(id);
      } else if (kind == "close") {
        val code = ev["code"];
        controller_->onSocketClosed(id, code.isNumber() ? code.as<int>() : 1006, stringOf(ev, "reason"));
      }
      break;  // "error" is always followed by "close"; messages come as text (onBrowserText)
    }
    case kMedia:
      if (kind == "devices") {
        auto list = [&ev](const char* name) {
          std::vector<core::MediaDevice> out;
          val a = ev[name];
          const int n = a.isArray() ? a["length"].as<int>() : 0;
          for (int i = 0; i < n; ++i) out.push_back({stringOf(a[i], "id"), stringOf(a[i], "label")});
          return out;
        };
        controller_->onDevices(list("cameras"), list("microphones"), stringOf(ev, "camera"), stringOf(ev, "microphone"));
      } else if (kind == "switched" || kind == "switch_err") {
        controller_->onDeviceSwitched(kind == "switched", ev["video"].isTrue(), stringOf(ev, "name"),
                                      stringOf(ev, "message"));
      } else if (kind == "sound") {
        controller_->onSound(ev["blocked"].isTrue());
      } else {
        controller_->onMedia(kind == "ok", ev["video"].isTrue(), ev["audio"].isTrue(), stringOf(ev, "name"),
                             stringOf(ev, "message"));
      }
      break;
    case kPeer:
    case kChannel: {
      auto it = peers_.find(id);
      if (it == peers_.end()) return;
      std::optional<core::PeerEvent> e = it->second->translate(target, kind, ev);
      if (e) controller_->onPeerEvent(id, *e);
      break;
    }
    default: break;
  }
}

}  // namespace imroom::bridge
