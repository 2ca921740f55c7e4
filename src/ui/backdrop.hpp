// Panels whose fill the renderer can clear instead of drawing. Software WebGL (SwiftShader here, and wherever
// a browser has no usable GPU) fills a pixel through the whole fragment pipeline — texture, colour, blending —
// at several times the cost of a clear. A chat line that scrolls the log redraws the log's region, and the
// opaque column behind it was filled there every time: ~90 % of the pixels a chat frame drew, and about a third
// of what the browser's GPU process spent on such a frame (BENCHMARKS.md). The part of a redrawn region inside
// such a panel's solid area, cleared to the panel's colour, gets the same pixels.
#pragma once

#include <imgui.h>

#include <vector>

#include "damage.hpp"

namespace imroom::ui {

// An opaque rounded rectangle, filled the way ImGui fills a child window's background.
struct Backdrop {
  DamageRect rect;     // ImGui's display coordinates
  float rounding = 0;  // corner radius
  ImU32 colour = 0;    // opaque
  // A rectangle the fill covers whole (same coordinates): inside its antialiased edge (`edge` wide) all round,
  // and between its left and right rounded corners.
  DamageRect solid(float edge) const;
};

// The panels' fills of one frame, and the draw list that holds them and nothing else (ImGui's background list,
// drawn before every window).
struct Backdrops {
  const ImDrawList* list = nullptr;
  std::vector<Backdrop> fills;
};

// BeginChild for a panel with an opaque ChildBg: ImGui draws no fill for it; the fill goes into the background
// draw list (the same rounded rectangle, beneath everything, as ImGui would draw it first) and into `out`.
// A ChildBg that is not opaque is drawn by ImGui as usual. Returns what BeginChild returns; call EndChild.
bool beginBackdropChild(const char* id, const ImVec2& size, ImGuiWindowFlags flags, Backdrops& out);

}  // namespace imroom::ui
