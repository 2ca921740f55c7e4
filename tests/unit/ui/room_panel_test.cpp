// The room screen over canned states: it draws (ImGui asserts abort natively), culls long logs, and turns
// keys and clicks into the right intents.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include <imgui_internal.h>

#include "damage.hpp"
#include "headless.hpp"

namespace imroom::ui {
namespace {

template <class T>
std::vector<T> only(const std::vector<core::Intent>& intents) {
  std::vector<T> out;
  for (const auto& i : intents)
    if (const T* t = std::get_if<T>(&i)) out.push_back(*t);
  return out;
}

TEST_F(HeadlessUi, AnEmptyRoomDrawsAndLooksAtTheRoomConversation) {
  core::AppState s = room(0, 0);
  auto intents = frameWith(s);
  auto views = only<core::ViewConversation>(intents);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].conversation, "");
  EXPECT_TRUE(only<core::ViewConversation>(frameWith(s)).empty()) << "reported once, not every frame";
}

TEST_F(HeadlessUi, EightPeersInEveryStateDraw) {
  core::AppState s = room(8, 50);
  for (int i = 0; i < 3; ++i) frameWith(s);
  EXPECT_GT(vertices(), 0);
}

TEST_F(HeadlessUi, TenThousandChatLinesAreCulledToWhatIsOnScreen) {
  core::AppState small = room(3, 100);
  for (int i = 0; i < 3; ++i) frameWith(small);
  const int v_small = vertices();
  HeadlessUi::TearDown();
  HeadlessUi::SetUp();
  core::AppState big = room(3, 10000);
  for (int i = 0; i < 3; ++i) frameWith(big);
  const int v_big = vertices();
  EXPECT_LT(v_big, v_small * 2) << "the log must lay out only the visible lines (" << v_small << " vs " << v_big << ")";
}

TEST_F(HeadlessUi, TypingAndEnterSendsAndKeepsTheFocus) {
  core::AppState s = room(2, 3);
  frameWith(s);  // asks for the input's focus
  frameWith(s);
  for (const char* p = "hello"; *p; ++p) ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(*p));
  frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = true;
  auto intents = frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = false;
  auto sends = only<core::SendChat>(intents);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].text, "hello");
  EXPECT_EQ(sends[0].to, "");
  frameWith(s);
  frameWith(s);
  for (const char* p = "again"; *p; ++p) ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(*p));
  frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = true;
  intents = frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = false;
  sends = only<core::SendChat>(intents);
  ASSERT_EQ(sends.size(), 1u) << "the input kept the keyboard after the first message";
  EXPECT_EQ(sends[0].text, "again");
}

TEST_F(HeadlessUi, EscapeClearsTheMessageBeingTyped) {
  core::AppState s = room(1, 0);
  frameWith(s);
  frameWith(s);
  for (const char* p = "oops"; *p; ++p) ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(*p));
  frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Escape] = true;
  frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Escape] = false;
  frameWith(s);
  frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = true;
  auto intents = frameWith(s);
  ImGui::GetIO().KeysDown[ImGuiKey_Enter] = false;
  EXPECT_TRUE(only<core::SendChat>(intents).empty()) << "nothing left to send";
}

TEST_F(HeadlessUi, VideoTilesAndPlaceholdersDrawAboveTheChat) {
  core::AppState s = room(5, 20);
  s.camera = true;
  s.mesh_notice = "6 cameras in this room";
  std::vector<VideoTile> tiles;
  tiles.push_back({"ann", reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7)), 4.0f / 3.0f, true, false,
                   false, false, {}});
  for (int i = 0; i < 5; ++i)
    tiles.push_back({"peer" + std::to_string(i), i == 2 ? nullptr : reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(8 + i)),
                     16.0f / 9.0f, false, i == 2, false, false, {}});
  for (int i = 0; i < 3; ++i) frameWith(s, tiles);
  // Every tile with a picture is drawn with its own texture.
  int textured = 0;
  const ImDrawData* d = ImGui::GetDrawData();
  for (int n = 0; n < d->CmdListsCount; ++n)
    for (const ImDrawCmd& cmd : d->CmdLists[n]->CmdBuffer)
      if (reinterpret_cast<std::intptr_t>(cmd.TextureId) >= 7 && reinterpret_cast<std::intptr_t>(cmd.TextureId) <= 12) ++textured;
  EXPECT_EQ(textured, 5) << "one draw per video texture; the camera-off tile is a placeholder";
}

