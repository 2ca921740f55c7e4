// How good a member's connection is, from what RTCPeerConnection.getStats() reports about it: the round trip of
// the pair of candidates in use, the share of incoming packets lost, and the frame rate of their video. Shown on
// their tile as bars (and in state()), so that "their picture freezes" has a visible reason.
#pragma once

#include <string>
#include <string_view>

namespace imroom::core {

struct LinkStats {
  double rtt_ms = -1;    // current round-trip time of the selected candidate pair (-1 = unknown)
  double loss_pct = -1;  // incoming packets lost over the last interval, in % (-1 = unknown)
  double fps = -1;       // incoming video frames per second (-1 = no video)
};

enum class LinkQuality { kUnknown, kGood, kFair, kPoor };

struct LinkVerdict {
  LinkQuality level = LinkQuality::kUnknown;
  std::string why;  // the worst figure, in words ("" when good or unknown)
};

// Poor: ≥ 8 % lost, or a round trip ≥ 500 ms, or video under 8 frames/s; fair: ≥ 2 %, ≥ 250 ms, under 15 frames/s.
LinkVerdict judgeLink(const LinkStats& s);
std::string_view toString(LinkQuality q);

}  // namespace imroom::core
