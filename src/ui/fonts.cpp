#include "fonts.hpp"

#include <imgui.h>

#include "embedded.hpp"

namespace imroom::ui {

namespace {
// Keep in step with the ranges in assets/CMakeLists.txt.
const ImWchar kGlyphRanges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0x2190, 0x2199,
                                0x25A0, 0x25CF, 0x2713, 0x2717, 0};
}  // namespace

bool loadFonts(float pixel_ratio, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  if (pixel_ratio < 1.0f) pixel_ratio = 1.0f;
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // static data: the atlas must not free it
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = false;
  float px = kBaseFontSize * scale * pixel_ratio;
  void* data = const_cast<unsigned char*>(assets::kUiFontTtf);
  ImFont* font = io.Fonts->AddFontFromMemoryTTF(data, static_cast<int>(assets::kUiFontTtfSize), px, &config,
                                                kGlyphRanges);
  io.FontGlobalScale = 1.0f / pixel_ratio;
  if (!font) {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * pixel_ratio;
    io.Fonts->AddFontDefault(&fallback);
    return false;
  }
  return io.Fonts->Build();
}

}  // namespace imroom::ui
