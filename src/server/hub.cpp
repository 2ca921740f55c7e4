#include "hub.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "frame_scanner.hpp"
#include "names.hpp"
#include "signal_frame.hpp"

namespace imroom::server {

using nlohmann::json;

struct Hub::Member {
  ConnId id;
  bool away;  // next to the id: a relay to this member reads both (the rest of away-ness is below)
  Room* room;  // owned by rooms_, which keeps it while it has members
  std::string path, user, client;
  std::string look;  // nameSkeleton(user): what the name looks like
  std::string from;  // "/<path>/<user>", stamped on everything this member sends
  std::string from_json;  // the same as a JSON string literal, for the fast relay path
  double tokens;     // rate limit bucket
  double refilled_at;
  double last_rate_error = -1e9;
  // Away: the socket dropped and the rejoin grace runs until `away_until`; frames for it wait in `held`.
  double away_until = 0;
  std::vector<SharedText> held{};
  std::size_t held_bytes = 0;
};

struct Hub::Room {
  // Hashed, not sorted: every relayed frame looks its recipient up here, and with thousands of members a tree
  // walk was a cache miss per level (7 % of the server's time under load). "peers" is sorted when it is sent.
  // Open addressing (entries in one array): std::unordered_map's lookup is three dependent loads — the bucket,
  // the node before the bucket's first, the node — each a cache miss under load (3 % of the server's time).
  // A key views the user name of the Member it maps to, which lives as long as the entry (members_ owns it).
  boost::unordered_flat_map<std::string_view, Member*, std::hash<std::string_view>> users;
  // The same members by what their names look like (nameSkeleton): "ann", "Ann" and Cyrillic "аnn" are one entry,
  // so no one can join under a name that passes for a member's. A key views the Member's `look`.
  std::unordered_map<std::string_view, Member*> looks;
};

Hub::Hub(HubOutput& out, HubLimits limits, Clock clock) : out_(out), limits_(limits), clock_(std::move(clock)) {}
Hub::~Hub() = default;

bool Hub::isMember(ConnId id) const { return members_.count(id) != 0; }

SharedText Hub::systemFrame(const std::string& path, const char* op, const std::string* to,
                            const std::string& payload_json) const {
  // Hand-built: the fields are ours and already valid, and this runs on every join and leave.
  json m = {{"f", "/" + path + "/__sys__"}, {"o", op}, {"t", to ? json(*to) : json(nullptr)}};
  std::string text = R"({"t":"u","m":)" + m.dump() + R"(,"p":)" + payload_json + "}";
  return std::make_shared<const std::string>(std::move(text));
}

void Hub::broadcast(const Room& room, const Member* except, const SharedText& text) {
  for (const auto& [user, member] : room.users) {
    if (member != except) deliver(*member, text);
  }
}

void Hub::deliver(Member& to, SharedText text) {
  if (!to.away) return out_.send(to.id, std::move(text));
  if (to.away_until == 0) return;  // held too much already: its grace ends at the next expire()
  to.held_bytes += text->size();
  if (to.held_bytes > limits_.max_held_bytes) {
    // More than a reconnecting page should be handed at once: it leaves instead, and the others know it.
    std::vector<SharedText>().swap(to.held);
    to.away_until = 0;
    return;
  }
  to.held.push_back(std::move(text));
}

void Hub::updateStats() {
  stats_.members = members_.size();
  stats_.rooms = rooms_.size();
  stats_.away = away_.size();
}

Hub::JoinOutcome Hub::join(ConnId id, const std::string& path, const std::string& user, const std::string& client) {
  if (members_.count(id)) leave(id);  // a connection is in one room at a time: joining again moves it
  expire();  // a grace that is over (or overflowed) ends first: its page, back now, joins afresh
  auto& slot = rooms_[path];
  if (!slot) slot = std::make_unique<Room>();
  Room& room = *slot;
  JoinOutcome outcome = JoinOutcome::kJoined;
  std::string look = core::nameSkeleton(user);
  std::vector<SharedText> held;  // what waited for the same page while it was away
  auto existing = room.users.find(user);
  if (existing != room.users.end()) {
    Member& old = *existing->second;
    if (client.empty() || old.client != client) {
      if (old.away) {
        // Most often the same person in a new tab after the old one crashed: say when the name is free.
        const double left = std::ceil(old.away_until - clock_());
        reject(id, nullptr, "name_taken",
               user + "'s connection dropped a moment ago; the name is held for " +
                   std::to_string(static_cast<int>(left)) + " s in case that page comes back",
               {}, left);
      } else {
        reject(id, nullptr, "name_taken", "someone called " + user + " is already in this room");
      }
      out_.close(id, CloseCode::kPolicy, "name_taken");
      return JoinOutcome::kNameTaken;
    }
    // The same page reconnecting: the new socket takes over silently (the old one may not know it is dead yet).
    ConnId old_id = old.id;
    const bool was_away = old.away;
    if (was_away && old.away_until != 0) held = std::move(old.held);
    room.users.erase(existing);  // its key views the old member's name
    room.looks.erase(old.look);
    members_.erase(old_id);
    if (was_away) {
      away_.erase(std::remove(away_.begin(), away_.end(), old_id), away_.end());  // listed while away
      outcome = JoinOutcome::kResumed;
    } else {
      out_.close(old_id, CloseCode::kGoingAway, "replaced");
      outcome = JoinOutcome::kReplaced;
    }
  } else if (auto alike = room.looks.find(look); alike != room.looks.end()) {
    const std::string& other = alike->second->user;
    reject(id, nullptr, "name_taken", "someone called " + other + " is already in this room", other);
    out_.close(id, CloseCode::kPolicy, "name_taken");
    return JoinOutcome::kNameTaken;
  } else if (room.users.size() >= limits_.max_users_per_room) {
    reject(id, nullptr, "room_full", "this room is full (" + std::to_string(limits_.max_users_per_room) + " people)");
    out_.close(id, CloseCode::kPolicy, "room_full");
    if (room.users.empty()) rooms_.erase(path);
    return JoinOutcome::kRoomFull;
  }
  double now = clock_();
  std::string from = "/" + path + "/" + user;
  std::string from_json = json(from).dump();
  auto member = std::make_unique<Member>(
      Member{id, false, &room, path, user, client, std::move(look), std::move(from), std::move(from_json),
             limits_.frames_per_second * 2, now});
  Member* added = member.get();
  room.users[added->user] = added;
  room.looks[added->look] = added;
  members_[id] = std::move(member);

  std::vector<std::string_view> names;
  names.reserve(room.users.size());
  for (const auto& [name, ignored] : room.users) names.push_back(name);
  std::sort(names.begin(), names.end());  // a stable order for the client's list
  json users = json::array();
  for (std::string_view name : names) users.push_back(name);
  out_.send(id, systemFrame(path, "peers", &user, json{{"users", users}}.dump()));
  for (SharedText& text : held) out_.send(id, std::move(text));  // in the order they were sent
  if (outcome == JoinOutcome::kJoined) {
    json m = {{"f", "/" + path + "/" + user}, {"o", "peer_connected"}, {"t", nullptr}};
    auto text = std::make_shared<const std::string>(R"({"t":"u","m":)" + m.dump() + R"(,"p":)" + json(user).dump() + "}");
    broadcast(room, added, text);
  }
  updateStats();
  return outcome;
}

void Hub::leave(ConnId id, Departure how) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Member& m = *it->second;
  // Only a page that can prove it is the same one (its client id) can come back to the held place.
  if (how == Departure::kDropped && limits_.rejoin_grace > 0 && !m.client.empty() && !m.away) {
    m.away = true;
    m.away_until = clock_() + limits_.rejoin_grace;
    away_.push_back(id);
    updateStats();
    return;
  }
  remove(id);
}

