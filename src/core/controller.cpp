#include "controller.hpp"

#include <algorithm>
#include <vector>

#include "json_util.hpp"
#include "names.hpp"

namespace imroom::core {

using nlohmann::json;

namespace {
constexpr double kResendAfterMs = 3000;  // an unacknowledged chat message is sent again after this
constexpr std::size_t kMaxEvents = 500;
constexpr std::size_t kMaxErrors = 20;
constexpr std::size_t kMaxPendingPerPeer = 2000;
// What a member who left missed is kept for its page this long, up to this many bytes of text, for the members
// who left last (a busy room's comings and goings must not fill the page's memory).
constexpr double kKeepMissedMs = 10 * 60 * 1000;
constexpr std::size_t kMaxMissedBytes = 512 * 1024;
constexpr std::size_t kMaxMissedMembers = 16;
constexpr std::size_t kMaxTickets = 1024;  // members this page gave a ticket (in every room it joined)
// The text a saved session holds at most (sessionStorage has a few MB per origin, for every instance in the tab):
// what is on its way first, then what is kept for members who left, then the newest of the chat.
constexpr std::size_t kMaxSavedTextBytes = 1024 * 1024;

std::string randomId(Ports& ports, int length) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string id;
  for (int i = 0; i < length; ++i) id += kAlphabet[static_cast<int>(ports.random01() * 62) % 62];
  return id;
}

json chatJson(const ChatMessage& m) {
  return json{{"id", m.id}, {"text", m.text}, {"ts", m.ts}, {"to", m.to.empty() ? json(nullptr) : json(m.to)}};
}

// A chat line as a saved session keeps it (Controller::saveSession).
json savedLine(const ChatMessage& m) {
  return json{{"id", m.id}, {"from", m.from}, {"to", m.to}, {"text", m.text}, {"ts", m.ts}, {"own", m.own}};
}

// The newest of the lines in [begin, end) whose texts fit in what is left of `budget`, oldest first.
template <typename It, typename Get>
json newestFitting(It begin, It end, Get line, std::size_t& budget) {
  std::vector<json> kept;
  for (It it = end; it != begin;) {
    const ChatMessage& m = line(*--it);
    if (m.text.size() > budget) break;
    budget -= m.text.size();
    kept.push_back(savedLine(m));
  }
  return json(std::vector<json>(kept.rbegin(), kept.rend()));
}

std::optional<ChatMessage> savedLineFrom(const json& j) {
  ChatMessage m;
  m.id = jsonString(j, "id");
  m.from = jsonString(j, "from");
  m.to = jsonString(j, "to");
  m.text = jsonString(j, "text");
  m.ts = jsonNumber(j, "ts");
  m.own = jsonBool(j, "own", false);
  if (m.id.empty() || m.id.size() > 128 || m.text.empty() || m.text.size() > kMaxChatBytes ||
      !isValidUserName(m.from) || (!m.to.empty() && !isValidUserName(m.to)))
    return std::nullopt;
  return m;
}
}  // namespace

MeshBudget meshBudget(int receivers) {
  const int n = std::max(1, receivers);
  const int bps = std::clamp(kUplinkBudgetBps / n, 150'000, 1'500'000);
  const double scale = n <= 1 ? 1.0 : n <= 3 ? 1.5 : 2.0;  // 640×480 → 427×320 → 320×240
  return MeshBudget{bps, scale};
}

Controller::Controller(JoinForm initial, Ports* ports, std::string server, BackoffPolicy backoff,
                       SignalingTimings timings)
    : ports_(ports), server_(std::move(server)), backoff_(backoff), timings_(timings) {
  state_.form = std::move(initial);
  if (ports_) {
    client_id_ = randomId(*ports_, 12);
    page_id_ = randomId(*ports_, 12);
  }
}

Controller::~Controller() {
  sessions_.clear();  // close peer connections before the signaling socket
  signaling_.reset();
}

const PeerSession* Controller::session(const std::string& user) const {
  auto it = sessions_.find(user);
  return it == sessions_.end() ? nullptr : it->second.get();
}

void Controller::apply(const Intent& intent) {
  Batch batch(*this);
  if (const auto* edit = std::get_if<EditForm>(&intent)) {
    state_.form = edit->form;
    changed();
  } else if (std::holds_alternative<Join>(intent)) {
    join();
  } else if (std::holds_alternative<Leave>(intent)) {
    leave("You left room '" + state_.joined.room + "'.");
  } else if (const auto* send = std::get_if<SendChat>(&intent)) {
    std::string error;
    if (sendChat(send->text, send->to, &error).empty() && !error.empty()) {
      state_.status = {StatusKind::kError, error};
      changed();
    }
  } else if (const auto* cam = std::get_if<SetCamera>(&intent)) {
    switchDevice(/*video=*/true, cam->on);
  } else if (const auto* mic = std::get_if<SetMicrophone>(&intent)) {
    switchDevice(/*video=*/false, mic->on);
  } else if (const auto* choose = std::get_if<ChooseDevice>(&intent)) {
    chooseDevice(choose->video, choose->id);
  } else if (const auto* look = std::get_if<SetLook>(&intent)) {
    Look next{look->look.theme, clampFontScale(look->look.font_scale), look->look.touch};
    if (next != state_.look) {
      state_.look = next;
      changed();
    }
  } else if (std::holds_alternative<EnableSound>(intent)) {
    if (ports_ && state_.sound_blocked) ports_->enableSound();
  } else if (const auto* link = std::get_if<OpenLink>(&intent)) {
    if (ports_ && isWebLink(link->url)) ports_->openLink(link->url);
  } else if (const auto* view = std::get_if<ViewConversation>(&intent)) {
    state_.chat.setViewing(view->conversation, view->looking);
    changed();
  }
}

// What a chat line may open: an http or https address of sane length, with no spaces or control characters
// (no javascript:, data: or file: links from a peer).
bool isWebLink(const std::string& url) {
  const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  if (!web || url.size() > 2048) return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) return false;
  return url.size() > (url[4] == 's' ? 8u : 7u);
}

