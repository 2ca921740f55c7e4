// Where video tiles go: the grid that fills a window with n tiles of one aspect ratio, as large as they can be,
// centred, with gaps; optionally one pinned tile large and the others in a strip beside or below it. Pure.
#pragma once

#include <vector>

namespace imroom::core {

struct TileRect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct TileLayoutOptions {
  float aspect = 4.0f / 3.0f;  // width / height of a tile
  float gap = 8.0f;
  int pinned = -1;  // index of the tile shown large, or -1
};

// Rectangles for `count` tiles inside a `width` × `height` area (origin at 0,0), in tile order.
std::vector<TileRect> layoutTiles(int count, float width, float height, const TileLayoutOptions& options = {});

}  // namespace imroom::core