TEST_F(HeadlessUi, ConnectionBarsShowOnTilesWhoseQualityIsKnown) {
  core::AppState s = room(2, 5);
  const ImTextureID tex = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7));
  std::vector<VideoTile> tiles{{"ann", tex, 4.0f / 3.0f, true, false, false, false, {}},
                               {"peer0", tex, 4.0f / 3.0f, false, false, false, false, {}}};
  // Vertices in the poor link's red.
  auto red = [] {
    const ImU32 colour = ImGui::ColorConvertFloat4ToU32(ImVec4(1.00f, 0.45f, 0.42f, 1.0f));
    int n = 0;
    const ImDrawData* d = ImGui::GetDrawData();
    for (int l = 0; l < d->CmdListsCount; ++l)
      for (const ImDrawVert& v : d->CmdLists[l]->VtxBuffer) n += v.col == colour;
    return n;
  };
  for (int i = 0; i < 2; ++i) frameWith(s, tiles);
  const int before = red();
  const int vertices_before = vertices();
  tiles[1].link = core::judgeLink({650, 0, 20});
  for (int i = 0; i < 2; ++i) frameWith(s, tiles);
  EXPECT_EQ(red() - before, 4) << "a poor link: one bar lit, in red";
  EXPECT_GT(vertices() - vertices_before, 3 * 4) << "and two unlit bars on a backdrop";
}

TEST_F(HeadlessUi, BlockedSoundShowsAPromptThatEnablesIt) {
  core::AppState s = room(2, 5);
  for (int i = 0; i < 2; ++i) frameWith(s);
  const float x = ImGui::GetIO().DisplaySize.x * 0.65f;
  auto scan = [&] {
    for (float y = 0; y < 240; y += 4)
      if (!only<core::EnableSound>(clickWith(s, x, y)).empty()) return true;
    return false;
  };
  EXPECT_FALSE(scan()) << "no prompt while sound plays";
  s.sound_blocked = true;
  EXPECT_TRUE(scan()) << "a click on the prompt asks to enable sound";
}

TEST(MicrophoneSwitch, SaysStartForAMemberWithoutOneAndMuteOrUnmuteOtherwise) {
  core::AppState s;
  EXPECT_STREQ(microphoneSwitch(s).label, "Start microphone");  // joined for text: nothing to unmute
  s.has_microphone = true;
  EXPECT_STREQ(microphoneSwitch(s).label, "Unmute");
  s.microphone = true;
  EXPECT_STREQ(microphoneSwitch(s).label, "Mute");
}

TEST(FirstLink, FindsTheLinkWithoutTheSentencesPunctuation) {
  EXPECT_EQ(firstLink("see https://example.org/a?b=1, then"), "https://example.org/a?b=1");
  EXPECT_EQ(firstLink("(http://x.test/path)."), "http://x.test/path");
  EXPECT_EQ(firstLink("no link here, nor javascript:alert(1)"), "");
}

TEST_F(HeadlessUi, ARightClickOnAChatLineOffersToCopyItAndToOpenOrCopyItsLink) {
  core::AppState s = room(1, 0);
  s.chat.add({"m1", "peer0", "", "the notes are at https://example.org/notes.", 1.7e12, false});
  for (int i = 0; i < 2; ++i) frameWith(s);
  ImGuiIO& io = ImGui::GetIO();
  const float x = io.DisplaySize.x * 0.6f;
  float at = -1;
  for (float y = 0; y < io.DisplaySize.y && at < 0; y += 4) {
    rightClickWith(s, x, y);
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) at = y;
  }
  ASSERT_GE(at, 0) << "no chat line opened a menu";
  // The menu opens at the pointer: "Copy message", "Open link", "Copy link".
  const float item = ImGui::GetTextLineHeightWithSpacing();  // one menu item
  clickWith(s, x + 20, at + ImGui::GetStyle().WindowPadding.y + item * 0.5f);
  EXPECT_STREQ(ImGui::GetClipboardText(), "the notes are at https://example.org/notes.");
  rightClickWith(s, x, at);
  const float first = at + ImGui::GetStyle().WindowPadding.y + item * 0.5f;  // the first item's middle
  std::vector<core::OpenLink> opened = only<core::OpenLink>(clickWith(s, x + 20, first + item));
  ASSERT_EQ(opened.size(), 1u) << "the second item opens the link";
  EXPECT_EQ(opened[0].url, "https://example.org/notes");
  rightClickWith(s, x, at);
  clickWith(s, x + 20, first + 2 * item);
  EXPECT_STREQ(ImGui::GetClipboardText(), "https://example.org/notes");
}

