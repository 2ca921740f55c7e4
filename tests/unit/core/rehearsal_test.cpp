#include "rehearsal.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

// The rehearsal runs the real controller, signaling client and negotiator: when any of them breaks, it stops
// getting through, and the app would warm up code that does not work.
TEST(Rehearsal, TwoMembersJoinConnectChatBothWaysAndLeave) {
  const RehearsalResult r = rehearseJoin();
  EXPECT_TRUE(r.joined);
  EXPECT_TRUE(r.connected);
  EXPECT_TRUE(r.chatted);
  EXPECT_TRUE(r.left);
  EXPECT_GT(r.steps, 20);
  EXPECT_LT(r.steps, 2500);  // it ends on its own, well before the step limit
  EXPECT_EQ(r.room.screen, Screen::kRoom);  // the room it was in, to be drawn off screen
  EXPECT_EQ(r.room.chat.size(), 2u + 2 * kRehearsedExchanges);  // the greetings, then the conversation
  ASSERT_EQ(r.room.peers.size(), 1u);
  EXPECT_EQ(r.room.peers[0].channel, "open");
}

TEST(Rehearsal, RunsAgainWithTheSameOutcome) {
  const RehearsalResult a = rehearseJoin(), b = rehearseJoin();
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_TRUE(b.chatted);
}

}  // namespace
}  // namespace imroom::core
