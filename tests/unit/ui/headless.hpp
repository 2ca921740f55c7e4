// A fixture that runs real ImGui frames with no window and no GPU, for the panels' tests.
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include "controller.hpp"
#include "fonts.hpp"
#include "theme.hpp"
#include "ui.hpp"

namespace imroom::ui {

// A room screen: `peers` members in every connection state, `lines` chat lines (every 7th one long), 200 events.
inline core::AppState room(int peers, int lines) {
  core::AppState s;
  s.screen = core::Screen::kRoom;
  s.joined = {"ann", "lobby", core::MediaKind::kText};
  s.signaling = core::SignalingState::kConnected;
  s.share_link = "http://localhost:8080/?room=lobby";
  const char* states[] = {"connected", "connecting", "disconnected", "failed", "new"};
  for (int i = 0; i < peers; ++i) {
    core::PeerView p;
    p.username = "peer" + std::to_string(i);
    p.connection = states[i % 5];
    p.channel = p.connection == "connected" ? "open" : "none";
    p.pending = i % 3;
    s.peers.push_back(p);
  }
  for (int i = 0; i < lines; ++i) {
    core::ChatMessage m;
    m.id = std::to_string(i);
    m.from = i % 4 == 0 ? "ann" : "peer" + std::to_string(i % 3);
    m.own = m.from == "ann";
    m.text = i % 7 == 0 ? std::string(300, 'w') + " a long line that wraps" : "line " + std::to_string(i);
    m.ts = 1.7e12 + i * 1000.0;
    s.chat.add(m);
  }
  for (int i = 0; i < 200; ++i) s.events.push_back({1.7e12, core::StatusKind::kInfo, "event " + std::to_string(i)});
  s.events_added = s.events.size();
  return s;
}

// Runs real ImGui frames with no window and no GPU: the panels' logic and layout, and ImGui's own asserts.
class HeadlessUi : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1024, 768);
    io.DeltaTime = 1.0f / 60.0f;
    io.KeyMap[ImGuiKey_Enter] = ImGuiKey_Enter;
    io.KeyMap[ImGuiKey_Tab] = ImGuiKey_Tab;
    io.KeyMap[ImGuiKey_Escape] = ImGuiKey_Escape;
    applyTheme();
    ASSERT_TRUE(font_.load(2.0f));
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  void TearDown() override { ImGui::DestroyContext(); }

  std::vector<core::Intent> frame() {
    ImGui::NewFrame();
    auto intents = ui_.draw(controller_.state());
    ImGui::Render();
    for (const auto& i : intents) controller_.apply(i);
    return intents;
  }

  // A frame over a canned state (the controller is not involved); returns the intents.
  std::vector<core::Intent> frameWith(const core::AppState& state, const std::vector<VideoTile>& tiles = {}) {
    ImGui::NewFrame();
    auto intents = ui_.draw(state, tiles);
    ImGui::Render();
    return intents;
  }
  // Clicks at (x, y) over a canned state (mouse down for a frame, then up); returns the intents of both frames.
  std::vector<core::Intent> clickWith(const core::AppState& state, float x, float y,
                                      const std::vector<VideoTile>& tiles = {}, int button = 0) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    frameWith(state, tiles);  // hover first, as a real pointer does
    io.MouseDown[button] = true;
    std::vector<core::Intent> all = frameWith(state, tiles);
    io.MouseDown[button] = false;
    for (auto& i : frameWith(state, tiles)) all.push_back(i);
    return all;
  }
  std::vector<core::Intent> rightClickWith(const core::AppState& state, float x, float y) {
    return clickWith(state, x, y, {}, 1);
  }
  int vertices() const { return ImGui::GetDrawData() ? ImGui::GetDrawData()->TotalVtxCount : 0; }

  void type(const char* text) {
    for (const char* p = text; *p; ++p) ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(*p));
    frame();
  }

  void press(ImGuiKey key) {
    ImGui::GetIO().KeysDown[key] = true;
    frame();
    ImGui::GetIO().KeysDown[key] = false;
  }

  UiFont font_;
  core::Controller controller_;
  Ui ui_;
};

}  // namespace imroom::ui