void Controller::setPageUrl(std::string url) { page_url_ = std::move(url); }

void Controller::setFramePolicy(FramePolicy policy) {
  Batch batch(*this);
  if (policy == state_.frame) return;
  state_.frame = policy;
  changed();
}

// Asks the browser for the camera and/or microphone, unless the page's <iframe> forbids them: then the browser
// would refuse without asking anyone, so the member hears why and what the embedding page must change.
void Controller::requestMedia(bool video, bool audio) {
  std::string blocked = framePolicyProblem(state_.frame, video, audio);
  const bool ask_video = video && state_.frame.camera, ask_audio = audio && state_.frame.microphone;
  if (!blocked.empty()) {
    problem("iframe_permission", blocked + (ask_audio ? " Until then you take part without the camera."
                                                      : " Until then you take part by text only."),
            false);
  }
  if (!ask_video && !ask_audio) return;
  log(ask_video && ask_audio ? "asking for the camera and microphone"
      : ask_video           ? "asking for the camera"
                            : "asking for the microphone");
  ports_->requestMedia(ask_video, ask_audio);
}

// Whatever one call into the controller changes, onStateChanged runs once, when the outermost call returns (a
// received chat message used to notify three times). Calls made from inside (a listener of an event that sends
// an answer) join the outer one.
void Controller::changed() {
  dirty_ = true;
  if (depth_ == 0) notify();
}

void Controller::notify() {
  if (!dirty_) return;
  dirty_ = false;
  if (onStateChanged) onStateChanged();
}

void Controller::emit(const std::string& type, const json& detail) {
  if (onEvent) onEvent(type, detail);
}

void Controller::log(std::string line, StatusKind kind) {
  state_.events.push_back(LogLine{ports_ ? ports_->nowMs() : 0, kind, std::move(line)});
  ++state_.events_added;
  while (state_.events.size() > kMaxEvents) state_.events.pop_front();
}

void Controller::problem(const std::string& code, const std::string& message, bool fatal) {
  state_.errors.push_back(ErrorInfo{code, message, fatal, ports_ ? ports_->nowMs() : 0});
  if (state_.errors.size() > kMaxErrors) state_.errors.erase(state_.errors.begin());
  state_.status = {fatal ? StatusKind::kError : StatusKind::kBusy, message};
  log(message, StatusKind::kError);
  emit("error", json{{"code", code}, {"message", message}, {"fatal", fatal}});
}

// ---- joining and leaving ----------------------------------------------------------------------------

void Controller::join() {
  if (signaling_ && state_.signaling != SignalingState::kClosed) return;  // already in (or joining) a room
  std::string bad = userNameProblem(state_.form.username);
  if (bad.empty()) bad = roomNameProblem(state_.form.room);
  if (bad.empty() && !ports_) bad = "This build cannot connect to a server.";
  if (!bad.empty()) {
    state_.status = {StatusKind::kError, bad};
    changed();
    return;
  }
  state_.joined = state_.form;
  state_.share_link = page_url_.empty() ? std::string() : page_url_ + "?room=" + state_.joined.room;
  state_.chat.clear();
  state_.errors.clear();
  state_.peers.clear();
  present_.clear();
  outbox_.clear();
  pages_.clear();
  missed_.clear();
  announced_join_ = false;
  state_.members_known = false;
  restored_outbox_.clear();
  if (restored_ && restored_->room == state_.joined.room && restored_->username == state_.joined.username) {
    std::set<std::string> conversations;
    for (ChatMessage& m : restored_->chat) {
      conversations.insert(ChatLog::conversationOf(m));
      state_.chat.add(std::move(m));
    }
    for (const std::string& c : conversations) state_.chat.markRead(c);  // seen before the reload
    restored_outbox_ = std::move(restored_->outbox);
    missed_ = std::move(restored_->missed);
    log("back after the page reloaded: " + std::to_string(state_.chat.size()) + " chat lines kept");
  }
  restored_.reset();
  state_.status = {StatusKind::kBusy, "Joining room '" + state_.joined.room + "'…"};
  log("joining room '" + state_.joined.room + "' as " + state_.joined.username);
  SignalingClient::Events events;
  events.frame = [this](const SignalFrame& f) { onFrame(f); };
  events.state = [this](SignalingState s) { onSignalingState(s); };
  events.problem = [this](const std::string& code, const std::string& message, bool fatal) {
    problem(code, message, fatal);
    if (fatal) leave("");
  };
  events.log = [this](const std::string& line) { log(line); };
  events.ice = [this](const std::string& config) { ice_config_ = config; };
  resetMedia();
  if (state_.joined.media != MediaKind::kText) requestMedia(state_.joined.media == MediaKind::kVideo, true);
  signaling_ = std::make_unique<SignalingClient>(*ports_, std::move(events), backoff_, timings_);
  signaling_->start(SignalingTarget{server_, state_.joined.username, state_.joined.room, client_id_});
  changed();
}