TEST_F(HeadlessUi, DamageIsOnlyWhatChanged) {
  core::AppState s = room(3, 20);
  const ImTextureID tex = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7));
  std::vector<VideoTile> tiles{{"ann", nullptr, 4.0f / 3.0f, true, true, false, false, {}},
                               {"peer0", tex, 4.0f / 3.0f, false, false, false, false, {}}};
  DamageTracker damage;
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  frameWith(s, tiles);
  frameWith(s, tiles);
  DamageRect d = damage.update(ImGui::GetDrawData()).bounds();
  EXPECT_EQ(d.x0, 0);
  EXPECT_EQ(d.x1, size.x) << "the first frame is drawn whole";
  frameWith(s, tiles);
  EXPECT_TRUE(damage.update(ImGui::GetDrawData()).empty()) << "nothing changed, nothing to draw";

  // A new video frame: only the tile that shows it.
  frameWith(s, tiles);
  d = damage.update(ImGui::GetDrawData(), {tex}).bounds();
  ASSERT_FALSE(d.empty());
  EXPECT_GT(d.x0, 300) << "right of the member list";
  EXPECT_LT(d.y1, size.y * 0.6f) << "above the chat";
  EXPECT_LT((d.x1 - d.x0) * (d.y1 - d.y0), size.x * size.y * 0.25f);

  // A chat line: the chat, not the member list.
  core::ChatMessage m;
  m.id = "new";
  m.from = "peer1";
  m.text = "hello";
  m.ts = 1.8e12;
  s.chat.add(m);
  frameWith(s, tiles);
  frameWith(s, tiles);
  d = damage.update(ImGui::GetDrawData()).bounds();
  ASSERT_FALSE(d.empty());
  EXPECT_GT(d.x0, 280) << "the member list is not redrawn";

  // A private line from a member while the room's conversation is shown: that member's unread badge in the list
  // (left) and nothing else... and a room line with it (right): two regions, not their union across the screen.
  core::ChatMessage p = m;
  p.id = "private";
  p.to = "ann";
  s.chat.add(p);
  core::ChatMessage r = m;
  r.id = "room";
  r.text = "and to everyone";
  s.chat.add(r);
  frameWith(s, tiles);
  frameWith(s, tiles);
  Damage both = damage.update(ImGui::GetDrawData());
  ASSERT_EQ(both.rects().size(), 2u);
  const DamageRect left = both.rects()[0].x0 < both.rects()[1].x0 ? both.rects()[0] : both.rects()[1];
  const DamageRect right = both.rects()[0].x0 < both.rects()[1].x0 ? both.rects()[1] : both.rects()[0];
  EXPECT_LT(left.x1, 300) << "one in the member list";
  EXPECT_GT(right.x0, 280) << "one in the chat";
  EXPECT_LT(both.area(), 0.9f * both.bounds().area()) << "not the union across the screen";

  // A window going (the video area when the last camera leaves): where it was is redrawn.
  frameWith(s, {});
  frameWith(s, {});
  d = damage.update(ImGui::GetDrawData()).bounds();
  EXPECT_LT(d.y0, size.y * 0.2f);
  EXPECT_GT(d.y1, size.y * 0.5f);

  // A new display size: everything.
  ImGui::GetIO().DisplaySize = ImVec2(800, 600);
  frameWith(s, {});
  d = damage.update(ImGui::GetDrawData()).bounds();
  EXPECT_EQ(d.x1 - d.x0, 800);
  EXPECT_EQ(d.y1 - d.y0, 600);
}

