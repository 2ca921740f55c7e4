#include "tile_layout.hpp"

#include <algorithm>

namespace imroom::core {

namespace {

// The best grid for n tiles in w×h: the column count whose tiles come out largest.
std::vector<TileRect> grid(int n, float x0, float y0, float w, float h, float aspect, float gap) {
  std::vector<TileRect> out;
  if (n <= 0 || w <= 0 || h <= 0) return out;
  int best_cols = 1;
  float best_w = 0;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    float tw = (w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    float th = (h - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
    tw = std::min(tw, th * aspect);
    if (tw > best_w) {
      best_w = tw;
      best_cols = cols;
    }
  }
  const int cols = best_cols, rows = (n + cols - 1) / cols;
  const float tw = std::max(0.0f, best_w), th = tw / aspect;
  const float used_h = th * static_cast<float>(rows) + gap * static_cast<float>(rows - 1);
  for (int i = 0; i < n; ++i) {
    const int r = i / cols, c = i % cols;
    const int in_row = r == rows - 1 ? n - r * cols : cols;  // the last row may be short: centre it
    const float row_w = tw * static_cast<float>(in_row) + gap * static_cast<float>(in_row - 1);
    out.push_back(TileRect{x0 + (w - row_w) * 0.5f + static_cast<float>(c) * (tw + gap),
                           y0 + (h - used_h) * 0.5f + static_cast<float>(r) * (th + gap), tw, th});
  }
  return out;
}

}  // namespace

std::vector<TileRect> layoutTiles(int count, float width, float height, const TileLayoutOptions& o) {
  const float aspect = o.aspect > 0.01f ? o.aspect : 4.0f / 3.0f;
  const float gap = std::max(0.0f, o.gap);
  if (count <= 0 || width <= 0 || height <= 0) return {};
  if (o.pinned < 0 || o.pinned >= count || count == 1) return grid(count, 0, 0, width, height, aspect, gap);
  // Pinned: the large tile takes 75 % of the longer side; the others share the rest.
  const bool wide = width >= height;
  std::vector<TileRect> out(static_cast<std::size_t>(count));
  std::vector<TileRect> rest;
  if (wide) {
    const float main_w = (width - gap) * 0.75f;
    out[static_cast<std::size_t>(o.pinned)] = grid(1, 0, 0, main_w, height, aspect, gap)[0];
    rest = grid(count - 1, main_w + gap, 0, width - main_w - gap, height, aspect, gap);
  } else {
    const float main_h = (height - gap) * 0.75f;
    out[static_cast<std::size_t>(o.pinned)] = grid(1, 0, 0, width, main_h, aspect, gap)[0];
    rest = grid(count - 1, 0, main_h + gap, width, height - main_h - gap, aspect, gap);
  }
  std::size_t j = 0;
  for (int i = 0; i < count; ++i)
    if (i != o.pinned) out[static_cast<std::size_t>(i)] = rest[j++];
  return out;
}

}  // namespace imroom::core