// Back to the join form. `why` ("" = keep the current status) tells the user what happened.
void Controller::leave(const std::string& why) {
  if (!signaling_) return;
  sessions_.clear();
  peer_users_.clear();
  present_.clear();
  outbox_.clear();
  pages_.clear();
  missed_.clear();
  if (state_.signaling != SignalingState::kClosed) signaling_->stop();
  state_.signaling = SignalingState::kClosed;
  if (media_ready_ || state_.joined.media != MediaKind::kText) ports_->releaseMedia();
  resetMedia();
  state_.screen = Screen::kJoin;
  state_.members_known = false;
  if (!why.empty()) state_.status = {StatusKind::kInfo, why};
  refreshPeers();
  log("left room '" + state_.joined.room + "'");
  emit("left", json{{"room", state_.joined.room}});
  changed();
}

void Controller::resetMedia() {
  media_ready_ = false;
  have_video_ = have_audio_ = false;
  state_.camera = state_.microphone = state_.has_microphone = false;
  state_.cameras.clear();
  state_.microphones.clear();
  state_.camera_device.clear();
  state_.microphone_device.clear();
  state_.sound_blocked = false;
}

void Controller::onSignalingState(SignalingState s) {
  state_.signaling = s;
  switch (s) {
    case SignalingState::kConnected:
      state_.screen = Screen::kRoom;
      state_.status = {StatusKind::kInfo,
                       "In room '" + state_.joined.room + "' as " + state_.joined.username + "."};
      log("connected to the signaling server");
      break;
    case SignalingState::kReconnecting:
      log("signaling connection lost; reconnecting", StatusKind::kBusy);
      break;
    default: break;
  }
  changed();
}

// ---- frames from the signaling server ---------------------------------------------------------------

void Controller::onFrame(const SignalFrame& f) {
  const std::string sender(userOf(f.from));
  if (f.op == "peers") {
    const json* users = f.payload.is_object() && f.payload.contains("users") ? &f.payload["users"] : nullptr;
    onPeers(users ? *users : json::array());
  } else if (f.op == "peer_connected") {
    onPeerJoined(f.payload.is_string() ? f.payload.get<std::string>() : sender);
  } else if (f.op == "peer_removed") {
    onPeerLeft(f.payload.is_string() ? f.payload.get<std::string>() : sender);
  } else if (f.op == "message") {
    if (sender.empty() || sender == state_.joined.username) return;
    if (const json* msg = jsonObject(f.payload, "msg")) {
      onNegotiation(sender, *msg);
    } else {
      onPeerPayload(sender, f.payload);
    }
  } else if (f.op == "error") {
    log("server: " + jsonString(f.payload, "reason", jsonString(f.payload, "code", "error")), StatusKind::kError);
  }
  changed();
}

void Controller::onPeers(const json& users) {
  std::set<std::string> now;
  if (users.is_array()) {
    for (const json& u : users) {
      if (!u.is_string()) continue;
      const std::string& name = u.get_ref<const std::string&>();
      if (name != state_.joined.username && isValidUserName(name)) now.insert(name);
    }
  }
  present_ = now;
  state_.members_known = true;
  // What this page had not got acknowledged before it reloaded: to those still in the room (each shows it once).
  for (auto& [user, lines] : restored_outbox_) {
    if (!present_.count(user)) continue;
    for (ChatMessage& m : lines) outbox_[user].push_back(Pending{std::move(m), 0});
  }
  restored_outbox_.clear();
  // Everyone listed that this page has no working connection to gets a call from us (the newcomer calls). A
  // session whose channel closed meanwhile is over: back after our rejoin grace ran out, the others closed theirs
  // when the server said we left, and now wait for our call. One still open survives (a server restart).
  for (const std::string& user : present_) {
    auto old = sessions_.find(user);
    if (old != sessions_.end() && old->second->channel() == "closed") {
      log(user + ": our connection closed while we were away; calling again");
      closeSession(user);
    }
    if (!sessions_.count(user)) {
      PeerSession* s = startSession(user, page_id_ + "-" + std::to_string(next_sid_++), /*caller=*/true);
      if (s) s->start();
    }
  }
  refreshPeers();
  for (const auto& [user, queue] : outbox_) deliver(user);
  if (!announced_join_) {
    announced_join_ = true;
    json peers = json::array();
    for (const std::string& u : present_) peers.push_back(u);
    emit("joined", json{{"room", state_.joined.room}, {"username", state_.joined.username}, {"peers", peers}});
  }
}

void Controller::onPeerJoined(const std::string& user) {
  if (!isValidUserName(user) || user == state_.joined.username) return;
  present_.insert(user);
  log(user + " joined");
  refreshPeers();
  emit("peer", json{{"username", user}, {"event", "joined"}});
  // The newcomer calls us; an existing session (same page back after a drop) stays until their offer says otherwise.
}

