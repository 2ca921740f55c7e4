// Loads the UI font into ImGui's atlas, rasterized for the display's pixel ratio so text stays sharp on HiDPI.
#pragma once

namespace imroom::ui {

inline constexpr float kBaseFontSize = 16.0f;  // CSS pixels

// Replaces the atlas' fonts with the UI font rasterized at kBaseFontSize * scale * pixel_ratio and
// sets FontGlobalScale so it draws at kBaseFontSize * scale CSS pixels. Returns false if the font
// data could not be used (ImGui's default font is then loaded so the UI still shows).
bool loadFonts(float pixel_ratio, float scale = 1.0f);

}  // namespace imroom::ui
