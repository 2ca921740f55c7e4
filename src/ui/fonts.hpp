// The UI font in ImGui's atlas: the baked-in DejaVu subset, rasterized for the display's pixel ratio so text
// stays sharp on HiDPI, plus every other character the room shows (Cyrillic, CJK, emoji, ...), drawn by the
// browser's own fonts on demand (a GlyphRasterizer) and added to the atlas as it appears.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct ImFont;

namespace imroom::core {
struct AppState;
}

namespace imroom::ui {

inline constexpr float kBaseFontSize = 16.0f;  // CSS pixels

// One character drawn by a rasterizer. Pixel units at the rasterized size; y grows downwards from the
// baseline.
struct GlyphBitmap {
  char32_t codepoint = 0;
  int width = 0, height = 0;  // the bitmap (0 × 0: nothing to draw, e.g. a space)
  float left = 0, top = 0;    // where its top-left corner sits from the pen on the baseline (top < 0: above)
  float advance = 0;          // how far the pen moves
  bool colored = false;       // a colour glyph (emoji): drawn untinted
  std::vector<std::uint8_t> rgba;  // width * height * 4, not premultiplied; white + alpha for plain glyphs
};

// One character to draw: its codepoint on screen and its text (the codepoint itself, or the cluster a
// stand-in codepoint stands for: src/ui/clusters.hpp).
struct GlyphRequest {
  char32_t codepoint = 0;
  std::string text;  // UTF-8
};

// Draws characters the baked font lacks, at a font size in CSS terms (the em, in pixels). Returns one bitmap
// per character it could draw, in any order; one left out stays "?" on screen (and is not asked for again at
// this size).
class GlyphRasterizer {
 public:
  virtual ~GlyphRasterizer() = default;
  virtual std::vector<GlyphBitmap> rasterize(const std::vector<GlyphRequest>& glyphs, float em_pixels) = 0;
};

class UiFont {
 public:
  // At most this many characters beyond the baked font at once (and at most kMaxExtraArea atlas pixels for
  // them): the atlas must stay within what every WebGL2 device takes (4096²). Past it, the next state scan
  // starts again from the characters the state still shows, the newest chat lines first.
  static constexpr std::size_t kMaxExtraGlyphs = 4096;
  static constexpr double kMaxExtraArea = 4096.0 * 4096.0 * 0.5;
  static constexpr double kMinFreeGlyphs = 128;  // room kept free in the atlas for characters still to come
  static constexpr std::size_t kMaxDrawsPerUpdate = 64;  // characters the rasterizer draws per update()

  explicit UiFont(GlyphRasterizer* rasterizer = nullptr) : rasterizer_(rasterizer) {}

  // Replaces the atlas' fonts with the UI font rasterized at kBaseFontSize * scale * pixel_ratio (and the
  // extra characters known so far, at that size) and sets FontGlobalScale so it draws at kBaseFontSize *
  // scale CSS pixels. Returns false if the font data could not be used (ImGui's default font is then loaded
  // so the UI still shows). The caller uploads the atlas again.
  bool load(float pixel_ratio, float scale = 1.0f);

  // Text about to be shown: characters the atlas cannot draw yet are wanted (update() adds them), both as
  // written and with its clusters as one character each (withClusters(), as the chat draws it).
  void note(std::string_view utf8);
  void note(const std::vector<char32_t>& codepoints);
  // All text the state holds that the panels may show. Chat lines are scanned once each.
  void noteState(const core::AppState& state);

  // Adds the wanted characters to the atlas: into the room it keeps free for them (kGlyphsAdded: the caller
  // uploads the patches()), or, when that is full, into a new atlas (kRebuilt: the caller uploads it all).
  enum class Change { kNone, kGlyphsAdded, kRebuilt };
  Change update();
  // Atlas regions changed by the last update(): their RGBA pixels (valid until the next update() or load()).
  struct Patch {
    int x, y, width, height;
    const std::uint8_t* rgba;
  };
  const std::vector<Patch>& patches() const { return patches_; }

  // Characters still waiting to be drawn (past kMaxDrawsPerUpdate): call update() again at the next frame.
  bool pending() const { return !wanted_.empty(); }
  std::size_t extraGlyphs() const { return extra_.size(); }  // characters added beyond the baked font
  std::size_t missing() const {
    return missing_.size();
  }  // characters shown as "?" (none drawn, or over the cap)

 private:
  bool drawable(char32_t c) const;
  void noteCodepoints(std::string_view utf8);
  void want(char32_t c);
  std::vector<char32_t> takeWanted();  // rasterizes the wanted characters into extra_ (returned) or missing_
  bool addGlyph(char32_t c, ImFont* font);
  bool rebuild();

  GlyphRasterizer* rasterizer_;
  float pixel_ratio_ = 1.0f;
  float pixel_size_ = 0;
  std::set<char32_t> extra_;      // in the atlas now
  std::vector<char32_t> wanted_;  // seen, not in the atlas yet, in the order seen (newest chat lines first)
  std::set<char32_t> wanted_set_;
  std::set<char32_t> missing_;  // no glyph from the rasterizer at this size, or over the cap
  std::unordered_map<char32_t, GlyphBitmap> bitmaps_;  // rasterized at pixel_size_
  std::uint64_t chat_scanned_ = 0;                     // ChatLog::added() when chat lines were last scanned
  bool scan_everything_ = false;                       // over the cap: the next state scan starts again
  bool rebuild_due_ = false;  // and the next update() builds a new atlas from what it found
  // The atlas region for the extra characters (atlas pixels), filled row by row.
  struct Shelf {
    int x = 0, y = 0, width = 0, height = 0;
    int row_x = 0, row_y = 0, row_height = 0;
  } shelf_;
  std::vector<Patch> patches_;
};

}  // namespace imroom::ui
