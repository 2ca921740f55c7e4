// Touch gestures over the real panels, in headless ImGui frames: a swipe scrolls the window under the finger
// (with momentum), a tap clicks, a long press opens the menu a right click opens.
#include "touch.hpp"

#include <imgui_internal.h>

#include "headless.hpp"

namespace imroom::ui {
namespace {

class TouchTest : public HeadlessUi {
 protected:
  // One frame as the app runs it, 16 ms after the last.
  std::vector<core::Intent> touchFrame(const core::AppState& s) {
    now_ += 16;
    touch_.beforeNewFrame(ImGui::GetIO(), now_);
    pressed_ |= ImGui::GetIO().MouseDown[0] || ImGui::GetIO().MouseDown[1];  // what ImGui was given
    ImGui::NewFrame();
    touch_.afterNewFrame(now_);
    auto intents = ui_.draw(s, {});
    ImGui::Render();
    return intents;
  }
  // A finger from `from` to `to` in `steps` frames (a move per frame), lifted; the frames' intents.
  std::vector<core::Intent> swipe(const core::AppState& s, ImVec2 from, ImVec2 to, int steps) {
    touch_.down(from, now_);
    std::vector<core::Intent> all = touchFrame(s);
    for (int i = 1; i <= steps; ++i) {
      const float t = static_cast<float>(i) / static_cast<float>(steps);
      touch_.move(ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t), now_);
      for (auto& intent : touchFrame(s)) all.push_back(intent);
    }
    touch_.up(to, now_);
    for (auto& intent : touchFrame(s)) all.push_back(intent);
    return all;
  }
  std::vector<core::Intent> tap(const core::AppState& s, ImVec2 at) {
    touch_.down(at, now_);
    std::vector<core::Intent> all = touchFrame(s);
    touch_.up(at, now_);
    for (int i = 0; i < 3; ++i)
      for (auto& intent : touchFrame(s)) all.push_back(intent);
    return all;
  }
  // Frames until no gesture wants one (momentum over); how many.
  int settle(const core::AppState& s) {
    int n = 0;
    while (touch_.frameDueIn(now_) == 0 && n < 1000) {
      touchFrame(s);
      ++n;
    }
    return n;
  }
  // The innermost window under a point, as ImGui finds it.
  ImGuiWindow* windowAt(const core::AppState& s, ImVec2 at) {
    ImGui::GetIO().MousePos = at;
    frameWith(s);
    return ImGui::GetCurrentContext()->HoveredWindow;
  }

