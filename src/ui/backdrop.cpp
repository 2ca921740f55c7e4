#include "backdrop.hpp"

#include <imgui_internal.h>

namespace imroom::ui {

DamageRect Backdrop::solid(float edge) const {
  const float corner = rounding > 0 ? rounding : 0;
  DamageRect r{rect.x0 + edge + corner, rect.y0 + edge, rect.x1 - edge - corner, rect.y1 - edge};
  if (r.empty()) return {};
  return r;
}

bool beginBackdropChild(const char* id, const ImVec2& size, ImGuiWindowFlags flags, Backdrops& out) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const bool opaque = style.Colors[ImGuiCol_ChildBg].w * style.Alpha >= 1.0f;
  const ImU32 colour = ImGui::GetColorU32(ImGuiCol_ChildBg);
  if (opaque) ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 0));
  const bool shown = ImGui::BeginChild(id, size, false, flags);
  if (!opaque) return shown;
  ImGui::PopStyleColor();
  // ImGui draws nothing of a window it hides (a child in its first frame, while it measures itself): no fill then.
  if (ImGui::GetCurrentWindowRead()->Hidden) return shown;
  const ImVec2 p0 = ImGui::GetWindowPos();
  const ImVec2 p1(p0.x + ImGui::GetWindowWidth(), p0.y + ImGui::GetWindowHeight());
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  list->AddRectFilled(p0, p1, colour, style.ChildRounding);
  out.list = list;
  out.fills.push_back({{p0.x, p0.y, p1.x, p1.y}, style.ChildRounding, colour});
  return shown;
}

}  // namespace imroom::ui
