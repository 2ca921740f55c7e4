#include "peer_connection.hpp"

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

PeerConnection::PeerConnection(int id, const std::string& config_json) : id_(id) {
  val config = helper("imroomParse")(config_json);
  if (config.isNull()) config = val::object();
  val pc = helper("imroomConstruct")(std::string("RTCPeerConnection"), config);
  if (pc.isString()) pc = helper("imroomConstruct")(std::string("RTCPeerConnection"), val::object());  // bad ICE list
  if (pc.isString()) return;
  pc_ = pc;
  pc_.set("onnegotiationneeded", handler(kPeer, id_, "negotiationneeded"));
  pc_.set("onicecandidate", handler(kPeer, id_, "icecandidate"));
  pc_.set("onconnectionstatechange", handler(kPeer, id_, "connectionstate"));
  pc_.set("oniceconnectionstatechange", handler(kPeer, id_, "iceconnectionstate"));
  pc_.set("ondatachannel", handler(kPeer, id_, "datachannel"));
  pc_.set("ontrack", handler(kPeer, id_, "track"));
}

PeerConnection::~PeerConnection() {
  channel_.close();
  helper("imroomRemoveElement")(video_);
  helper("imroomRemoveElement")(audio_);
  if (pc_.isNull()) return;
  for (const char* name : {"onnegotiationneeded", "onicecandidate", "onconnectionstatechange",
                           "oniceconnectionstatechange", "ondatachannel", "ontrack"})
    pc_.set(name, val::null());
  helper("imroomCall")(pc_, std::string("close"));
}

void PeerConnection::whenSettled(val promise, const char* ok, const char* failed) {
  promise.call<val>("then", handler(kPeer, id_, ok), handler(kPeer, id_, failed));
}

void PeerConnection::createChannel() {
  val init = val::object();
  init.set("ordered", true);
  val dc = pc_.call<val>("createDataChannel", std::string("chat"), init);
  channel_.attach(id_, dc);
}

void PeerConnection::setLocalDescription() {
  whenSettled(pc_.call<val>("setLocalDescription"), "sld_ok", "sld_err");
}

void PeerConnection::setRemoteDescription(const core::Description& d) {
  val init = val::object();
  init.set("type", d.type);
  init.set("sdp", d.sdp);
  whenSettled(pc_.call<val>("setRemoteDescription", init), "srd_ok", "srd_err");
}

void PeerConnection::addIceCandidate(const core::IceCandidate& c) {
  val init = val::object();
  init.set("candidate", c.candidate);
  if (!c.sdp_mid.empty()) init.set("sdpMid", c.sdp_mid);
  if (c.sdp_mline_index >= 0) init.set("sdpMLineIndex", c.sdp_mline_index);
  pc_.call<val>("addIceCandidate", init).call<val>("catch", handler(kPeer, id_, "addice_err"));
}

void PeerConnection::restartIce() { helper("imroomCall")(pc_, std::string("restartIce")); }

bool PeerConnection::sendOnChannel(const std::string& text) { return channel_.send(text); }

double PeerConnection::audioLevel() const {
  if (pc_.isNull()) return 0;
  val level = helper("imroomAudioLevel")(pc_);
  return level.isNumber() ? level.as<double>() : 0;
}

core::LinkStats PeerConnection::linkStats() const {
  core::LinkStats out;
  if (pc_.isNull()) return out;
  val s = helper("imroomLinkStats")(pc_);
  if (s.isNull() || s.isUndefined()) return out;
  auto number = [&s](const char* name) {
    val v = s[name];
    return v.isNumber() ? v.as<double>() : -1.0;
  };
  out.rtt_ms = number("rttMs");
  out.loss_pct = number("lossPct");
  out.fps = number("fps");
  return out;
}

void PeerConnection::setVideoBudget(int max_bitrate_bps, double scale_down) {
  if (pc_.isNull()) return;
  helper("imroomVideoBudget")(pc_, max_bitrate_bps, scale_down, handler(kPeer, id_, "budget_err"));
}

void PeerConnection::addLocalMedia() {
  if (pc_.isNull()) return;
  helper("imroomCall")(val::module_property("imroomAddTracks"), std::string("call"), val::null(), pc_);
}

std::optional<core::PeerEvent> PeerConnection::translate(int target, const std::string& kind, const val& ev) {
  using K = core::PeerEvent::Kind;
  core::PeerEvent out;
  auto failed = [&](const char* operation) {
    out.kind = K::kFailed;
    out.text = operation;
    out.detail = stringOf(ev, "message", "rejected");
    return out;
  };
  if (target == kChannel) {  // its messages come as text (BrowserPorts::onBrowserText)
    out.kind = K::kChannelState;
    out.text = channel_.readyState();
    if (kind == "error" && out.text == "open") return std::nullopt;
    return out;
  }
  if (kind == "negotiationneeded") {
    out.kind = K::kNegotiationNeeded;
  } else if (kind == "icecandidate") {
    val c = ev["candidate"];
    if (c.isNull() || c.isUndefined()) return std::nullopt;  // end of candidates
    out.kind = K::kIceCandidate;
    out.candidate.candidate = stringOf(c, "candidate");
    out.candidate.sdp_mid = stringOf(c, "sdpMid");
    val index = c["sdpMLineIndex"];
    out.candidate.sdp_mline_index = index.isNumber() ? index.as<int>() : -1;
    if (out.candidate.candidate.empty()) return std::nullopt;
  } else if (kind == "connectionstate") {
    out.kind = K::kConnectionState;
    out.text = stringOf(pc_, "connectionState", "new");
  } else if (kind == "iceconnectionstate") {
    out.kind = K::kIceConnectionState;
    out.text = stringOf(pc_, "iceConnectionState", "new");
  } else if (kind == "track") {
    val track = ev["track"];
    val streams = ev["streams"];
    val stream = streams.isUndefined() || streams["length"].as<int>() == 0
                     ? val::global("MediaStream").new_(val::array())
                     : streams[0];
    if (streams.isUndefined() || streams["length"].as<int>() == 0) stream.call<void>("addTrack", track);
    out.kind = K::kRemoteTrack;
    out.text = stringOf(track, "kind");
    if (out.text == "video" && video_.isNull()) video_ = helper("imroomVideoElement")(stream);
    if (out.text == "audio" && audio_.isNull()) audio_ = helper("imroomAudioElement")(stream);
  } else if (kind == "datachannel") {
    channel_.attach(id_, ev["channel"]);
    out.kind = K::kChannelState;
    out.text = channel_.readyState();
  } else if (kind == "sld_ok") {
    val d = pc_["localDescription"];
    out.kind = K::kLocalDescription;
    out.description = {stringOf(d, "type"), stringOf(d, "sdp")};
  } else if (kind == "srd_ok") {
    out.kind = K::kRemoteDescriptionSet;
  } else if (kind == "sld_err") {
    return failed("setLocalDescription");
  } else if (kind == "srd_err") {
    return failed("setRemoteDescription");
  } else if (kind == "addice_err") {
    return failed("addIceCandidate");
  } else if (kind == "budget_err") {
    return failed("setParameters");
  } else {
    return std::nullopt;
  }
  return out;
}

}  // namespace imroom::bridge