// Software WebGL pays for every pixel each layer fills. The panels inside the side and chat columns are the
// columns' own colour: drawn with a fill of their own, the log, the member list and the events were filled twice.
TEST_F(HeadlessUi, NoPixelIsFilledTwiceWithThePanelColour) {
  core::AppState s = room(3, 40);
  const ImTextureID tex = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7));
  std::vector<VideoTile> tiles{{"peer0", tex, 4.0f / 3.0f, false, false, false, false, {}}};
  for (int i = 0; i < 3; ++i) frameWith(s, tiles);
  const ImU32 panel = ImGui::GetColorU32(ImGuiCol_ChildBg);
  double filled = 0;  // the area of the triangles drawn in the panel colour
  const ImDrawData* data = ImGui::GetDrawData();
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
        const ImDrawVert* v[3];
        for (int k = 0; k < 3; ++k) v[k] = &list->VtxBuffer[list->IdxBuffer[cmd.IdxOffset + e + k] + cmd.VtxOffset];
        if (v[0]->col != panel || v[1]->col != panel || v[2]->col != panel) continue;
        filled += std::fabs((v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                            (v[2]->pos.x - v[0]->pos.x) * (v[1]->pos.y - v[0]->pos.y)) / 2;
      }
    }
  }
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  EXPECT_GT(filled, 0.5 * size.x * size.y) << "the two columns are filled";
  EXPECT_LT(filled, 1.0 * size.x * size.y) << "and nothing inside them again";
}

// The event log's child window (ImGui names a child "<parent>/<name>_<id>").
ImGuiWindow* eventsWindow() {
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->Active && std::string_view(w->Name).find("/events_") != std::string_view::npos) return w;
  return nullptr;
}

std::string words(int n) {
  std::string out = "ICE failed with";
  for (int i = 0; i < n; ++i) out += " word" + std::to_string(i);
  return out;
}

TEST_F(HeadlessUi, LongEventLinesWrapInsteadOfScrollingSideways) {
  core::AppState s = room(2, 5);
  for (int i = 0; i < 3; ++i) frameWith(s);
  ImGuiWindow* w = eventsWindow();
  ASSERT_NE(w, nullptr);
  const float short_height = w->ContentSize.y;
  s.events.push_back({1.7e12, core::StatusKind::kError, words(80)});
  ++s.events_added;
  for (int i = 0; i < 3; ++i) frameWith(s);
  w = eventsWindow();
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->ScrollMax.x, 0.0f) << "no sideways scrolling";
  EXPECT_LE(w->ContentSize.x, w->InnerRect.GetWidth() + 1.0f) << "nothing reaches past the right edge";
  const float line = ImGui::GetTextLineHeightWithSpacing();
  EXPECT_GE(w->ContentSize.y - short_height, 3 * line) << "the long line takes several lines";
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y) << "and the log followed it to the bottom";
}

// The log keeps its last 500 lines: once full its size no longer changes, and a new line (here one that wraps,
// for a short one gone from the top) must still be followed.
TEST_F(HeadlessUi, AFullEventLogStillFollowsNewLines) {
  core::AppState s = room(2, 5);
  s.events.clear();
  for (int i = 0; i < 500; ++i) s.events.push_back({1.7e12, core::StatusKind::kInfo, "event " + std::to_string(i)});
  s.events_added = 500;
  for (int i = 0; i < 3; ++i) frameWith(s);
  ImGuiWindow* w = eventsWindow();
  ASSERT_NE(w, nullptr);
  ASSERT_GT(w->ScrollMax.y, 0.0f);
  ASSERT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y);
  for (int k = 0; k < 3; ++k) {
    s.events.pop_front();
    s.events.push_back({1.7e12, core::StatusKind::kInfo, words(60 + k)});
    ++s.events_added;
    for (int i = 0; i < 3; ++i) frameWith(s);
  }
  w = eventsWindow();
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(s.events.size(), 500u);
  EXPECT_FLOAT_EQ(w->Scroll.y, w->ScrollMax.y) << "the newest line is in view";
}

TEST_F(HeadlessUi, ANarrowWindowStillDrawsTheChat) {
  ImGui::GetIO().DisplaySize = ImVec2(360, 640);
  core::AppState s = room(4, 30);
  for (int i = 0; i < 3; ++i) frameWith(s);
  EXPECT_GT(vertices(), 0);
}


