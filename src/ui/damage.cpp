#include "damage.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace imroom::ui {

namespace {

// FNV-1a over raw bytes: fast, and a miss only costs a pixel-perfect redraw being skipped for one frame if two
// different commands collide — which a 64-bit hash makes vanishingly rare.
struct Hasher {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <typename T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
};

}  // namespace

void DamageRect::add(const DamageRect& r) {
  if (r.empty()) return;
  if (empty()) {
    *this = r;
    return;
  }
  x0 = std::min(x0, r.x0);
  y0 = std::min(y0, r.y0);
  x1 = std::max(x1, r.x1);
  y1 = std::max(y1, r.y1);
}

void Damage::add(DamageRect r) {
  if (r.empty()) return;
  for (bool merged = true; merged;) {  // the union may reach rectangles neither part overlapped
    merged = false;
    for (std::size_t i = 0; i < rects_.size(); ++i) {
      if (rects_[i].overlaps(r)) {
        r.add(rects_[i]);
        rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(i));
        merged = true;
        break;
      }
    }
  }
  rects_.push_back(r);
  if (rects_.size() <= kMaxRects) return;
  std::size_t best_i = 0, best_j = 1;
  float best = -1;
  for (std::size_t i = 0; i < rects_.size(); ++i) {
    for (std::size_t j = i + 1; j < rects_.size(); ++j) {
      DamageRect u = rects_[i];
      u.add(rects_[j]);
      const float grown = u.area() - rects_[i].area() - rects_[j].area();
      if (best < 0 || grown < best) {
        best = grown;
        best_i = i;
        best_j = j;
      }
    }
  }
  DamageRect u = rects_[best_i];
  u.add(rects_[best_j]);
  rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(best_j));
  rects_.erase(rects_.begin() + static_cast<std::ptrdiff_t>(best_i));
  add(u);  // at most kMaxRects again, none overlapping
}

DamageRect Damage::bounds() const {
  DamageRect u;
  for (const DamageRect& r : rects_) u.add(r);
  return u;
}

float Damage::area() const {
  float a = 0;
  for (const DamageRect& r : rects_) a += r.area();
  return a;
}

void Damage::clipTo(const DamageRect& c) {
  std::vector<DamageRect> kept;
  for (const DamageRect& r : rects_) {
    const DamageRect in{std::max(r.x0, c.x0), std::max(r.y0, c.y0), std::min(r.x1, c.x1), std::min(r.y1, c.y1)};
    if (!in.empty()) kept.push_back(in);
  }
  rects_ = std::move(kept);  // parts of disjoint rectangles stay disjoint
}

Damage DamageTracker::update(const ImDrawData* data, const std::set<ImTextureID>& changed_textures) {
  Damage damage;
  if (!data) return damage;
  const DamageRect whole{data->DisplayPos.x, data->DisplayPos.y, data->DisplayPos.x + data->DisplaySize.x,
                         data->DisplayPos.y + data->DisplaySize.y};
  std::map<std::string, std::vector<Command>> now;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    std::string owner = list->_OwnerName ? list->_OwnerName : "";
    while (now.count(owner)) owner += "#";  // two lists of one owner: keep them apart
    std::vector<Command>& commands = now[owner];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      Command c;
      c.texture = cmd.GetTexID();
      Hasher h;
      h.value(cmd.ClipRect);
      h.value(c.texture);
      h.value(cmd.ElemCount);
      h.value(reinterpret_cast<std::uintptr_t>(cmd.UserCallback));
      float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
      for (unsigned e = 0; e < cmd.ElemCount; ++e) {
        const ImDrawVert& v = list->VtxBuffer[list->IdxBuffer[cmd.IdxOffset + e] + cmd.VtxOffset];
        h.value(v.pos);
        h.value(v.uv);
        h.value(v.col);
        x0 = std::min(x0, v.pos.x);
        y0 = std::min(y0, v.pos.y);
        x1 = std::max(x1, v.pos.x);
        y1 = std::max(y1, v.pos.y);
      }
      c.hash = h.h;
      // What the command can touch: its vertices' box, clipped (one pixel more for rounding).
      c.bounds = {std::max(x0, cmd.ClipRect.x) - 1, std::max(y0, cmd.ClipRect.y) - 1,
                  std::min(x1, cmd.ClipRect.z) + 1, std::min(y1, cmd.ClipRect.w) + 1};
      if (cmd.ElemCount == 0 || cmd.UserCallback) c.bounds = {};
      commands.push_back(c);
    }
  }
  const bool full = !valid_ || data->DisplaySize.x != last_size_.x || data->DisplaySize.y != last_size_.y;
  if (full) {
    damage.add(whole);
  } else {
    for (const auto& [owner, commands] : now) {
      auto old = last_.find(owner);
      if (old == last_.end() || old->second.size() != commands.size()) {
        for (const Command& c : commands) damage.add(c.bounds);
        if (old != last_.end())
          for (const Command& c : old->second) damage.add(c.bounds);
        continue;
      }
      for (std::size_t i = 0; i < commands.size(); ++i) {
        if (commands[i].hash != old->second[i].hash) {
          damage.add(commands[i].bounds);
          damage.add(old->second[i].bounds);
        } else if (changed_textures.count(commands[i].texture)) {
          damage.add(commands[i].bounds);
        }
      }
    }
    for (const auto& [owner, commands] : last_)  // windows that went
      if (!now.count(owner))
        for (const Command& c : commands) damage.add(c.bounds);
  }
  last_ = std::move(now);
  last_size_ = data->DisplaySize;
  valid_ = true;
  damage.clipTo(whole);
  return damage;
}

}  // namespace imroom::ui
