#include "theme.hpp"

#include <imgui.h>

namespace imroom::ui {

void applyTheme() {
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 8.0f;
  style.ChildRounding = 6.0f;
  style.FrameRounding = 6.0f;
  style.GrabRounding = 6.0f;
  style.PopupRounding = 6.0f;
  style.FramePadding = ImVec2(10.0f, 7.0f);
  style.ItemSpacing = ImVec2(10.0f, 10.0f);
  style.WindowPadding = ImVec2(20.0f, 20.0f);
  style.WindowBorderSize = 0.0f;

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.13f, 1.00f);
  c[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.18f, 1.00f);
  c[ImGuiCol_FrameBg] = ImVec4(0.18f, 0.20f, 0.25f, 1.00f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.23f, 0.25f, 0.31f, 1.00f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.26f, 0.29f, 0.36f, 1.00f);
  c[ImGuiCol_Button] = ImVec4(0.22f, 0.45f, 0.90f, 1.00f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.30f, 0.53f, 0.96f, 1.00f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.17f, 0.38f, 0.80f, 1.00f);
  c[ImGuiCol_CheckMark] = ImVec4(0.45f, 0.65f, 1.00f, 1.00f);
  c[ImGuiCol_Text] = ImVec4(0.92f, 0.93f, 0.95f, 1.00f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.58f, 0.61f, 0.68f, 1.00f);
  c[ImGuiCol_NavHighlight] = ImVec4(0.45f, 0.65f, 1.00f, 1.00f);
}

}  // namespace imroom::ui