void Hub::expire() {
  if (away_.empty()) return;
  const double now = clock_();
  std::vector<ConnId> due;
  away_.erase(std::remove_if(away_.begin(), away_.end(), [&](ConnId id) {
                auto it = members_.find(id);
                if (it == members_.end() || !it->second->away) return true;  // not away any more
                if (it->second->away_until != 0 && now < it->second->away_until) return false;
                due.push_back(id);
                return true;
              }),
              away_.end());
  for (ConnId id : due) remove(id);
  updateStats();
}

void Hub::remove(ConnId id) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  std::unique_ptr<Member> m = std::move(it->second);
  members_.erase(it);
  if (m->away) away_.erase(std::remove(away_.begin(), away_.end(), id), away_.end());  // no-op from expire()
  auto room_it = rooms_.find(m->path);
  if (room_it != rooms_.end()) {
    Room& room = *room_it->second;
    room.users.erase(m->user);
    room.looks.erase(m->look);
    json meta = {{"f", m->from}, {"o", "peer_removed"}, {"t", nullptr}};
    auto text = std::make_shared<const std::string>(R"({"t":"u","m":)" + meta.dump() + R"(,"p":)" + json(m->user).dump() + "}");
    broadcast(room, nullptr, text);
    if (room.users.empty()) rooms_.erase(room_it);
  }
  updateStats();
}

