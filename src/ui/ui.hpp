// The whole interface for one frame: a full-window backdrop and the panel for the current screen.
#pragma once

#include <vector>

#include "app_state.hpp"
#include "backdrop.hpp"
#include "join_panel.hpp"
#include "room_panel.hpp"

namespace imroom::ui {

class Ui {
 public:
  // Call between ImGui::NewFrame() and ImGui::Render(). Returns what the user asked for this frame.
  std::vector<core::Intent> draw(const core::AppState& state, const std::vector<VideoTile>& tiles = {});
  // A panel fits itself to what it drew: the next frame shows it as meant (App draws one more).
  bool settling(const core::AppState& state) const { return state.screen == core::Screen::kJoin && join_.settling(); }
  // The panels' fills of the last frame drawn (GlRenderer clears redrawn regions inside them to their colour).
  const Backdrops& backdrops() const { return backdrops_; }

 private:
  JoinPanel join_;
  RoomPanel room_;
  Backdrops backdrops_;
};

}  // namespace imroom::ui
