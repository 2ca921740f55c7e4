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
  void add(const DamageRect& r);
};

class DamageTracker {
 public:
  // The region of `data` that differs from the last frame seen; everything after invalidate() or a change of
  // display size. `changed_textures`: textures whose pixels changed since the last frame.
  DamageRect update(const ImDrawData* data, const std::set<ImTextureID>& changed_textures = {});
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