void Controller::onPeerLeft(const std::string& user) {
  if (!present_.erase(user) && !sessions_.count(user)) return;
  closeSession(user);
  // What it has not acknowledged waits for the same page to come back; no one else gets it.
  auto page = pages_.find(user);
  auto queue = outbox_.find(user);
  if (page != pages_.end()) {
    if (!missed_.count(user) && missed_.size() >= kMaxMissedMembers) {
      missed_.erase(std::min_element(missed_.begin(), missed_.end(), [](const auto& a, const auto& b) {
        return a.second.since < b.second.since;
      }));
    }
    Missed& missed = missed_[user];
    if (missed.page != page->second) {
      missed = Missed();
      missed.page = page->second;
    }
    missed.since = ports_->nowMs();
    if (queue != outbox_.end())
      for (const Pending& p : queue->second) missed.keep(p.message);
  }
  if (queue != outbox_.end()) outbox_.erase(queue);
  log(user + " left");
  refreshPeers();
  emit("peer", json{{"username", user}, {"event", "left"}});
}

void Controller::onNegotiation(const std::string& from, const json& msg) {
  const std::string sid = jsonString(msg, "sid");
  const std::string type = jsonString(msg, "type");
  const std::string ticket = jsonString(msg, "ticket");
  if (!ticket.empty()) notePage(from, ticket);
  auto it = sessions_.find(from);
  if (it != sessions_.end() && it->second->sid() == sid) {
    it->second->onSignal(msg);
    refreshPeers();
    return;
  }
  if (type != "offer" || sid.empty()) {
    log(from + ": ignored a " + type + " for an old call");
    return;
  }
  if (it != sessions_.end()) {
    PeerSession& old = *it->second;
    const bool calling = old.caller() && old.connection() != "connected";
    // Both sides called each other at once: the side with the greater name keeps its call.
    if (calling && state_.joined.username > from) {
      log(from + ": both sides called; keeping ours");
      return;
    }
    log(from + (calling ? ": both sides called; answering theirs" : ": started over; answering the new call"));
    closeSession(from);
  }
  if (!present_.count(from)) present_.insert(from);  // they reached us through the server: they are in the room
  PeerSession* s = startSession(from, sid, /*caller=*/false);
  if (s) s->onSignal(msg);
  refreshPeers();
}

void Controller::Missed::keep(const ChatMessage& m) {
  lines.push_back(m);
  bytes += m.text.size();
  while (lines.size() > kMaxPendingPerPeer || bytes > kMaxMissedBytes) {
    bytes -= lines.front().text.size();
    lines.pop_front();
    ++dropped;
  }
}

// A member's page, as the ticket in its negotiation tells it (the one that page gave us, and no other member).
// Back in the room after others saw it leave, the same page gets what it missed from us (queued like anything
// else we send it: over the channel once open, else the socket); another page under that name gets none of it,
// whatever ids of the old page it has seen.
void Controller::notePage(const std::string& user, const std::string& ticket) {
  if (ticket.size() > 64) return;
  pages_[user] = ticket;
  auto it = missed_.find(user);
  if (it == missed_.end()) return;
  Missed missed = std::move(it->second);
  missed_.erase(it);
  if (missed.page != ticket || missed.lines.empty()) return;
  auto& queue = outbox_[user];
  for (auto m = missed.lines.rbegin(); m != missed.lines.rend(); ++m) queue.push_front(Pending{std::move(*m), 0});
  log(user + " is back: sending " + std::to_string(missed.lines.size()) +
      (missed.lines.size() == 1 ? " message" : " messages") + " sent while they were away" +
      (missed.dropped ? " (the " + std::to_string(missed.dropped) + " oldest were not kept)" : ""));
  refreshPeers();
}

std::string Controller::saveSession() const {
  std::size_t budget = kMaxSavedTextBytes;
  json outbox = json::object();
  for (const auto& [user, queue] : outbox_) {
    json lines = newestFitting(queue.begin(), queue.end(), [](const Pending& p) -> const ChatMessage& {
      return p.message;
    }, budget);
    if (!lines.empty()) outbox[user] = std::move(lines);
  }
  const auto same = [](const ChatMessage& m) -> const ChatMessage& { return m; };
  json missed = json::object();
  for (const auto& [user, m] : missed_) {
    missed[user] = json{{"ticket", m.page}, {"since", m.since}, {"dropped", m.dropped},
                        {"lines", newestFitting(m.lines.begin(), m.lines.end(), same, budget)}};
  }
  const auto& log = state_.chat.messages();
  json chat = newestFitting(log.begin(), log.end(), same, budget);
  const bool in_room = signaling_ && state_.signaling != SignalingState::kClosed;
  return dumpJson(json{{"v", 1},
                       {"in", in_room},
                       {"room", state_.joined.room},
                       {"username", state_.joined.username},
                       {"media", std::string(toString(state_.joined.media))},
                       {"tickets", tickets_},
                       {"chat", std::move(chat)},
                       {"outbox", std::move(outbox)},
                       {"missed", std::move(missed)}});
}

