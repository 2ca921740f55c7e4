#include <imgui_internal.h>

#include "headless.hpp"

namespace imroom::ui {
namespace {

TEST_F(HeadlessUi, FontIsTheBakedInDejaVuAtTheRightPixelSize) {
  ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  EXPECT_FLOAT_EQ(font->FontSize, kBaseFontSize * 2.0f);  // pixel ratio 2
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 0.5f);
  EXPECT_NE(font->FindGlyphNoFallback(0x00E9), nullptr);  // é
  EXPECT_NE(font->FindGlyphNoFallback(0x2026), nullptr);  // …
}

TEST_F(HeadlessUi, TypingANameAndPressingEnterAsksToJoin) {
  frame();  // the first frame asks to focus the empty name field,
  frame();  // the second gives it the keyboard
  type("ann");
  EXPECT_EQ(controller_.state().form.username, "ann");
  press(ImGuiKey_Enter);
  // Enter in the form joins; the room is still empty so the status line says what is missing.
  EXPECT_EQ(controller_.state().status.kind, core::StatusKind::kError);
  EXPECT_EQ(controller_.state().status.text, "Enter a room.");
}

TEST_F(HeadlessUi, SpacesCannotBeTypedIntoNames) {
  frame();
  frame();
  type("a b");
  EXPECT_EQ(controller_.state().form.username, "ab");
}

TEST_F(HeadlessUi, FormChangedThroughTheApiShowsInTheFields) {
  frame();
  controller_.apply(core::EditForm{core::JoinForm{"zoe", "news", core::MediaKind::kVideo}});
  frame();
  frame();
  // The panel must not push the stale (empty) buffers back over the new form.
  EXPECT_EQ(controller_.state().form.username, "zoe");
  EXPECT_EQ(controller_.state().form.room, "news");
}

// The card is as tall as its contents; when they grow (a long error under the button), it grows over the next
// frames, and once it has settled no scrollbar is left on it (ImGui decides on one from the frame before).
TEST_F(HeadlessUi, TheFormGrowsWithALongMessageAndKeepsNoScrollbar) {
  ImGui::GetIO().DisplaySize = ImVec2(1000, 640);
  core::AppState s;
  s.form = core::JoinForm{"ann", "lobby", core::MediaKind::kText};
  s.status = {core::StatusKind::kInfo, "Choose a name and a room, then join."};
  auto settle = [&] {
    int frames = 0;
    do {
      frameWith(s);
    } while (ui_.settling(s) && ++frames < 10);
    return frames;
  };
  auto card = [] {
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
      if (std::string_view(w->Name).find("/join_") != std::string_view::npos) return w;
    return static_cast<ImGuiWindow*>(nullptr);
  };
  settle();
  ASSERT_NE(card(), nullptr);
  const float short_height = card()->Size.y;
  s.status = {core::StatusKind::kError,
              "The name 'ann' is held in room 'lobby' for a page whose connection dropped, in case it comes back. "
              "It is free again in 9 s: join again then, or choose another name."};
  EXPECT_LT(settle(), 10) << "the card never settles";
  EXPECT_GT(card()->Size.y, short_height + 2 * ImGui::GetTextLineHeight());
  EXPECT_FALSE(card()->ScrollbarY) << "a scrollbar on a card its contents fit";
  s.status = {core::StatusKind::kInfo, "Choose a name and a room, then join."};
  settle();
  EXPECT_FLOAT_EQ(card()->Size.y, short_height);
  EXPECT_FALSE(card()->ScrollbarY);
}

TEST_F(HeadlessUi, DrawsInTinyAndHugeWindowsWithoutAsserting) {
  for (ImVec2 size : {ImVec2(120, 90), ImVec2(320, 568), ImVec2(3840, 2160)}) {
    ImGui::GetIO().DisplaySize = size;
    frame();
    EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 0);
  }
}

}  // namespace
}  // namespace imroom::ui

namespace imroom::ui {
namespace {

TEST_F(HeadlessUi, AFrameWithoutCameraPermissionIsExplainedOnlyWhenACallIsChosen) {
  core::AppState s;
  s.form = core::JoinForm{"ann", "lobby", core::MediaKind::kVideo};
  auto count = [&](const core::AppState& state) {
    for (int i = 0; i < 2; ++i) frameWith(state);
    return vertices();
  };
  const int allowed = count(s);
  s.frame = core::FramePolicy{false, false};
  const int blocked = count(s);
  EXPECT_GT(blocked, allowed + 200) << "the explanation and the attribute to add are drawn";
  s.form.media = core::MediaKind::kText;
  const int text_blocked = count(s);
  s.frame = core::FramePolicy{};
  EXPECT_EQ(text_blocked, count(s)) << "text chat needs no permission: nothing to explain";
}

TEST_F(HeadlessUi, HighContrastThemeIsBlackWhiteAndBordered) {
  applyTheme(core::Theme::kHighContrast, 1.5f);
  const ImGuiStyle& style = ImGui::GetStyle();
  EXPECT_EQ(style.Colors[ImGuiCol_WindowBg].x + style.Colors[ImGuiCol_WindowBg].y + style.Colors[ImGuiCol_WindowBg].z, 0.0f);
  EXPECT_EQ(style.Colors[ImGuiCol_Text].x + style.Colors[ImGuiCol_Text].y + style.Colors[ImGuiCol_Text].z, 3.0f);
  EXPECT_GE(style.FrameBorderSize, 1.0f);
  EXPECT_FLOAT_EQ(style.FramePadding.x, 15.0f) << "sizes follow the text size";
  applyTheme();
  EXPECT_EQ(ImGui::GetStyle().FrameBorderSize, 0.0f) << "back to the dark theme, nothing left over";
}

TEST_F(HeadlessUi, TheTouchThemeSizesControlsForFingersTheSmallButtonsToo) {
  core::AppState s;
  frameWith(s);
  const float mouse_row = ImGui::GetFrameHeight();
  ImGui::NewFrame();
  ImGui::SmallButton("Display");
  const float mouse_small = ImGui::GetItemRectSize().y;
  ImGui::Render();
  applyTheme(core::Theme::kDark, 1.0f, true);
  frameWith(s);
  ImGui::NewFrame();
  const float touch_row = ImGui::GetFrameHeight();
  smallButton("Display");
  const float touch_small = ImGui::GetItemRectSize().y;
  ImGui::Render();
  EXPECT_GE(touch_row, mouse_row + 10.0f) << mouse_row << " -> " << touch_row;
  EXPECT_FLOAT_EQ(touch_small, touch_row) << "as tall as any other control";
  EXPECT_LT(mouse_small, mouse_row) << "with a mouse, small buttons stay small";
  applyTheme();
  ImGui::NewFrame();
  smallButton("Display");
  EXPECT_FLOAT_EQ(ImGui::GetItemRectSize().y, mouse_small) << "back to the mouse theme, nothing left over";
  ImGui::Render();
}

}  // namespace
}  // namespace imroom::ui
