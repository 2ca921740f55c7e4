#include "theme.hpp"

#include <imgui.h>

namespace imroom::ui {

namespace {
bool touch_style = false;
}  // namespace

bool smallButton(const char* label) { return touch_style ? ImGui::Button(label) : ImGui::SmallButton(label); }

void applyTheme(core::Theme theme, float scale, bool touch) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
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

  if (theme == core::Theme::kHighContrast) {
    // Black and white with a yellow accent; every control has a border (contrast 21:1 for text, >= 7:1 for
    // controls against the background).
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.85f, 0.0f, 1), blue(0.0f, 0.20f, 0.60f, 1);
    for (int i = 0; i < ImGuiCol_COUNT; ++i) c[i] = black;
    c[ImGuiCol_Text] = white;
    c[ImGuiCol_TextDisabled] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    c[ImGuiCol_PopupBg] = black;
    c[ImGuiCol_Border] = white;
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.20f, 0.20f, 0.20f, 1);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.30f, 0.30f, 0.30f, 1);
    c[ImGuiCol_Button] = blue;
    c[ImGuiCol_ButtonHovered] = ImVec4(0.0f, 0.30f, 0.85f, 1);
    c[ImGuiCol_ButtonActive] = ImVec4(0.0f, 0.40f, 1.0f, 1);
    c[ImGuiCol_Header] = blue;
    c[ImGuiCol_HeaderHovered] = ImVec4(0.0f, 0.30f, 0.85f, 1);
    c[ImGuiCol_HeaderActive] = ImVec4(0.0f, 0.40f, 1.0f, 1);
    c[ImGuiCol_CheckMark] = yellow;
    c[ImGuiCol_SliderGrab] = yellow;
    c[ImGuiCol_SliderGrabActive] = yellow;
    c[ImGuiCol_ScrollbarGrab] = ImVec4(0.75f, 0.75f, 0.75f, 1);
    c[ImGuiCol_ScrollbarGrabHovered] = white;
    c[ImGuiCol_ScrollbarGrabActive] = yellow;
    c[ImGuiCol_Separator] = white;
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.0f, 0.35f, 0.9f, 1);
    c[ImGuiCol_NavHighlight] = yellow;
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.6f);
    style.FrameBorderSize = 1.0f;
    style.PopupBorderSize = 1.0f;
    style.ChildBorderSize = 1.0f;
  }
  touch_style = touch;
  if (touch) {
    style.FramePadding = ImVec2(14.0f, 12.0f);
    style.ItemSpacing = ImVec2(12.0f, 14.0f);
    style.ItemInnerSpacing = ImVec2(10.0f, 8.0f);
    style.ScrollbarSize = 22.0f;
    style.GrabMinSize = 24.0f;
    style.TouchExtraPadding = ImVec2(2.0f, 2.0f);  // a finger lands a little off: the hit boxes reach out
  }
  if (scale != 1.0f) style.ScaleAllSizes(scale);
}

void drawDisplaySettings(const core::Look& look, std::vector<core::Intent>& out) {
  if (smallButton("Display")) ImGui::OpenPopup("display");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Theme and text size");
  if (!ImGui::BeginPopup("display")) return;
  core::Look next = look;
  ImGui::TextDisabled("THEME");
  int theme = static_cast<int>(look.theme);
  ImGui::RadioButton("Dark", &theme, static_cast<int>(core::Theme::kDark));
  ImGui::SameLine();
  ImGui::RadioButton("High contrast", &theme, static_cast<int>(core::Theme::kHighContrast));
  next.theme = static_cast<core::Theme>(theme);
  ImGui::TextDisabled("TEXT SIZE");
  if (ImGui::Button("A-")) next.font_scale = core::clampFontScale(look.font_scale - 0.25f);
  ImGui::SameLine();
  ImGui::Text("%d%%", static_cast<int>(look.font_scale * 100.0f + 0.5f));
  ImGui::SameLine();
  if (ImGui::Button("A+")) next.font_scale = core::clampFontScale(look.font_scale + 0.25f);
  ImGui::EndPopup();
  if (next != look) out.push_back(core::SetLook{next});
}

}  // namespace imroom::ui