bool Controller::restoreSession(const std::string& saved) {
  Batch batch(*this);
  const json j = parseJson(saved);
  if (!j.is_object() || jsonNumber(j, "v") != 1) return false;
  if (const json* tickets = jsonObject(j, "tickets")) {
    for (const auto& [user, ticket] : tickets->items()) {
      if (tickets_.size() >= kMaxTickets) break;
      if (isValidUserName(user) && ticket.is_string() && !ticket.get_ref<const std::string&>().empty() &&
          ticket.get_ref<const std::string&>().size() <= 64)
        tickets_[user] = ticket.get<std::string>();
    }
  }
  Restored r;
  r.room = jsonString(j, "room");
  r.username = jsonString(j, "username");
  if (!isValidRoomName(r.room) || !isValidUserName(r.username)) return false;
  // The page asks for another room (or name) now: the tab went to another link.
  if ((!state_.form.room.empty() && state_.form.room != r.room) ||
      (!state_.form.username.empty() && state_.form.username != r.username))
    return false;
  auto chat = j.find("chat");
  if (chat != j.end() && chat->is_array()) {
    for (const json& line : *chat)
      if (auto m = savedLineFrom(line)) r.chat.push_back(std::move(*m));
  }
  if (const json* outbox = jsonObject(j, "outbox")) {
    for (const auto& [user, lines] : outbox->items()) {
      if (!isValidUserName(user) || !lines.is_array()) continue;
      for (const json& line : lines) {
        auto m = savedLineFrom(line);
        if (m && m->own && r.outbox[user].size() < kMaxPendingPerPeer) r.outbox[user].push_back(std::move(*m));
      }
    }
  }
  if (const json* missed = jsonObject(j, "missed")) {
    for (const auto& [user, saved_missed] : missed->items()) {
      const std::string ticket = jsonString(saved_missed, "ticket");
      auto lines = saved_missed.find("lines");
      if (!isValidUserName(user) || ticket.empty() || ticket.size() > 64 || r.missed.size() >= kMaxMissedMembers ||
          lines == saved_missed.end() || !lines->is_array())
        continue;
      Missed& m = r.missed[user];
      m.page = ticket;
      m.since = jsonNumber(saved_missed, "since");
      m.dropped = static_cast<std::size_t>(std::max(0.0, jsonNumber(saved_missed, "dropped")));
      for (const json& line : *lines)
        if (auto kept = savedLineFrom(line)) m.keep(*kept);
    }
  }
  state_.form.room = r.room;
  state_.form.username = r.username;
  if (auto media = parseMediaKind(jsonString(j, "media"))) state_.form.media = *media;
  restored_ = std::move(r);
  changed();
  return jsonBool(j, "in", false);
}

const std::string& Controller::ticketFor(const std::string& user) {
  auto it = tickets_.find(user);
  if (it != tickets_.end()) return it->second;
  if (tickets_.size() >= kMaxTickets) tickets_.erase(tickets_.begin());
  return tickets_[user] = randomId(*ports_, 16);
}

PeerSession* Controller::startSession(const std::string& user, const std::string& sid, bool caller) {
  const int peer_id = next_peer_id_++;
  std::unique_ptr<PeerPort> port = ports_->createPeer(peer_id, ice_config_);
  if (!port) {
    problem("peer_unreachable", "Cannot create a connection to " + user + " in this browser.", false);
    return nullptr;
  }
  PeerSession::Hooks hooks;
  hooks.signal = [this, user](json msg) {
    msg["ticket"] = ticketFor(user);
    if (!signaling_ || !signaling_->send("message", user, json{{"msg", std::move(msg)}}))
      log(user + ": could not send a negotiation message (signaling is down)", StatusKind::kError);
  };
  hooks.channelMessage = [this, user](const std::string& text) {
    json payload = parseJson(text);
    if (payload.is_object()) onPeerPayload(user, payload);
  };
  hooks.channelOpened = [this, user] {
    deliver(user);
    sendMediaState(user);
    emit("peer", json{{"username", user}, {"event", "channel"}, {"channel", "open"}});
  };
  hooks.log = [this](std::string line) { log(std::move(line)); };
  hooks.problem = [this, user](std::string message) { problem("peer_unreachable", message, false); };
  const bool polite = state_.joined.username < user;
  auto session = std::make_unique<PeerSession>(user, sid, caller, polite, peer_id, std::move(port), std::move(hooks));
  PeerSession* raw = session.get();
  closeSession(user);
  sessions_[user] = std::move(session);
  peer_users_[peer_id] = user;
  if (media_ready_) {
    raw->addLocalMedia();
    state_.video_budget_kbps = 0;  // re-applied to every connection, the new one included
  }
  return raw;
}

void Controller::closeSession(const std::string& user) {
  auto it = sessions_.find(user);
  if (it == sessions_.end()) return;
  peer_users_.erase(it->second->peerId());
  sessions_.erase(it);
}

void Controller::onMedia(bool ok, bool video, bool audio, const std::string& error_name,
                         const std::string& error_message) {
  Batch batch(*this);
  if (!signaling_ || state_.signaling == SignalingState::kClosed) return;  // left meanwhile
  if (!ok) {
    std::string what = state_.joined.media == MediaKind::kVideo ? "camera and microphone" : "microphone";
    std::string why = error_name == "NotAllowedError"  ? "permission was denied"
                      : error_name == "NotFoundError"  ? "no such device was found"
                      : error_name == "NotReadableError" ? "the device is in use by another program"
                                                         : error_name + (error_message.empty() ? "" : ": " + error_message);
    problem("media_unavailable", "Cannot use the " + what + " (" + why + "). You are in the room text-only.", false);
    changed();
    return;
  }
  const bool new_video = video && !have_video_, new_audio = audio && !have_audio_;
  media_ready_ = true;
  have_video_ = video;
  have_audio_ = audio;
  state_.has_microphone = audio;
  if (new_video) state_.camera = true;  // a camera just granted is on; one already there keeps its switch
  if (new_audio) state_.microphone = true;
  log(std::string("sending ") + (video && audio ? "camera and microphone" : video ? "camera" : "microphone"));
  for (auto& [user, session] : sessions_) session->addLocalMedia();  // renegotiates through perfect negotiation
  state_.video_budget_kbps = 0;
  refreshPeers();
  sendMediaState("");
  ports_->listDevices();  // labels are known now that a device was granted
  changed();
}