  TouchGestures touch_;
  double now_ = 1000;
  bool pressed_ = false;  // ImGui saw a mouse button down since the test last cleared this
};

const ImVec2 kChat(620, 380);  // inside the chat log of a 1024x768 room screen

TEST_F(TouchTest, ASwipeScrollsTheWindowUnderTheFingerAndMomentumCarriesItOn) {
  core::AppState s = room(3, 300);
  for (int i = 0; i < 3; ++i) frameWith(s);
  ImGuiWindow* chat = windowAt(s, kChat);
  ASSERT_NE(chat, nullptr);
  ASSERT_GT(chat->ScrollMax.y, 1000.0f);
  const float bottom = chat->Scroll.y;
  EXPECT_FLOAT_EQ(bottom, chat->ScrollMax.y) << "a new room's log starts at its newest line";

  // A finger dragged down 200 px, slowly (20 frames): the log follows it to older lines, and stops with it.
  touch_.down(kChat, now_);
  touchFrame(s);
  for (int i = 1; i <= 20; ++i) {
    touch_.move(ImVec2(kChat.x, kChat.y + 10.0f * static_cast<float>(i)), now_);
    touchFrame(s);
  }
  touchFrame(s);  // a scroll applies at the window's next Begin
  EXPECT_NEAR(chat->Scroll.y, bottom - 200.0f, 1.0f);
  now_ += 200;  // rests before lifting: no momentum
  touch_.up(ImVec2(kChat.x, kChat.y + 200), now_);
  EXPECT_EQ(settle(s), 0);
  touchFrame(s);
  EXPECT_NEAR(chat->Scroll.y, bottom - 200.0f, 1.0f);

  // A flick down (100 px in 3 frames): the log moves on after the finger leaves, slows down and stops.
  const float before = chat->Scroll.y;
  swipe(s, kChat, ImVec2(kChat.x, kChat.y + 100), 3);
  touchFrame(s);
  const float at_lift = chat->Scroll.y;
  EXPECT_LT(at_lift, before - 90.0f);
  const int glide = settle(s);
  touchFrame(s);
  EXPECT_GT(glide, 10) << "momentum lasts a while";
  EXPECT_LT(glide, 200) << "and ends";
  EXPECT_LT(chat->Scroll.y, at_lift - 50.0f);
  EXPECT_GE(chat->Scroll.y, 0.0f);

  // A flick towards the newest line stops there: momentum ends at the end of the log.
  swipe(s, kChat, ImVec2(kChat.x, kChat.y - 150), 2);
  settle(s);
  for (int i = 0; i < 20 && chat->Scroll.y < chat->ScrollMax.y; ++i) {
    swipe(s, kChat, ImVec2(kChat.x, kChat.y - 150), 2);
  }
  settle(s);
  touchFrame(s);
  EXPECT_FLOAT_EQ(chat->Scroll.y, chat->ScrollMax.y);
  EXPECT_EQ(touch_.frameDueIn(now_), -1.0);
  // At the end already, a fast flick that way stops at once: no frames of momentum against the end.
  swipe(s, kChat, ImVec2(kChat.x, kChat.y - 150), 2);
  EXPECT_LE(settle(s), 1);
}

TEST_F(TouchTest, ASwipeThatStartsOnTheChatFieldPressesNothing) {
  core::AppState s = room(3, 300);
  for (int i = 0; i < 3; ++i) frameWith(s);
  // The message field: left of "Send", in the row below the log.
  const ImVec2 field(ImGui::GetIO().DisplaySize.x * 0.6f, ImGui::GetIO().DisplaySize.y - 75);
  ImGui::GetIO().MousePos = field;
  frameWith(s);
  ImGuiContext& g = *ImGui::GetCurrentContext();
  ASSERT_NE(g.HoveredId, 0u) << "the point is on a widget";
  pressed_ = false;
  const ImGuiID active_before = g.ActiveId;
  swipe(s, field, ImVec2(field.x + 30, field.y - 40), 4);
  touchFrame(s);
  EXPECT_FALSE(pressed_);
  EXPECT_EQ(g.ActiveId, active_before) << "no field took the keyboard";
}

TEST_F(TouchTest, AFingerOnAGlidingListStopsItAndClicksNothing) {
  core::AppState s = room(3, 300);
  for (int i = 0; i < 3; ++i) frameWith(s);
  ImGuiWindow* chat = windowAt(s, kChat);
  swipe(s, kChat, ImVec2(kChat.x, kChat.y + 150), 3);  // towards older lines, fast
  for (int i = 0; i < 3; ++i) touchFrame(s);
  ASSERT_EQ(touch_.frameDueIn(now_), 0) << "still gliding";
  pressed_ = false;
  touch_.down(kChat, now_);
  touchFrame(s);
  const float stopped = chat->Scroll.y;
  touch_.up(kChat, now_);
  for (int i = 0; i < 5; ++i) touchFrame(s);
  EXPECT_FLOAT_EQ(chat->Scroll.y, stopped);
  EXPECT_FALSE(pressed_) << "the touch that stopped the list pressed nothing";
}

TEST_F(TouchTest, AFlickFasterThanAFrameStillScrolls) {
  core::AppState s = room(3, 300);
  for (int i = 0; i < 3; ++i) frameWith(s);
  ImGuiWindow* chat = windowAt(s, kChat);
  const float bottom = chat->Scroll.y;
  // Down, two moves and up between two frames (a busy page).
  touch_.down(kChat, now_);
  touch_.move(ImVec2(kChat.x, kChat.y + 40), now_ + 8);
  touch_.move(ImVec2(kChat.x, kChat.y + 80), now_ + 16);
  touch_.up(ImVec2(kChat.x, kChat.y + 80), now_ + 16);
  touchFrame(s);
  touchFrame(s);
  EXPECT_LT(chat->Scroll.y, bottom - 79.0f);
}

TEST_F(TouchTest, ATapClicksOnceAndASwipeOverAButtonDoesNot) {
  core::AppState s;  // the join screen
  s.form = {"ann", "lobby", core::MediaKind::kText};
  for (int i = 0; i < 3; ++i) frameWith(s);
  const float x = ImGui::GetIO().DisplaySize.x * 0.5f;
  float join_y = -1;
  for (float y = 100; y < 700 && join_y < 0; y += 6) {
    const auto intents = tap(s, ImVec2(x, y));
    const auto joins = std::count_if(intents.begin(), intents.end(), [](const core::Intent& i) {
      return std::holds_alternative<core::Join>(i);
    });
    if (joins > 0) {
      EXPECT_EQ(joins, 1) << "one tap, one click";
      join_y = y;
    }
  }
  ASSERT_GT(join_y, 0) << "no tap found the Join button";
  for (const core::Intent& i : swipe(s, ImVec2(x, join_y), ImVec2(x, join_y + 60), 6)) {
    EXPECT_FALSE(std::holds_alternative<core::Join>(i)) << "a finger that moved on is not a click";
  }
}

TEST_F(TouchTest, ALongPressOnAChatLineOpensItsMenuAShortOneDoesNot) {
  core::AppState s = room(1, 0);
  s.chat.add({"m1", "peer0", "", "see https://example.org/notes", 1.7e12, false});
  for (int i = 0; i < 3; ++i) frameWith(s);
  const float x = ImGui::GetIO().DisplaySize.x * 0.6f;
  float line_y = -1;
  for (float y = 0; y < 400 && line_y < 0; y += 4) {
    touch_.down(ImVec2(x, y), now_);
    touchFrame(s);
    EXPECT_GT(touch_.frameDueIn(now_), 0) << "a frame is wanted when the press becomes long";
    now_ += TouchGestures::kLongPressMs;
    EXPECT_EQ(touch_.frameDueIn(now_), 0) << "and now";
    touchFrame(s);  // the long press: a right press
    touchFrame(s);  // and its release
    touch_.up(ImVec2(x, y), now_);
    touchFrame(s);
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) line_y = y;
  }
  ASSERT_GT(line_y, 0) << "no long press opened a chat line's menu";
  // The menu stays open after the finger lifts; a tap on its first item copies the line.
  const float item = ImGui::GetTextLineHeightWithSpacing();
  tap(s, ImVec2(x + 20, line_y + ImGui::GetStyle().WindowPadding.y + item * 0.5f));
  EXPECT_STREQ(ImGui::GetClipboardText(), "see https://example.org/notes");
  EXPECT_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId));
  // A press held 300 ms on the same line, in frames: no menu.
  touch_.down(ImVec2(x, line_y), now_);
  for (int i = 0; i < 19; ++i) touchFrame(s);
  touch_.up(ImVec2(x, line_y), now_);
  for (int i = 0; i < 3; ++i) touchFrame(s);
  EXPECT_FALSE(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId));
}

TEST_F(TouchTest, AMouseTakesThePointerBack) {
  core::AppState s = room(1, 5);
  tap(s, kChat);
  EXPECT_TRUE(touch_.owning());
  touch_.mouseUsed();
  EXPECT_FALSE(touch_.owning());
  ImGui::GetIO().MousePos = ImVec2(5, 5);
  touchFrame(s);
  EXPECT_EQ(ImGui::GetIO().MousePos.x, 5.0f) << "the backend's mouse, untouched";
}

}  // namespace
}  // namespace imroom::ui
