#include "glyph_canvas.hpp"

#include <emscripten/val.h>

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

std::vector<ui::GlyphBitmap> GlyphCanvas::rasterize(const std::vector<ui::GlyphRequest>& glyphs,
                                                    float em_pixels) {
  std::vector<ui::GlyphBitmap> out;
  if (glyphs.empty()) return out;
  val codes = val::array(), texts = val::array();
  for (const ui::GlyphRequest& g : glyphs) {
    codes.call<void>("push", static_cast<double>(g.codepoint));
    texts.call<void>("push", g.text);
  }
  // {meta: [codepoint, width, height, left, top, advance, colored] per glyph, pixels: the RGBA bytes in
  // order}, or null when the page cannot draw (no 2D canvas).
  val drawn = helper("imroomRasterizeGlyphs")(codes, texts, em_pixels);
  if (drawn.isNull() || drawn.isUndefined()) return out;
  const std::vector<double> meta = emscripten::vecFromJSArray<double>(drawn["meta"]);
  val pixels = drawn["pixels"];
  const std::size_t total = pixels["length"].as<std::size_t>();
  std::size_t offset = 0;
  for (std::size_t i = 0; i + 7 <= meta.size(); i += 7) {
    ui::GlyphBitmap b;
    b.codepoint = static_cast<char32_t>(meta[i]);
    b.width = static_cast<int>(meta[i + 1]);
    b.height = static_cast<int>(meta[i + 2]);
    b.left = static_cast<float>(meta[i + 3]);
    b.top = static_cast<float>(meta[i + 4]);
    b.advance = static_cast<float>(meta[i + 5]);
    b.colored = meta[i + 6] != 0;
    if (b.width < 0 || b.height < 0) break;
    const std::size_t bytes = static_cast<std::size_t>(b.width) * static_cast<std::size_t>(b.height) * 4;
    if (offset + bytes > total) break;
    b.rgba.resize(bytes);
    if (bytes) {  // straight from the JS bytes into wasm memory
      val view(emscripten::typed_memory_view(bytes, b.rgba.data()));
      view.call<void>("set", pixels.call<val>("subarray", offset, offset + bytes));
    }
    offset += bytes;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace imroom::bridge