void Controller::onDevices(std::vector<MediaDevice> cameras, std::vector<MediaDevice> microphones,
                           const std::string& camera, const std::string& microphone) {
  Batch batch(*this);
  if (!signaling_ || state_.signaling == SignalingState::kClosed) return;
  state_.cameras = std::move(cameras);
  state_.microphones = std::move(microphones);
  state_.camera_device = have_video_ ? camera : "";
  state_.microphone_device = have_audio_ ? microphone : "";
  changed();
}

namespace {
std::string deviceLabel(const std::vector<MediaDevice>& list, const std::string& id) {
  for (const MediaDevice& d : list)
    if (d.id == id) return d.label.empty() ? "another device" : d.label;
  return "another device";
}
}  // namespace

// Another camera or microphone: the new track replaces the old one on every connection (no renegotiation), the
// old one is stopped, and the on/off switch carries over.
void Controller::chooseDevice(bool video, const std::string& id) {
  if (!signaling_ || state_.signaling == SignalingState::kClosed || id.empty()) return;
  const bool have = video ? have_video_ : have_audio_;
  const std::string& current = video ? state_.camera_device : state_.microphone_device;
  if (!have || id == current) return;
  log(std::string(video ? "switching the camera to " : "switching the microphone to ") +
      deviceLabel(video ? state_.cameras : state_.microphones, id));
  ports_->useDevice(video, id);
  changed();
}

void Controller::onDeviceSwitched(bool ok, bool video, const std::string& error_name,
                                  const std::string& error_message) {
  Batch batch(*this);
  if (!signaling_ || state_.signaling == SignalingState::kClosed) return;
  if (!ok) {
    const std::string why = error_name == "NotReadableError"      ? "it is in use by another program"
                            : error_name == "NotFoundError"       ? "it is gone"
                            : error_name == "OverconstrainedError" ? "it is gone"
                            : error_name == "NotAllowedError"     ? "permission was denied"
                                                                  : error_name + (error_message.empty() ? "" : ": " + error_message);
    problem("device_unavailable", std::string("Cannot switch to that ") + (video ? "camera" : "microphone") + " (" +
                                      why + "). The current one stays on.",
            false);
    changed();
    return;
  }
  ports_->setTrackEnabled(video ? "video" : "audio", video ? state_.camera : state_.microphone);
  log(video ? "camera switched" : "microphone switched");
  ports_->listDevices();
  changed();
}

void Controller::onSound(bool blocked) {
  Batch batch(*this);
  if (!signaling_ || state_.signaling == SignalingState::kClosed || blocked == state_.sound_blocked) return;
  state_.sound_blocked = blocked;
  log(blocked ? "the browser blocked the room's sound until you click" : "sound on", blocked ? StatusKind::kError
                                                                                            : StatusKind::kInfo);
  changed();
}

// Camera or microphone on/off. Off keeps the track (and its place in the call) but sends nothing; the others
// are told, and show a placeholder or "muted". On, for a member who joined without the device, asks for it and
// renegotiates.
void Controller::switchDevice(bool video, bool on) {
  if (!signaling_ || state_.signaling == SignalingState::kClosed) return;
  const bool have = video ? have_video_ : have_audio_;
  bool& current = video ? state_.camera : state_.microphone;
  if (on && !have) {
    requestMedia(video, !video);
    changed();
    return;
  }
  if (!have || current == on) return;
  current = on;
  ports_->setTrackEnabled(video ? "video" : "audio", on);
  log(video ? (on ? "camera on" : "camera off") : (on ? "microphone on" : "microphone muted"));
  sendMediaState("");
  changed();
}

// {"media":{"video":…,"audio":…}}: what this member sends, to one member or to everyone (not acknowledged:
// the latest state is sent again whenever a channel opens).
void Controller::sendMediaState(const std::string& user) {
  if (!media_ready_) return;
  json payload{{"media", {{"video", have_video_ && state_.camera}, {"audio", have_audio_ && state_.microphone}}}};
  if (!user.empty()) {
    sendToPeer(user, payload);
    return;
  }
  for (const auto& [u, session] : sessions_) sendToPeer(u, payload);
}

void Controller::onPeerEvent(int peer_id, const PeerEvent& event) {
  Batch batch(*this);
  auto it = peer_users_.find(peer_id);
  if (it == peer_users_.end()) return;  // a connection we already closed
  const std::string user = it->second;
  auto s = sessions_.find(user);
  if (s == sessions_.end()) return;
  const std::string before = s->second->connection();
  s->second->onPeerEvent(event, ports_->nowMs());
  if (s->second->connection() != before) {
    emit("peer", json{{"username", user}, {"event", "connection"}, {"connection", s->second->connection()}});
  }
  // A chat channel's message changes what its handler changes (an acknowledgement, a chat line), and says so.
  if (event.kind == PeerEvent::Kind::kChannelMessage) return;
  refreshPeers();
  changed();
}

// ---- chat -------------------------------------------------------------------------------------------

