#include "announcer.hpp"

namespace imroom::core {

namespace {

std::string messageKey(const ChatMessage& m) { return m.from + '\x1f' + m.id; }

std::string listOf(const std::set<std::string>& names) {
  std::string out;
  std::size_t i = 0;
  for (const std::string& n : names) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += n;
    ++i;
  }
  return out;
}

}  // namespace

std::vector<std::string> Announcer::update(const AppState& s) {
  std::vector<std::string> out;
  const bool in_room = s.screen == Screen::kRoom;
  std::set<std::string> members;
  for (const PeerView& p : s.peers)
    if (p.present) members.insert(p.username);
  const auto& messages = s.chat.messages();
  const std::string newest = messages.empty() ? std::string() : messageKey(messages.back());

  if (started_) {
    if (s.status.text != status_ && !s.status.text.empty()) out.push_back(s.status.text);
    if (!s.members_known) {
      members_known_ = false;  // joining: the list is not in yet
    } else if (in_room && !members_known_) {
      out.push_back(members.empty() ? "Nobody else is here yet." : "Here with you: " + listOf(members) + ".");
      members_known_ = true;
    } else if (in_room && members_known_) {
      for (const std::string& n : members)
        if (!members_.count(n)) out.push_back(n + " joined.");
      for (const std::string& n : members_)
        if (!members.count(n)) out.push_back(n + " left.");
    }
    if (in_room && signaling_ != s.signaling && s.signaling == SignalingState::kReconnecting)
      out.push_back("Connection to the room lost; reconnecting.");
    // New messages: those after the newest one seen before (all of them when it is gone, e.g. a new room).
    if (newest != last_message_ && !newest.empty()) {
      std::size_t first = messages.size();
      while (first > 0 && messageKey(messages[first - 1]) != last_message_) --first;
      if (first + kMaxMessages < messages.size()) {
        out.push_back(std::to_string(messages.size() - first - kMaxMessages) + " earlier messages.");
        first = messages.size() - kMaxMessages;
      }
      for (std::size_t i = first; i < messages.size(); ++i) {
        const ChatMessage& m = messages[i];
        if (m.own) continue;
        out.push_back((m.to.empty() ? "Message from " : "Private message from ") + m.from + ": " + m.text);
      }
    }
    if (in_room && screen_ == Screen::kRoom) {
      if (microphone_ && !s.microphone) out.push_back("You are muted.");
      if (!microphone_ && s.microphone) out.push_back("Your microphone is on.");
      if (camera_ && !s.camera) out.push_back("Your camera is off.");
      if (!camera_ && s.camera) out.push_back("Your camera is on.");
      if (!sound_blocked_ && s.sound_blocked)
        out.push_back("The browser blocked the room's sound. Press Enable sound to hear the others.");
    }
  }
  started_ = true;
  screen_ = s.screen;
  status_ = s.status.text;
  members_ = std::move(members);
  last_message_ = newest;
  microphone_ = s.microphone;
  camera_ = s.camera;
  sound_blocked_ = s.sound_blocked;
  signaling_ = s.signaling;
  return out;
}

}  // namespace imroom::core