bool Hub::allowFrame(Member& m) {
  double now = clock_();
  double burst = limits_.frames_per_second * 2;
  m.tokens = std::min(burst, m.tokens + (now - m.refilled_at) * limits_.frames_per_second);
  m.refilled_at = now;
  if (m.tokens < 1.0) return false;
  m.tokens -= 1.0;
  return true;
}

void Hub::reject(ConnId id, const Member* m, std::string_view code, const std::string& reason,
                 const std::string& similar, double held_for) {
  ++stats_.rejected[std::string(code)];
  std::string path = m ? m->path : std::string();
  std::string to = m ? m->user : std::string();
  json p = {{"code", code}, {"reason", reason}};
  if (!similar.empty()) p["similar"] = similar;
  if (held_for > 0) p["held_for"] = held_for;
  out_.send(id, systemFrame(path, "error", m ? &to : nullptr, p.dump(-1, ' ', false, json::error_handler_t::replace)));
}

// Text and binary frames alike count against the member's rate, so a flood of either is answered by at most
// one error a second, never by an error per frame.
bool Hub::admit(Member& m) {
  if (allowFrame(m)) return true;
  ++stats_.rejected["rate_limited"];
  double now = clock_();
  if (now - m.last_rate_error >= 1.0) {  // never amplify a flood: one error a second at most
    m.last_rate_error = now;
    --stats_.rejected["rate_limited"];
    reject(m.id, &m, "rate_limited", "too many frames: at most " + std::to_string(static_cast<int>(limits_.frames_per_second)) + " a second");
  }
  return false;
}

void Hub::receiveBinary(ConnId id) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Member& m = *it->second;
  if (admit(m)) reject(id, &m, "binary_not_supported", "frames must be JSON text, not binary");
}

void Hub::receive(ConnId id, std::string_view text) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Member& m = *it->second;
  if (text == "ping") {  // the Xirsys library's keep-alive, sometimes hundreds a second: count and drop
    ++stats_.bare_pings;
    return;
  }
  if (admit(m)) relay(m, text);
}

void Hub::relay(Member& from, std::string_view text) {
  // Fast path: a plain "message" frame is checked and re-stamped without building a DOM.
  if (auto env = core::scanFrame(text); env && env->op == "message") {
    const Room& room = *from.room;
    Member* target = nullptr;
    if (env->has_to) {
      auto found = room.users.find(env->to);
      if (found == room.users.end()) {
        return reject(from.id, &from, "unknown_recipient", std::string(env->to.substr(0, 64)) + " is not in this room");
      }
      target = found->second;
    }
    std::string out;
    out.reserve(48 + from.from_json.size() + env->to.size() + env->payload.size());
    out.append(R"({"t":"u","m":{"f":)").append(from.from_json).append(R"(,"o":"message","t":)");
    if (env->has_to) out.append("\"").append(env->to).append("\"");
    else out.append("null");
    out.append(R"(},"p":)").append(env->payload).append("}");
    auto shared = std::make_shared<const std::string>(std::move(out));
    if (target) {
      deliver(*target, std::move(shared));
      ++stats_.frames_relayed;
    } else {
      broadcast(room, &from, shared);
      stats_.frames_relayed += room.users.size() - 1;
    }
    return;
  }
  core::ParsedFrame parsed = core::parseFrame(text);
  if (!parsed.frame) return reject(from.id, &from, core::errorCode(parsed.error), parsed.detail);
  core::SignalFrame& frame = *parsed.frame;
  if (frame.op == "ping") {
    frame.op = "pong";
    frame.from = "/" + from.path + "/__sys__";
    frame.to = from.user;
    out_.send(from.id, std::make_shared<const std::string>(core::printFrame(frame)));
    return;
  }
  if (frame.op != "message") return reject(from.id, &from, "unknown_op", "unknown operation \"" + frame.op.substr(0, 64) + "\"");
  frame.from = from.from;  // the server, not the client, says who is speaking
  const Room& room = *from.room;
  if (frame.to) {
    auto target = room.users.find(*frame.to);
    if (target == room.users.end()) {
      return reject(from.id, &from, "unknown_recipient", frame.to->substr(0, 64) + " is not in this room");
    }
    deliver(*target->second, std::make_shared<const std::string>(core::printFrame(frame)));
    ++stats_.frames_relayed;
    return;
  }
  auto shared = std::make_shared<const std::string>(core::printFrame(frame));
  broadcast(room, &from, shared);
  stats_.frames_relayed += room.users.size() - 1;
}

}  // namespace imroom::server
