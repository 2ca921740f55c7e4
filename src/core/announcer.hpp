// What a screen reader should say as the room changes: the state before and after, in words. The accessibility
// mirror (src/bridge/a11y_mirror) puts these lines into an ARIA live region. Pure, unit-tested.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app_state.hpp"

namespace imroom::core {

class Announcer {
 public:
  // The announcements for what changed since the last call (none the first time: the page's own text says
  // where the person is). Messages from others are announced, own ones not; at most kMaxMessages per call.
  std::vector<std::string> update(const AppState& s);

  static constexpr std::size_t kMaxMessages = 5;

 private:
  bool started_ = false;
  Screen screen_ = Screen::kJoin;
  std::string status_;
  bool members_known_ = false;  // the member list of this visit was announced
  std::set<std::string> members_;
  std::string last_message_;  // the newest message seen (sender + id), "" = none
  bool microphone_ = false, camera_ = false, sound_blocked_ = false;
  SignalingState signaling_ = SignalingState::kIdle;
};

}  // namespace imroom::core