// The renderer clears a redrawn region inside a column's solid part to the column's colour instead of filling it
// (software WebGL fills a pixel at several times the cost of a clear). That holds only if the columns' fills are
// where Backdrops says, in its colour, alone in their draw list, and opaque over every point of `solid()`.
TEST_F(HeadlessUi, TheColumnsFillsAreBackdropsThatCoverTheirSolidPartWhole) {
  core::AppState s = room(3, 40);
  for (int i = 0; i < 3; ++i) frameWith(s);
  const Backdrops& backdrops = ui_.backdrops();
  ASSERT_EQ(backdrops.fills.size(), 2u) << "the side and chat columns";
  ASSERT_EQ(backdrops.list, ImGui::GetBackgroundDrawList());
  const ImU32 panel = ImGui::GetColorU32(ImGuiCol_ChildBg);
  // The fills are the columns' windows.
  std::vector<DamageRect> columns;
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
    const std::string_view name(w->Name);
    if (w->Active && (name.find("/side_") != name.npos || name.find("/chat_") != name.npos) &&
        std::count(name.begin(), name.end(), '/') == 1)
      columns.push_back({w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y});
  }
  ASSERT_EQ(columns.size(), 2u);
  for (const Backdrop& fill : backdrops.fills) {
    EXPECT_EQ(fill.colour, panel);
    EXPECT_TRUE(std::any_of(columns.begin(), columns.end(), [&](const DamageRect& c) {
      return c.x0 == fill.rect.x0 && c.y0 == fill.rect.y0 && c.x1 == fill.rect.x1 && c.y1 == fill.rect.y1;
    }));
  }
  // Their list holds only them; its opaque triangles cover each solid part at every point tried.
  const ImDrawList* list = backdrops.list;
  std::vector<std::array<ImVec2, 3>> opaque;
  for (const ImDrawCmd& cmd : list->CmdBuffer) {
    for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
      std::array<ImVec2, 3> t;
      bool solid = true;
      for (int k = 0; k < 3; ++k) {
        const ImDrawVert& v = list->VtxBuffer[list->IdxBuffer[cmd.IdxOffset + e + k] + cmd.VtxOffset];
        EXPECT_EQ(v.col | IM_COL32_A_MASK, panel) << "nothing but the fills in the backdrops' list";
        solid = solid && v.col == panel;
        t[k] = v.pos;
      }
      if (solid) opaque.push_back(t);
    }
  }
  const auto inside = [&](ImVec2 p) {
    for (const auto& t : opaque) {
      const auto side = [&](ImVec2 a, ImVec2 b) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); };
      const float d0 = side(t[0], t[1]), d1 = side(t[1], t[2]), d2 = side(t[2], t[0]);
      if ((d0 >= 0 && d1 >= 0 && d2 >= 0) || (d0 <= 0 && d1 <= 0 && d2 <= 0)) return true;
    }
    return false;
  };
  for (const Backdrop& fill : backdrops.fills) {
    const DamageRect solid = fill.solid(2.0f);
    ASSERT_FALSE(solid.empty());
    EXPECT_GT(solid.area(), 0.9f * fill.rect.area());
    for (int i = 0; i <= 40; ++i) {
      for (int j = 0; j <= 40; ++j) {
        const ImVec2 p(solid.x0 + (solid.x1 - solid.x0) * i / 40.0f, solid.y0 + (solid.y1 - solid.y0) * j / 40.0f);
        ASSERT_TRUE(inside(p)) << "(" << p.x << ", " << p.y << ") is not filled whole";
      }
    }
  }
  // A region reaching into a rounded corner is not solid: the corner's pixels are the fill's edge.
  const Backdrop& first = backdrops.fills[0];
  EXPECT_FALSE(inside(ImVec2(first.rect.x0 + 0.5f, first.rect.y0 + 0.5f)));
  const DamageRect r = Backdrop{{0, 0, 100, 50}, 6, panel}.solid(2);
  EXPECT_EQ(r.x0, 8);
  EXPECT_EQ(r.y0, 2);
  EXPECT_EQ(r.x1, 92);
  EXPECT_EQ(r.y1, 48);
  EXPECT_TRUE((Backdrop{{0, 0, 10, 10}, 6, panel}.solid(2).empty())) << "too small to have a solid part";
}

}  // namespace
}  // namespace imroom::ui
