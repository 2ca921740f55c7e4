// Which part of the screen a new ImGui frame changes. Software WebGL (SwiftShader here, and on machines without
// a usable GPU) pays for every pixel it fills, and a room screen fills nearly three screens' worth per frame
// (panels over panels); a new video frame or chat line changes a small part of it. The renderer draws only this
// region (the canvas keeps its pixels between frames: preserveDrawingBuffer).
//
// Each draw command is summarised by a hash of what it draws (vertices, indices, clip rectangle, texture) and its
// bounds; a command that changed damages its old and its new bounds, a window whose command count changed damages
// all of its old and new bounds, a window that went damages where it was, and a texture whose pixels changed (a
// video frame) damages the commands that draw it.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace imroom::ui {

struct DamageRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // display coordinates (ImGui's), x1/y1 exclusive
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  float area() const { return empty() ? 0.0f : (x1 - x0) * (y1 - y0); }
  bool overlaps(const DamageRect& r) const { return x0 < r.x1 && r.x0 < x1 && y0 < r.y1 && r.y0 < y1; }
  void add(const DamageRect& r);  // grows to the union
};

// Where a frame changed: a few rectangles that never overlap, so that a renderer drawing each of them (a scissor
// each) touches every pixel once. Changes far apart stay apart — a member list's unread badge and the chat log
// across the screen were one union of ~90 % of it — and software WebGL pays per pixel filled. A rectangle added
// over others is merged with them (their union, again until nothing overlaps); beyond kMaxRects, the two whose
// union adds the least area are merged, since each rectangle costs its own pass over the draw commands.
class Damage {
 public:
  static constexpr std::size_t kMaxRects = 4;
  void add(DamageRect r);
  bool empty() const { return rects_.empty(); }
  const std::vector<DamageRect>& rects() const { return rects_; }
  DamageRect bounds() const;  // the union of all
  float area() const;         // of all (they do not overlap)
  void clipTo(const DamageRect& r);  // what lies outside r is dropped

 private:
  std::vector<DamageRect> rects_;
};

class DamageTracker {
 public:
  // The region of `data` that differs from the last frame seen; everything after invalidate() or a change of
  // display size. `changed_textures`: textures whose pixels changed since the last frame.
  Damage update(const ImDrawData* data, const std::set<ImTextureID>& changed_textures = {});
  // The next update damages the whole display (new fonts, a lost context, …).
  void invalidate() { valid_ = false; }

 private:
  struct Command {
    std::uint64_t hash = 0;
    DamageRect bounds;
    ImTextureID texture = nullptr;
  };
  std::map<std::string, std::vector<Command>> last_;  // by draw list owner (window) name
  ImVec2 last_size_{-1, -1};
  bool valid_ = false;
};

}  // namespace imroom::ui
