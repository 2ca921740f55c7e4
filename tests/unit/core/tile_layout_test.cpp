#include "tile_layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace imroom::core {
namespace {

bool overlap(const TileRect& a, const TileRect& b) {
  return a.x < b.x + b.w - 0.01f && b.x < a.x + a.w - 0.01f && a.y < b.y + b.h - 0.01f && b.y < a.y + a.h - 0.01f;
}

void checkLayout(int n, float w, float h, int pinned) {
  TileLayoutOptions o;
  o.pinned = pinned;
  auto tiles = layoutTiles(n, w, h, o);
  ASSERT_EQ(static_cast<int>(tiles.size()), n);
  float area = 0;
  for (int i = 0; i < n; ++i) {
    const TileRect& t = tiles[static_cast<std::size_t>(i)];
    SCOPED_TRACE(::testing::Message() << n << " tiles in " << w << "x" << h << " pinned " << pinned << ", tile " << i);
    EXPECT_GE(t.x, -0.01f);
    EXPECT_GE(t.y, -0.01f);
    EXPECT_LE(t.x + t.w, w + 0.01f);
    EXPECT_LE(t.y + t.h, h + 0.01f);
    EXPECT_GT(t.w, 0);
    EXPECT_NEAR(t.w / t.h, 4.0f / 3.0f, 0.01f) << "aspect kept";
    for (int j = 0; j < i; ++j) EXPECT_FALSE(overlap(t, tiles[static_cast<std::size_t>(j)])) << "overlaps " << j;
    area += t.w * t.h;
  }
  EXPECT_LE(area, w * h);
  if (pinned < 0) {
    // No needless shrinking: the grid reaches across the window's width or its height.
    float x0 = w, x1 = 0, y0 = h, y1 = 0;
    for (const TileRect& t : tiles) {
      x0 = std::min(x0, t.x), x1 = std::max(x1, t.x + t.w), y0 = std::min(y0, t.y), y1 = std::max(y1, t.y + t.h);
    }
    EXPECT_TRUE(x1 - x0 > w - 1.0f || y1 - y0 > h - 1.0f) << "grid " << (x1 - x0) << "x" << (y1 - y0);
  } else if (n > 1) {
    const TileRect& big = tiles[static_cast<std::size_t>(pinned)];
    for (int i = 0; i < n; ++i) {
      if (i == pinned) continue;
      EXPECT_GE(big.w, tiles[static_cast<std::size_t>(i)].w) << "the pinned tile is the largest";
    }
  }
}

TEST(TileLayout, OneToSixteenTilesInManyWindowShapes) {
  const float shapes[][2] = {{1280, 720}, {800, 600}, {600, 800}, {360, 640}, {1920, 400}, {300, 1200}, {200, 150}};
  for (const auto& s : shapes)
    for (int n = 1; n <= 16; ++n) {
      checkLayout(n, s[0], s[1], -1);
      checkLayout(n, s[0], s[1], n / 2);
    }
}

TEST(TileLayout, TwoTilesSideBySideInAWideWindowStackedInATallOne) {
  auto wide = layoutTiles(2, 1280, 480);
  EXPECT_NEAR(wide[0].y, wide[1].y, 0.01f);
  auto tall = layoutTiles(2, 480, 1280);
  EXPECT_NEAR(tall[0].x, tall[1].x, 0.01f);
}

TEST(TileLayout, EmptyAndDegenerateInputs) {
  EXPECT_TRUE(layoutTiles(0, 800, 600).empty());
  EXPECT_TRUE(layoutTiles(3, 0, 600).empty());
  EXPECT_TRUE(layoutTiles(-1, 800, 600).empty());
  TileLayoutOptions o;
  o.pinned = 7;  // out of range: plain grid
  EXPECT_EQ(layoutTiles(3, 800, 600, o).size(), 3u);
}

}  // namespace
}  // namespace imroom::core
