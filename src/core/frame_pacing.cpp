#include "frame_pacing.hpp"

#include <algorithm>

namespace imroom::core {

bool joining(const AppState& s) {
  if (!s.errors.empty()) return false;  // a problem (the server unreachable, a member refused) is shown as usual
  if (s.screen == Screen::kJoin) return s.signaling == SignalingState::kConnecting;  // token, host, socket
  if (s.signaling != SignalingState::kConnected) return false;
  if (!s.members_known) return true;
  return std::any_of(s.peers.begin(), s.peers.end(), [](const PeerView& p) {
    return p.present && p.channel != "open" && p.connection != "failed" && p.connection != "closed";
  });
}

double stateWaitMs(const AppState& s, const Shown& shown, double quiet_for_ms, double waiting_for_ms,
                   bool drawn_in_burst) {
  if (s.chat.added() == shown.chat && joining(s)) return kMaxDeferFormingMs - waiting_for_ms;
  return std::min(kQuietMs - quiet_for_ms, (drawn_in_burst ? kMaxDeferFloodMs : kMaxDeferMs) - waiting_for_ms);
}

}  // namespace imroom::core