std::string Controller::sendChat(const std::string& text, const std::string& to, std::string* error) {
  Batch batch(*this);
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return std::string();
  };
  if (!signaling_ || state_.signaling == SignalingState::kClosed || state_.signaling == SignalingState::kIdle)
    return fail("Join a room first.");
  if (!announced_join_) return fail("Still joining the room; try again in a moment.");
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' || trimmed.back() == '\t'))
    trimmed.pop_back();
  if (trimmed.empty()) return fail("");
  if (trimmed.size() > kMaxChatBytes)
    return fail("That message is too long (" + std::to_string(trimmed.size()) + " bytes; at most " +
                std::to_string(kMaxChatBytes) + ").");
  if (!to.empty() && !present_.count(to) && !sessions_.count(to)) return fail(to + " is not in this room.");

  ChatMessage m;
  m.id = page_id_ + "-" + std::to_string(next_message_++);
  m.from = state_.joined.username;
  m.to = to;
  m.text = trimmed;
  m.ts = ports_->nowMs();
  m.own = true;
  std::set<std::string> recipients;
  if (!to.empty()) {
    recipients.insert(to);
  } else {
    recipients = present_;
    for (const auto& [user, session] : sessions_)
      if (session->channelOpen()) recipients.insert(user);  // in the room, even while the server is away
  }
  for (const std::string& user : recipients) {
    auto& queue = outbox_[user];
    if (queue.size() >= kMaxPendingPerPeer) return fail("Too many messages are waiting for " + user + ".");
  }
  state_.chat.add(m);
  for (const std::string& user : recipients) {
    outbox_[user].push_back(Pending{m, 0});
    deliver(user);
  }
  if (to.empty()) {
    for (auto& [user, missed] : missed_)
      if (!recipients.count(user)) missed.keep(m);
  }
  refreshPeers();
  emit("message", json{{"id", m.id}, {"from", m.from}, {"to", to.empty() ? json(nullptr) : json(to)},
                       {"text", m.text}, {"ts", m.ts}, {"own", true}});
  changed();
  return m.id;
}

// Sends `payload` to one peer over its data channel, or through the signaling socket when the channel is not open.
bool Controller::sendToPeer(const std::string& user, const json& payload) {
  auto it = sessions_.find(user);
  if (it != sessions_.end() && it->second->sendOnChannel(dumpJson(payload))) return true;
  return signaling_ && signaling_->send("message", user, payload);
}

// Sends what waits for `user`: everything not sent yet, and what was sent long ago without an acknowledgement.
void Controller::deliver(const std::string& user) {
  auto it = outbox_.find(user);
  if (it == outbox_.end()) return;
  const double now = ports_->nowMs();
  for (Pending& p : it->second) {
    if (p.sent_at != 0 && now - p.sent_at < kResendAfterMs) continue;
    json payload{{"chat", chatJson(p.message)}};
    auto due = acks_due_.find(user);
    const bool carries = due != acks_due_.end() && !due->second.empty();
    if (carries) payload["ack"] = due->second.size() == 1 ? json(due->second.front()) : json(due->second);
    if (!sendToPeer(user, payload)) break;  // no path now; tick() tries again
    if (carries) acks_due_.erase(due);
    p.sent_at = now;
  }
}

void Controller::afterEvent() {
  Batch batch(*this);
  after_event_requested_ = false;
  std::vector<std::string> users;
  for (const auto& [user, ids] : acks_due_) users.push_back(user);
  for (const std::string& user : users) flushAcks(user);
}

void Controller::flushAcks(const std::string& user) {
  auto due = acks_due_.find(user);
  if (due == acks_due_.end()) return;
  std::vector<std::string> ids = std::move(due->second);
  acks_due_.erase(due);
  if (!ids.empty()) sendToPeer(user, json{{"ack", ids.size() == 1 ? json(ids.front()) : json(ids)}});
}

void Controller::acknowledged(const std::string& from, const json& ids) {
  auto it = outbox_.find(from);
  if (it == outbox_.end()) return;
  auto& q = it->second;
  auto acked = [&](const std::string& id) {
    if (ids.is_string()) return ids.get_ref<const std::string&>() == id;
    if (!ids.is_array()) return false;
    return std::any_of(ids.begin(), ids.end(), [&](const json& i) { return i.is_string() && i.get_ref<const std::string&>() == id; });
  };
  const std::size_t before = q.size();
  q.erase(std::remove_if(q.begin(), q.end(), [&](const Pending& p) { return acked(p.message.id); }), q.end());
  if (q.size() == before) return;
  if (q.empty()) outbox_.erase(it);
  refreshPeers();
  changed();
}

void Controller::onPeerPayload(const std::string& from, const json& payload) {
  // First the acknowledgement an answer may carry, then the answer.
  if (payload.is_object() && payload.contains("ack")) acknowledged(from, payload["ack"]);
  if (const json* chat = jsonObject(payload, "chat")) {
    receiveChat(from, *chat);
  } else if (const json* media = jsonObject(payload, "media")) {
    auto it = sessions_.find(from);
    if (it == sessions_.end()) return;
    const bool video = jsonBool(*media, "video", true), audio = jsonBool(*media, "audio", true);
    if (video != it->second->remoteCameraOn() && it->second->remoteVideo()) log(from + (video ? ": camera on" : ": camera off"));
    if (audio != it->second->remoteMicOn()) log(from + (audio ? ": microphone on" : ": microphone muted"));
    it->second->setRemoteMedia(video, audio);
    refreshPeers();
    emit("peer", json{{"username", from}, {"event", "media"}, {"video", video}, {"audio", audio}});
    changed();
  }
}

