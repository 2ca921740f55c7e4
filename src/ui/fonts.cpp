#include "fonts.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "app_state.hpp"
#include "clusters.hpp"
#include "embedded.hpp"

namespace imroom::ui {

namespace {
// Keep in step with the ranges in assets/CMakeLists.txt.
const ImWchar kGlyphRanges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0x2190,
                                0x2199, 0x25A0, 0x25CF, 0x2713, 0x2717, 0};

// Characters that take no room and show nothing: controls, zero-width spaces and joiners, direction marks,
// variation selectors (the U+FE0F after many emoji), tags. They get an empty glyph instead of a "?".
bool invisible(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x034F || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0xFEFF || (c >= 0xE0000 && c <= 0xE007F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// ImGui sizes a font by its line height (ascender - descender, as stb_truetype's ScaleForPixelHeight); a
// browser by its em. The em of the baked font at a given ImGui size, from its 'head' and 'hhea' tables, so
// the browser's characters come out as large as the baked ones.
float emPerPixelHeight() {
  const unsigned char* f = assets::kUiFontTtf;
  const std::size_t size = assets::kUiFontTtfSize;
  const auto u16 = [&](std::size_t at) { return at + 2 <= size ? (f[at] << 8) | f[at + 1] : 0; };
  const auto u32 = [&](std::size_t at) { return (static_cast<std::size_t>(u16(at)) << 16) | u16(at + 2); };
  int units_per_em = 0, line = 0;
  const int tables = u16(4);
  for (int i = 0; i < tables; ++i) {
    const std::size_t entry = 12 + 16 * static_cast<std::size_t>(i);
    if (entry + 16 > size) break;
    const std::size_t at = u32(entry + 8);
    if (std::memcmp(f + entry, "head", 4) == 0) units_per_em = u16(at + 18);
    if (std::memcmp(f + entry, "hhea", 4) == 0)
      line = static_cast<std::int16_t>(u16(at + 4)) - static_cast<std::int16_t>(u16(at + 6));
  }
  return units_per_em > 0 && line > 0 ? static_cast<float>(units_per_em) / static_cast<float>(line) : 1.0f;
}

bool inBakedRanges(char32_t c) {
  for (const ImWchar* r = kGlyphRanges; r[0]; r += 2)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

ImFont* uiFont() {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  return atlas->Fonts.empty() ? nullptr : atlas->Fonts[0];
}
}  // namespace

bool UiFont::load(float pixel_ratio, float scale) {
  if (pixel_ratio < 1.0f) pixel_ratio = 1.0f;
  const float px = kBaseFontSize * scale * pixel_ratio;
  if (px != pixel_size_) {  // bitmaps are for one size: what was drawn, and what could not be, is asked again
    bitmaps_.clear();
    for (const std::set<char32_t>* done : {&extra_, &missing_})
      for (char32_t c : *done)
        if (wanted_set_.insert(c).second) wanted_.push_back(c);
    extra_.clear();
    missing_.clear();
  }
  pixel_ratio_ = pixel_ratio;
  pixel_size_ = px;
  takeWanted();
  return rebuild();
}

bool UiFont::drawable(char32_t c) const {
  if (c < 0x80 && c >= 0x20 && c != 0x7F) return true;    // in the baked font
  if (extra_.count(c) || missing_.count(c)) return true;  // added, or known to have no glyph
  if (invisible(c) || !inBakedRanges(c)) return false;
  const ImFont* font = uiFont();  // the baked subset lacks a few characters of its ranges
  return font && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
}

void UiFont::want(char32_t c) {
  if (c == '\n' || c == '\r' || c == '\t') return;  // ImGui lays these out itself
  if (!drawable(c) && wanted_set_.insert(c).second) wanted_.push_back(c);
}

void UiFont::note(std::string_view utf8) {
  noteCodepoints(utf8);
  const std::string shown = withClusters(utf8);
  if (shown != utf8) noteCodepoints(shown);
}

void UiFont::noteCodepoints(std::string_view utf8) {
  const char* s = utf8.data();
  const char* end = s + utf8.size();
  while (s < end) {
    const auto byte = static_cast<unsigned char>(*s);
    if (byte < 0x80) {  // ASCII: the common case, no decoding
      if (byte < 0x20 || byte == 0x7F) want(byte);
      ++s;
      continue;
    }
    unsigned int c = 0;
    // ImGui's own decoder, so what is added is exactly what ImGui will look up (invalid bytes: U+FFFD).
    const int n = ImTextCharFromUtf8(&c, s, end);
    s += n > 0 ? n : 1;
    want(static_cast<char32_t>(c));
  }
}

void UiFont::note(const std::vector<char32_t>& codepoints) {
  for (char32_t c : codepoints) want(c);
}

void UiFont::noteState(const core::AppState& s) {
  if (scan_everything_) {
    // Over the cap: start again from what the state shows now; characters no longer on show go. Their bitmaps
    // stay until the next update, which keeps those still wanted.
    scan_everything_ = false;
    rebuild_due_ = true;  // the shelf is full of characters that may be gone
    extra_.clear();
    missing_.clear();
    chat_scanned_ = 0;
  }
  for (const std::string* t : {&s.form.username, &s.form.room, &s.status.text, &s.joined.username,
                               &s.joined.room, &s.share_link, &s.mesh_notice})
    note(*t);
  for (const core::PeerView& p : s.peers) note(p.username);
  for (const core::LogLine& l : s.events) note(l.text);
  for (const core::ErrorInfo& e : s.errors) note(e.message);
  for (const auto* list : {&s.cameras, &s.microphones})
    for (const core::MediaDevice& d : *list) note(d.label);
  // Chat lines: only those added since the last scan (the log holds thousands), newest first.
  const auto& messages = s.chat.messages();
  const std::uint64_t fresh = s.chat.added() - chat_scanned_;
  const std::size_t from = fresh >= messages.size() ? 0 : messages.size() - static_cast<std::size_t>(fresh);
  for (std::size_t i = messages.size(); i-- > from;) {
    note(messages[i].text);
    note(messages[i].from);
    note(messages[i].to);
  }
  chat_scanned_ = s.chat.added();
}

UiFont::Change UiFont::update() {
  patches_.clear();
  if (wanted_.empty() && !rebuild_due_) return Change::kNone;
  const std::vector<char32_t> added = takeWanted();
  ImFont* font = uiFont();
  if (shelf_.width == 0 || !font || rebuild_due_) {
    rebuild();
    return Change::kRebuilt;
  }
  // Into the room kept free in the atlas: no rebuild, and only the new glyphs' pixels go to the GPU.
  if (!font->Glyphs.empty() && font->Glyphs.back().Codepoint == '\t')
    font->Glyphs.pop_back();  // re-added last
  for (char32_t c : added) {
    if (!addGlyph(c, font)) {  // the room is full: a new atlas, with more room
      rebuild();
      return Change::kRebuilt;
    }
  }
  font->BuildLookupTable();
  return added.empty() ? Change::kNone : Change::kGlyphsAdded;
}

std::vector<char32_t> UiFont::takeWanted() {
  // At most kMaxDrawsPerUpdate characters drawn per update, the first seen first: a flood of characters never
  // seen before (a line of 8,000 bytes holds 2,000) then costs a few bounded frames, not one long stall.
  std::size_t take = 0;
  std::vector<GlyphRequest> ask;
  for (; take < wanted_.size(); ++take) {
    const char32_t c = wanted_[take];
    if (invisible(c) || bitmaps_.count(c)) continue;
    if (ask.size() == kMaxDrawsPerUpdate) break;
    GlyphRequest r{c, isCluster(c) ? clusterText(c) : std::string()};
    if (r.text.empty()) appendUtf8(r.text, c);
    ask.push_back(std::move(r));
  }
  if (!ask.empty() && rasterizer_) {
    const float limit = 4 * pixel_size_ + 8;  // a glyph a few ems wide is a broken one
    static const float em = emPerPixelHeight();
    for (GlyphBitmap& b : rasterizer_->rasterize(ask, pixel_size_ * em)) {
      const bool sane =
          b.width >= 0 && b.height >= 0 && b.width <= limit && b.height <= limit &&
          b.rgba.size() == static_cast<std::size_t>(b.width) * static_cast<std::size_t>(b.height) * 4;
      if (sane && wanted_set_.count(b.codepoint)) bitmaps_[b.codepoint] = std::move(b);
    }
  }
  // The characters taken, in the order seen, until the cap; the rest (and those no font could draw) show "?".
  const auto cost = [this](char32_t c) {
    const auto it = bitmaps_.find(c);
    return it == bitmaps_.end() ? 0.0 : (it->second.width + 1.0) * (it->second.height + 1.0);
  };
  double area = 0;
  for (char32_t c : extra_) area += cost(c);
  std::vector<char32_t> added;
  for (std::size_t i = 0; i < take; ++i) {
    const char32_t c = wanted_[i];
    wanted_set_.erase(c);
    const bool has = invisible(c) || bitmaps_.count(c);
    if (has && extra_.size() < kMaxExtraGlyphs && area + cost(c) <= kMaxExtraArea) {
      area += cost(c);
      extra_.insert(c);
      added.push_back(c);
      continue;
    }
    missing_.insert(c);
    if (has) scan_everything_ = true;  // the cap, not the fonts: make room at the next state scan
  }
  wanted_.erase(wanted_.begin(), wanted_.begin() + static_cast<std::ptrdiff_t>(take));
  for (auto it = bitmaps_.begin(); it != bitmaps_.end();)  // memory for the characters on show (or next) only
    it = extra_.count(it->first) || wanted_set_.count(it->first) ? std::next(it) : bitmaps_.erase(it);
  return added;
}

// Places one extra character: its pixels in the shelf (the atlas region kept for them), a glyph on the font's
// baseline. False when the shelf has no room left for it.
bool UiFont::addGlyph(char32_t c, ImFont* font) {
  const auto it = bitmaps_.find(c);
  if (it == bitmaps_.end() || it->second.width == 0 ||
      it->second.height == 0) {  // a zero-width mark, a space
    font->AddGlyph(nullptr, static_cast<ImWchar>(c), 0, 0, 0, 0, 0, 0, 0, 0,
                   it == bitmaps_.end() ? 0.0f : it->second.advance);
    return true;
  }
  const GlyphBitmap& b = it->second;
  if (shelf_.row_x + b.width > shelf_.width) {  // a new row
    shelf_.row_y += shelf_.row_height + 1;
    shelf_.row_x = shelf_.row_height = 0;
  }
  if (b.width > shelf_.width || shelf_.row_y + b.height > shelf_.height) return false;
  const int x = shelf_.x + shelf_.row_x, y = shelf_.y + shelf_.row_y;
  shelf_.row_x += b.width + 1;
  shelf_.row_height = std::max(shelf_.row_height, b.height);
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (atlas->TexPixelsRGBA32) {  // still on the CPU (before the upload, and in tests)
    auto* pixels = reinterpret_cast<std::uint8_t*>(atlas->TexPixelsRGBA32);
    for (int row = 0; row < b.height; ++row)
      std::memcpy(pixels + (static_cast<std::size_t>(y + row) * atlas->TexWidth + x) * 4,
                  b.rgba.data() + static_cast<std::size_t>(row) * b.width * 4,
                  static_cast<std::size_t>(b.width) * 4);
  }
  patches_.push_back({x, y, b.width, b.height, b.rgba.data()});
  const ImVec2 uv = atlas->TexUvScale;
  const float x0 = b.left, y0 = std::round(font->Ascent) + b.top;
  font->AddGlyph(nullptr, static_cast<ImWchar>(c), x0, y0, x0 + b.width, y0 + b.height, x * uv.x, y * uv.y,
                 (x + b.width) * uv.x, (y + b.height) * uv.y, b.advance);
  font->Glyphs.back().Colored = b.colored;
  return true;
}

bool UiFont::rebuild() {
  rebuild_due_ = false;
  shelf_ = {};
  patches_.clear();
  ImGuiIO& io = ImGui::GetIO();
  ImFontAtlas* atlas = io.Fonts;
  atlas->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // static data: the atlas must not free it
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = false;
  void* data = const_cast<unsigned char*>(assets::kUiFontTtf);
  ImFont* font = atlas->AddFontFromMemoryTTF(data, static_cast<int>(assets::kUiFontTtfSize), pixel_size_,
                                             &config, kGlyphRanges);
  io.FontGlobalScale = 1.0f / pixel_ratio_;
  if (!font) {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * pixel_ratio_;
    atlas->AddFontDefault(&fallback);
    return false;
  }
  // The extra characters get a region of their own (the shelf), with as much room again free for those to
  // come, filled and made glyphs once the atlas is built (the font's ascent, which places them on its
  // baseline, is known only then). New characters then go into the free room without a rebuild.
  double area = 0;
  int tallest = 0;
  for (char32_t c : extra_) {
    const auto it = bitmaps_.find(c);
    if (it == bitmaps_.end()) continue;
    area += (it->second.width + 1.0) * (it->second.height + 1.0);
    tallest = std::max(tallest, it->second.height);
  }
  const double cell = (pixel_size_ + 3.0) * (pixel_size_ + 3.0);
  const double room = std::min(kMaxExtraArea, std::max(2 * area, kMinFreeGlyphs * cell));
  // ImGui sizes the texture's width for the font's own glyphs; the shelf would make it far taller than wide,
  // past what a GPU takes. A square-ish texture instead: the width from the whole area (~500 base glyphs).
  const double total = room + 500.0 * cell;
  int width = 512;
  while (width < 4096 && static_cast<double>(width) * width < total * 1.3) width *= 2;
  atlas->TexDesiredWidth = width;
  const int shelf_width = width - 4;
  const int shelf_height = std::min(4096 - 64, static_cast<int>(std::ceil(room / shelf_width)) + tallest +
                                                   static_cast<int>(pixel_size_) * 2);
  const int rect = atlas->AddCustomRectRegular(shelf_width, shelf_height);
  if (!atlas->Build()) return false;
  unsigned char* pixels = nullptr;
  int tex_w = 0, tex_h = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &tex_w, &tex_h);  // the RGBA copy the shelf is written into
  const ImFontAtlasCustomRect* r = atlas->GetCustomRectByIndex(rect);
  if (r->IsPacked()) shelf_ = {r->X, r->Y, r->Width, r->Height, 0, 0, 0};
  for (auto it = extra_.begin(); it != extra_.end();) {
    if (shelf_.width > 0 && addGlyph(*it, font)) {
      ++it;
      continue;
    }
    missing_.insert(*it);  // no room after all: shown as "?" (the next state scan makes room)
    scan_everything_ = true;
    it = extra_.erase(it);
  }
  patches_.clear();  // the whole atlas goes up
  font->BuildLookupTable();
  return true;
}

}  // namespace imroom::ui
