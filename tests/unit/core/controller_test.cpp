#include "controller.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

TEST(Controller, StartsWithThePrefilledForm) {
  Controller c(JoinForm{"ann", "lobby", MediaKind::kVideo});
  EXPECT_EQ(c.state().form.username, "ann");
  EXPECT_EQ(c.state().form.room, "lobby");
  EXPECT_EQ(c.state().form.media, MediaKind::kVideo);
  EXPECT_EQ(c.state().screen, Screen::kJoin);
}

TEST(Controller, EditsReplaceTheFormAndNotify) {
  Controller c;
  int notified = 0;
  c.onStateChanged = [&] { ++notified; };
  c.apply(EditForm{JoinForm{"bob", "r1", MediaKind::kAudio}});
  EXPECT_EQ(c.state().form.username, "bob");
  EXPECT_EQ(c.state().form.media, MediaKind::kAudio);
  EXPECT_EQ(notified, 1);
}

TEST(Controller, JoinWithoutANameExplainsWhatIsMissing) {
  Controller c(JoinForm{"", "lobby", MediaKind::kText});
  c.apply(Join{});
  EXPECT_EQ(c.state().status.kind, StatusKind::kError);
  EXPECT_EQ(c.state().status.text, "Enter a name.");
}

TEST(Controller, JoinWithABadRoomNamesTheRoom) {
  Controller c(JoinForm{"ann", "my room", MediaKind::kText});
  c.apply(Join{});
  EXPECT_EQ(c.state().status.kind, StatusKind::kError);
  EXPECT_NE(c.state().status.text.find("room cannot contain spaces"), std::string::npos);
}

TEST(Controller, MediaKindsRoundTrip) {
  for (MediaKind k : {MediaKind::kText, MediaKind::kVideo, MediaKind::kAudio}) {
    EXPECT_EQ(parseMediaKind(toString(k)), k);
  }
  EXPECT_FALSE(parseMediaKind("screen"));
}

}  // namespace
}  // namespace imroom::core
