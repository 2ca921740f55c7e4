#include "frame_pacing.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

AppState roomWith(std::initializer_list<PeerView> peers) {
  AppState s;
  s.screen = Screen::kRoom;
  s.signaling = SignalingState::kConnected;
  s.members_known = true;
  s.peers = peers;
  return s;
}

PeerView peer(std::string name, std::string connection, std::string channel, bool present = true) {
  PeerView p;
  p.username = std::move(name);
  p.connection = std::move(connection);
  p.channel = std::move(channel);
  p.present = present;
  return p;
}

TEST(FramePacing, AMeshIsFormingWhileAPresentMembersChannelIsNotOpen) {
  EXPECT_TRUE(joining(roomWith({peer("bob", "new", "none")})));
  EXPECT_TRUE(joining(roomWith({peer("bob", "connected", "open"), peer("cy", "connecting", "connecting")})));
  EXPECT_TRUE(joining(roomWith({peer("bob", "connected", "connecting")})));  // channel opens after the link
}

TEST(FramePacing, ARoomWhoseChannelsAreOpenOrGivenUpIsNotForming) {
  EXPECT_FALSE(joining(roomWith({})));
  EXPECT_FALSE(joining(roomWith({peer("bob", "connected", "open"), peer("cy", "connected", "open")})));
  EXPECT_FALSE(joining(roomWith({peer("bob", "failed", "connecting")})));  // retried at its own pace
  EXPECT_FALSE(joining(roomWith({peer("bob", "closed", "closed")})));
  EXPECT_FALSE(joining(roomWith({peer("bob", "connecting", "none", /*present=*/false)})));  // has left
}

TEST(FramePacing, AJoinIsInProgressFromItsTokenToTheMemberList) {
  AppState s;
  s.signaling = SignalingState::kConnecting;  // token, host, socket: still on the join screen
  EXPECT_TRUE(joining(s));
  s.signaling = SignalingState::kIdle;
  EXPECT_FALSE(joining(s));
  s = roomWith({});
  s.members_known = false;  // connected, the member list not here yet
  EXPECT_TRUE(joining(s));
  s.members_known = true;  // an empty room: joined
  EXPECT_FALSE(joining(s));
}

TEST(FramePacing, AJoinThatMetAProblemIsNotPutOff) {
  AppState s;
  s.signaling = SignalingState::kConnecting;
  s.errors.push_back(ErrorInfo{"server_unreachable", "The server cannot be reached.", false, 0});
  EXPECT_FALSE(joining(s));
  EXPECT_LE(stateWaitMs(s, Shown{}, kQuietMs, 100), 0);  // drawn after a pause, as any change
  s = roomWith({peer("bob", "new", "none")});
  s.errors.push_back(ErrorInfo{"peer_unreachable", "Cannot reach bob.", false, 0});
  EXPECT_FALSE(joining(s));
}

TEST(FramePacing, NothingFormsOutsideAConnectedRoom) {
  AppState s = roomWith({peer("bob", "new", "none")});
  s.signaling = SignalingState::kReconnecting;
  EXPECT_FALSE(joining(s));
  s.signaling = SignalingState::kConnected;
  s.screen = Screen::kJoin;
  EXPECT_FALSE(joining(s));
}

TEST(FramePacing, AChangeIsDrawnAfterAPauseOrWhenItHasWaitedLongEnough) {
  AppState s = roomWith({peer("bob", "connected", "open")});
  const Shown shown{Screen::kRoom, 0};
  EXPECT_GT(stateWaitMs(s, shown, 10, 10), 0);
  EXPECT_LE(stateWaitMs(s, shown, kQuietMs, 100), 0);   // the burst paused
  EXPECT_LE(stateWaitMs(s, shown, 5, kMaxDeferMs), 0);  // a long burst: drawn anyway
  EXPECT_DOUBLE_EQ(stateWaitMs(s, shown, 20, 30), kQuietMs - 20);
}

TEST(FramePacing, ABurstThatGoesOnAfterItWasDrawnIsDrawnOnceASecond) {
  AppState s = roomWith({peer("bob", "connected", "open")});
  const Shown shown{Screen::kRoom, 0};
  EXPECT_LE(stateWaitMs(s, shown, 5, kMaxDeferMs, false), 0);  // its first frame, as before
  EXPECT_GT(stateWaitMs(s, shown, 5, kMaxDeferMs, true), 0);  // it was drawn once and goes on: it waits
  EXPECT_GT(stateWaitMs(s, shown, 5, kMaxDeferFloodMs - 1, true), 0);
  EXPECT_LE(stateWaitMs(s, shown, 5, kMaxDeferFloodMs, true), 0);
  EXPECT_LE(stateWaitMs(s, shown, kQuietMs, 10, true), 0);  // a pause still ends it at once
}

TEST(FramePacing, WhileTheMeshFormsPausesDoNotCountAndTheWaitIsLonger) {
  AppState s = roomWith({peer("bob", "connected", "open"), peer("cy", "connecting", "connecting")});
  const Shown shown{Screen::kRoom, 0};
  EXPECT_GT(stateWaitMs(s, shown, 500, 500), 0);
  EXPECT_DOUBLE_EQ(stateWaitMs(s, shown, 500, 400), kMaxDeferFormingMs - 400);
  EXPECT_LE(stateWaitMs(s, shown, 0, kMaxDeferFormingMs), 0);
  EXPECT_GT(stateWaitMs(s, Shown{Screen::kJoin, 0}, 500, 500), 0);  // the room screen itself waits too
  s.peers[1] = peer("cy", "connected", "open");                       // complete: drawn after a pause
  EXPECT_LE(stateWaitMs(s, shown, kQuietMs, 500), 0);
}

TEST(FramePacing, AChatMessageNotShownYetDoesNotWaitForTheMesh) {
  AppState s = roomWith({peer("bob", "connected", "open"), peer("cy", "connecting", "connecting")});
  ChatMessage m;
  m.id = "x-1";
  m.from = "bob";
  m.text = "hi";
  ASSERT_TRUE(s.chat.add(m));
  EXPECT_LE(stateWaitMs(s, Shown{Screen::kRoom, 0}, kQuietMs, 100), 0);  // not drawn yet: as usual
  EXPECT_GT(stateWaitMs(s, Shown{Screen::kRoom, 1}, kQuietMs, 100), 0);  // drawn: the mesh's pace again
}

}  // namespace
}  // namespace imroom::core
