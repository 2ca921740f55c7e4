// Draws ImGui's draw lists with WebGL2 (GLES 3.0), replacing ImGui's OpenGL3 backend. The difference that
// matters: it never reads GL state back. The stock backend saves and restores state around every frame with
// glGet*/glIsEnabled; in a browser many of those are synchronous round trips to the GPU process, which wait for
// every command queued before them — from every page. With software WebGL and several rooms open, one frame
// then blocked the main thread (and the network events waiting behind it) for 100-270 ms. This context is ours
// alone, so there is nothing to save.
#pragma once

#include <imgui.h>

#include <functional>
#include <vector>

#include "backdrop.hpp"
#include "damage.hpp"

namespace imroom::app {

// A picture kept as three planes (I420: Y at full size, U and V at half), converted to RGB while drawing. The
// draw command names the Y texture; the lookup gives the other two and the colour matrix.
struct YuvTexture {
  unsigned u = 0, v = 0;
  bool bt709 = false;      // else BT.601
  bool full_range = false;  // else 16-235 "video" range
};
using YuvLookup = std::function<const YuvTexture*(unsigned texture)>;

class GlRenderer {
 public:
  GlRenderer() = default;
  ~GlRenderer();
  GlRenderer(const GlRenderer&) = delete;
  GlRenderer& operator=(const GlRenderer&) = delete;

  // Compiles the program and creates buffers and the font texture; false (with ImGui untouched) on failure.
  bool init();
  void shutdown();
  // Uploads ImGui's font atlas again (after fonts were rebuilt for a new pixel ratio).
  void reloadFonts();
  // Uploads one region of the font atlas (characters added to it: ui::UiFont::patches()).
  void updateFonts(int x, int y, int width, int height, const unsigned char* rgba);
  // Draws the part of the frame inside `damage` (display coordinates), after clearing it to `clear`; the rest of
  // the canvas keeps its pixels (the context preserves its drawing buffer). The part of a damaged region inside
  // the solid area of one of `backdrops`' fills is cleared to that fill's colour instead, and their draw list is
  // not drawn there.
  void render(const ImDrawData* data, int fb_width, int fb_height, const ui::Damage& damage, const ImVec4& clear,
              const ui::Backdrops& backdrops = {});
  // True while the GPU has not finished the last frame drawn (a fence, polled without waiting). Drawing more
  // then would only queue work behind it; the app waits for the next animation frame instead. With software
  // WebGL one rasterizer process serves every page, so this keeps rooms from starving each other (and the
  // network) of CPU.
  bool busy();
  // Which textures are Y planes of YUV pictures (the video tiles).
  void setYuvLookup(YuvLookup lookup) { yuv_lookup_ = std::move(lookup); }

 private:
  unsigned program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0, font_texture_ = 0;
  int projection_ = -1, sampler_ = -1;
  unsigned yuv_program_ = 0;
  int yuv_projection_ = -1, yuv_matrix_ = -1, yuv_offset_ = -1;
  YuvLookup yuv_lookup_;
  void* fence_ = nullptr;  // GLsync of the last frame
  // One frame's regions to draw (framebuffer pixels, top-down, not overlapping): a damaged region, or the part of
  // one inside a backdrop's solid area (cleared to its colour, the backdrops' list not drawn there).
  struct Region {
    ui::DamageRect rect;
    bool backdrop = false;
    ImU32 colour = 0;
  };
  std::vector<Region> regions_;
};

}  // namespace imroom::app
