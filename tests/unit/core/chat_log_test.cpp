#include "chat_log.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

ChatMessage msg(std::string id, std::string from, std::string to = "", bool own = false) {
  return ChatMessage{std::move(id), std::move(from), std::move(to), "hello", 1000, own};
}

TEST(ChatLog, KeepsArrivalOrderAndDropsDuplicates) {
  ChatLog log;
  EXPECT_TRUE(log.add(msg("x-1", "ann")));
  EXPECT_TRUE(log.add(msg("y-1", "bob")));
  EXPECT_FALSE(log.add(msg("x-1", "ann")));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.messages()[0].from, "ann");
  EXPECT_EQ(log.messages()[1].from, "bob");
}

TEST(ChatLog, IdsArePerSenderSoNobodyCanSuppressAnothersMessage) {
  ChatLog log;
  EXPECT_TRUE(log.add(msg("x-1", "mallory")));
  EXPECT_TRUE(log.add(msg("x-1", "ann")));
  EXPECT_EQ(log.size(), 2u);
}

TEST(ChatLog, HistoryIsBoundedButOldIdsStayKnown) {
  ChatLog log(10);
  for (int i = 0; i < 25; ++i) log.add(msg("m-" + std::to_string(i), "ann"));
  EXPECT_EQ(log.size(), 10u);
  EXPECT_EQ(log.messages().front().id, "m-15");
  EXPECT_FALSE(log.add(msg("m-3", "ann"))) << "a late resend of a trimmed line is still a duplicate";
}

TEST(ChatLog, AddedCountsEveryNewMessageThroughTrimsAndClears) {
  ChatLog log(10);
  for (int i = 0; i < 25; ++i) log.add(msg("m-" + std::to_string(i), "ann"));
  log.add(msg("m-24", "ann"));  // a duplicate adds nothing
  EXPECT_EQ(log.added(), 25u);  // the last added() - 20 messages are those after the 20th: the last 5 here
  log.clear();
  log.add(msg("n-1", "bob"));
  EXPECT_EQ(log.added(), 26u);  // never goes back: a reader that saw 25 finds exactly the one new line
}

TEST(ChatLog, UnreadCountsPerConversation) {
  ChatLog log;
  log.add(msg("1", "bob"));
  log.add(msg("2", "bob", "me"));
  log.add(msg("3", "cat", "me"));
  log.add(msg("4", "me", "", true));
  EXPECT_EQ(log.unread(""), 1);
  EXPECT_EQ(log.unread("bob"), 1);
  EXPECT_EQ(log.unread("cat"), 1);
  EXPECT_EQ(log.unreadTotal(), 3);
  log.setViewing("bob", true);
  EXPECT_EQ(log.unread("bob"), 0);
  log.add(msg("5", "bob", "me"));
  EXPECT_EQ(log.unread("bob"), 0) << "the conversation on screen does not count";
  log.add(msg("6", "bob"));
  EXPECT_EQ(log.unread(""), 2);
  log.markRead("");
  EXPECT_EQ(log.unreadTotal(), 1);
}

TEST(ChatLog, OwnPrivateMessagesBelongToTheRecipientsConversation) {
  EXPECT_EQ(ChatLog::conversationOf(msg("1", "me", "bob", true)), "bob");
  EXPECT_EQ(ChatLog::conversationOf(msg("1", "bob", "me")), "bob");
  EXPECT_EQ(ChatLog::conversationOf(msg("1", "bob")), "");
}

TEST(ChatLog, TenThousandLinesStayBounded) {
  ChatLog log(5000);
  for (int i = 0; i < 10000; ++i) log.add(msg(std::to_string(i), "ann"));
  EXPECT_EQ(log.size(), 5000u);
}

}  // namespace
}  // namespace imroom::core
