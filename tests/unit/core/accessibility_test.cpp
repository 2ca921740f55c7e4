// The embedding rules (an <iframe>'s allow list, display settings) and the screen-reader announcements.
#include <gtest/gtest.h>

#include "announcer.hpp"
#include "fake_world.hpp"

namespace imroom::core::testing {
namespace {

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

TEST(FramePolicy, NamesWhatIsMissingAndTheAttributeToAdd) {
  EXPECT_EQ(framePolicyProblem({true, true}, true, true), "");
  EXPECT_EQ(framePolicyProblem({false, false}, false, false), "") << "text chat needs nothing";
  EXPECT_EQ(framePolicyProblem({false, true}, false, true), "") << "audio only does not need the camera";
  std::string both = framePolicyProblem({false, false}, true, true);
  EXPECT_NE(both.find("the camera and microphone"), std::string::npos);
  EXPECT_NE(both.find(R"(allow="camera; microphone; autoplay; display-capture")"), std::string::npos);
  EXPECT_NE(framePolicyProblem({true, false}, true, true).find("allow the microphone."), std::string::npos);
}

TEST(Look, ThemesByNameAndTextSizeWithinBounds) {
  EXPECT_EQ(parseTheme("high-contrast"), Theme::kHighContrast);
  EXPECT_EQ(parseTheme("dark"), Theme::kDark);
  EXPECT_FALSE(parseTheme("neon").has_value());
  EXPECT_EQ(themeName(Theme::kHighContrast), "high-contrast");
  EXPECT_EQ(clampFontScale(5.0f), kMaxFontScale);
  EXPECT_EQ(clampFontScale(0.1f), kMinFontScale);
  EXPECT_EQ(clampFontScale(std::nanf("")), 1.0f);
  Controller c;
  c.apply(SetLook{Look{Theme::kHighContrast, 9.0f}});
  EXPECT_EQ(c.state().look.theme, Theme::kHighContrast);
  EXPECT_EQ(c.state().look.font_scale, kMaxFontScale);
}

TEST(FramePolicy, AVideoJoinInAFrameWithoutCameraSaysWhyAndStaysTextOnly) {
  World w;
  Member ann(w, "ann", "lobby");
  ann.controller.setFramePolicy({false, false});
  ann.join(MediaKind::kVideo);
  w.run();
  EXPECT_EQ(ann.controller.state().signaling, SignalingState::kConnected) << "still in the room, for chat";
  EXPECT_FALSE(ann.has_video) << "the browser was never asked";
  ASSERT_FALSE(ann.controller.state().errors.empty());
  EXPECT_EQ(ann.controller.state().errors.back().code, "iframe_permission");
  EXPECT_NE(ann.controller.state().errors.back().message.find("allow=\"camera; microphone"), std::string::npos);
  EXPECT_NE(ann.controller.state().errors.back().message.find("by text only"), std::string::npos);
  // Turning the camera on later says the same, instead of failing silently.
  ann.controller.apply(SetCamera{true});
  w.run();
  EXPECT_FALSE(ann.has_video);
  EXPECT_EQ(ann.controller.state().errors.size(), 2u);
}

TEST(FramePolicy, AFrameThatAllowsOnlyTheMicrophoneStillGetsIt) {
  World w;
  Member ann(w, "ann", "lobby");
  ann.controller.setFramePolicy({false, true});
  ann.join(MediaKind::kVideo);
  w.run();
  EXPECT_FALSE(ann.has_video);
  EXPECT_TRUE(ann.has_audio) << "the microphone is allowed: asked for alone";
  EXPECT_TRUE(ann.controller.state().microphone);
  ASSERT_FALSE(ann.controller.state().errors.empty());
  EXPECT_NE(ann.controller.state().errors.back().message.find("does not allow the camera."), std::string::npos);
  EXPECT_NE(ann.controller.state().errors.back().message.find("without the camera"), std::string::npos);
}

TEST(Announcer, JoinsLeavesMessagesAndMute) {
  World w;
  Member ann(w, "ann", "lobby"), bob(w, "bob", "lobby"), cy(w, "cy", "lobby");
  Announcer said;
  EXPECT_TRUE(said.update(ann.controller.state()).empty()) << "nothing changed yet";
  bob.join();
  w.run();
  // As the app does: after every state change (the member list comes after the socket opens).
  std::vector<std::string> heard;
  ann.controller.onStateChanged = [&] {
    for (std::string& l : said.update(ann.controller.state())) heard.push_back(std::move(l));
  };
  ann.join(MediaKind::kAudio);
  w.advance(500, {&ann, &bob});
  std::vector<std::string> lines = heard;
  EXPECT_TRUE(contains(lines, "In room 'lobby' as ann.")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(contains(lines, "Here with you: bob.")) << ::testing::PrintToString(lines);
  EXPECT_FALSE(contains(lines, "Nobody else")) << ::testing::PrintToString(lines);
  EXPECT_FALSE(contains(lines, "bob joined.")) << "bob was there already: " << ::testing::PrintToString(lines);
  ann.controller.onStateChanged = nullptr;

  cy.join();
  w.advance(500, {&ann, &bob, &cy});
  lines = said.update(ann.controller.state());
  EXPECT_TRUE(contains(lines, "cy joined.")) << ::testing::PrintToString(lines);

  bob.controller.sendChat("hello all", "");
  cy.controller.sendChat("psst", "ann");
  ann.controller.sendChat("my own", "");
  w.advance(500, {&ann, &bob, &cy});
  lines = said.update(ann.controller.state());
  EXPECT_TRUE(contains(lines, "Message from bob: hello all")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(contains(lines, "Private message from cy: psst")) << ::testing::PrintToString(lines);
  EXPECT_FALSE(contains(lines, "my own")) << "own messages are not read back";
  EXPECT_TRUE(said.update(ann.controller.state()).empty()) << "each thing is said once";

  ann.controller.apply(SetMicrophone{false});
  lines = said.update(ann.controller.state());
  EXPECT_TRUE(contains(lines, "You are muted.")) << ::testing::PrintToString(lines);
  ann.controller.apply(SetMicrophone{true});
  EXPECT_TRUE(contains(said.update(ann.controller.state()), "Your microphone is on."));

  cy.controller.apply(Leave{});
  w.advance(500, {&ann, &bob, &cy});
  EXPECT_TRUE(contains(said.update(ann.controller.state()), "cy left."));
}

TEST(Announcer, ABurstOfMessagesIsSummarised) {
  World w;
  Member ann(w, "ann", "lobby"), bob(w, "bob", "lobby");
  Announcer said;
  ann.join();
  w.run();
  bob.join();
  w.advance(500, {&ann, &bob});
  said.update(ann.controller.state());
  for (int i = 0; i < 12; ++i) bob.controller.sendChat("line " + std::to_string(i), "");
  w.advance(500, {&ann, &bob});
  std::vector<std::string> lines = said.update(ann.controller.state());
  EXPECT_TRUE(contains(lines, "7 earlier messages.")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(contains(lines, "Message from bob: line 11"));
  EXPECT_FALSE(contains(lines, "line 6"));
}

}  // namespace
}  // namespace imroom::core::testing
