#include "ui.hpp"

#include <imgui.h>

namespace imroom::ui {

std::vector<core::Intent> Ui::draw(const core::AppState& state, const std::vector<VideoTile>& tiles) {
  std::vector<core::Intent> intents;
  backdrops_ = {};
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  // No background: the frame is cleared to the window colour already; one full-screen layer less to blend.
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("imroom", nullptr, flags);
  ImGui::PopStyleVar();
  switch (state.screen) {
    case core::Screen::kJoin: join_.draw(state, intents); break;
    case core::Screen::kRoom: room_.draw(state, tiles, intents, backdrops_); break;
  }
  ImGui::End();
  return intents;
}

}  // namespace imroom::ui
