// Draws characters the baked UI font lacks with the browser's own fonts (a 2D canvas, fillText), so chat in
// any script, and emoji, shows as it was typed. Emscripten-only; web/post.js has the drawing.
#pragma once

#include "fonts.hpp"

namespace imroom::bridge {

class GlyphCanvas : public ui::GlyphRasterizer {
 public:
  std::vector<ui::GlyphBitmap> rasterize(const std::vector<ui::GlyphRequest>& glyphs,
                                         float em_pixels) override;
};

}  // namespace imroom::bridge