void Controller::receiveChat(const std::string& from, const json& chat) {
  ChatMessage m;
  m.id = jsonString(chat, "id");
  m.from = from;
  m.text = jsonString(chat, "text");
  m.ts = jsonNumber(chat, "ts", ports_->nowMs());
  const std::string to = jsonString(chat, "to");
  if (m.id.empty() || m.id.size() > 128 || m.text.empty() || m.text.size() > kMaxChatBytes) {
    log(from + " sent an unreadable chat message", StatusKind::kError);
    return;
  }
  if (!to.empty() && to != state_.joined.username) return;  // not for us (cannot happen through imroom-server)
  m.to = to;
  // Acknowledged every time (the sender may have missed our last acknowledgement). Due before the message
  // event, so that an answer sent from a listener, or from a promise callback it started, carries it; sent on
  // its own once the event and those callbacks are done (a microtask) otherwise.
  acks_due_[from].push_back(m.id);
  if (state_.chat.add(m)) {
    emit("message", json{{"id", m.id}, {"from", m.from}, {"to", to.empty() ? json(nullptr) : json(to)},
                         {"text", m.text}, {"ts", m.ts}, {"own", false}});
    changed();
  }
  if (!after_event_requested_) {
    after_event_requested_ = true;
    ports_->requestAfterEvent();
  }
}

// ---- time -------------------------------------------------------------------------------------------

void Controller::tick() {
  Batch batch(*this);
  if (!signaling_ || !ports_) return;
  signaling_->tick();
  const double now = ports_->nowMs();
  std::vector<std::string> dead;
  for (auto& [user, session] : sessions_) {
    const bool present = present_.count(user) != 0;
    session->tick(now, present);
    if (session->dead(now, present)) dead.push_back(user);
  }
  for (const std::string& user : dead) {
    log(user + ": connection given up");
    closeSession(user);
    if (!present_.count(user)) outbox_.erase(user);
  }
  for (auto it = missed_.begin(); it != missed_.end();) {
    it = now - it->second.since > kKeepMissedMs ? missed_.erase(it) : std::next(it);
  }
  for (const auto& [user, queue] : outbox_) deliver(user);
  if (!dead.empty()) {
    refreshPeers();
    changed();
  }
}

// Shares the uplink among the connections the camera goes to, and says when the room has outgrown the mesh.
void Controller::applyMeshBudget() {
  int video_members = state_.camera ? 1 : 0;
  for (const PeerView& p : state_.peers) video_members += (p.video || p.camera_off) ? 1 : 0;
  state_.mesh_notice = video_members > kMeshVideoLimit
                           ? std::to_string(video_members) + " cameras in this room: each one is sent to every member, "
                             "so pictures get smaller and may stutter. Turn cameras off that are not needed."
                           : std::string();
  if (!have_video_) {
    state_.video_budget_kbps = 0;
    return;
  }
  const MeshBudget b = meshBudget(static_cast<int>(sessions_.size()));
  if (b.max_bitrate_bps / 1000 == state_.video_budget_kbps) return;
  state_.video_budget_kbps = b.max_bitrate_bps / 1000;
  log("camera budget: " + std::to_string(state_.video_budget_kbps) + " kbit/s to each of " +
      std::to_string(sessions_.size()) + " members");
  for (auto& [user, session] : sessions_) session->setVideoBudget(b.max_bitrate_bps, b.scale_down);
}

void Controller::refreshPeers() {
  std::set<std::string> users = present_;
  for (const auto& [user, session] : sessions_) users.insert(user);
  state_.peers.clear();
  state_.pending = 0;
  for (const std::string& user : users) {
    PeerView v;
    v.username = user;
    v.present = present_.count(user) != 0;
    if (const PeerSession* s = session(user)) {
      v.connection = s->connection();
      v.ice = s->ice();
      v.channel = s->channel();
      v.caller = s->caller();
      v.video = s->remoteVideo() && s->remoteCameraOn();
      v.camera_off = s->remoteVideo() && !s->remoteCameraOn();
      v.audio = s->remoteAudio() && s->remoteMicOn();
      v.muted = s->remoteAudio() && !s->remoteMicOn();
      v.peer_id = s->peerId();
    }
    auto q = outbox_.find(user);
    v.pending = q == outbox_.end() ? 0 : static_cast<int>(q->second.size());
    state_.pending += v.pending;
    state_.peers.push_back(std::move(v));
  }
  applyMeshBudget();
}

// ---- events from the ports, routed to the signaling client ------------------------------------------

void Controller::onHttp(int request_id, int status, const std::string& body) {
  Batch batch(*this);
  if (signaling_) signaling_->onHttp(request_id, status, body);
}
void Controller::onSocketOpen(int socket_id) {
  Batch batch(*this);
  if (signaling_) signaling_->onSocketOpen(socket_id);
}
void Controller::onSocketMessage(int socket_id, const std::string& text) {
  Batch batch(*this);
  if (signaling_) signaling_->onSocketMessage(socket_id, text);
}
void Controller::onSocketClosed(int socket_id, int code, const std::string& reason) {
  Batch batch(*this);
  if (signaling_) signaling_->onSocketClosed(socket_id, code, reason);
}

}  // namespace imroom::core
