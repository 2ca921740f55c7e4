// Damage: the regions a frame redraws never overlap, changes far apart stay apart, and there are never more than
// kMaxRects of them.
#include "damage.hpp"

#include <gtest/gtest.h>

namespace imroom::ui {
namespace {

bool disjoint(const Damage& d) {
  for (std::size_t i = 0; i < d.rects().size(); ++i)
    for (std::size_t j = i + 1; j < d.rects().size(); ++j)
      if (d.rects()[i].overlaps(d.rects()[j])) return false;
  return true;
}

TEST(Damage, ChangesFarApartStayApart) {
  Damage d;
  d.add({10, 10, 50, 30});     // a badge in the member list
  d.add({300, 100, 780, 560});  // the chat log
  ASSERT_EQ(d.rects().size(), 2u);
  EXPECT_FLOAT_EQ(d.area(), 40 * 20 + 480 * 460);
  const DamageRect b = d.bounds();
  EXPECT_FLOAT_EQ(b.x0, 10);
  EXPECT_FLOAT_EQ(b.y1, 560);
  EXPECT_LT(d.area(), 0.6f * b.area());
}

TEST(Damage, OverlappingChangesAreMergedUntilNothingOverlaps) {
  Damage d;
  d.add({0, 0, 10, 10});
  d.add({20, 0, 30, 10});
  EXPECT_EQ(d.rects().size(), 2u);
  d.add({5, 5, 25, 8});  // over both: one union of the three
  ASSERT_EQ(d.rects().size(), 1u);
  EXPECT_FLOAT_EQ(d.rects()[0].x0, 0);
  EXPECT_FLOAT_EQ(d.rects()[0].x1, 30);
  // The union can reach a rectangle neither part touched.
  Damage e;
  e.add({0, 0, 10, 10});
  e.add({0, 20, 10, 30});
  e.add({20, 0, 30, 10});
  e.add({0, 5, 25, 6});  // touches the first and the third; their union then covers y 0-10 only, the second stays
  EXPECT_TRUE(disjoint(e));
  EXPECT_EQ(e.rects().size(), 2u);
  // Rectangles that only share an edge do not overlap (x1 is exclusive): both stay.
  Damage f;
  f.add({0, 0, 10, 10});
  f.add({10, 0, 20, 10});
  EXPECT_EQ(f.rects().size(), 2u);
}

TEST(Damage, NeverMoreThanItsLimitAndTheCheapestPairIsMerged) {
  Damage d;
  for (int i = 0; i < 10; ++i) {
    d.add({i * 100.0f, 0, i * 100.0f + 10, 10});
    EXPECT_LE(d.rects().size(), Damage::kMaxRects);
    EXPECT_TRUE(disjoint(d));
  }
  // Two close ones and two far apart: the close pair is the one merged.
  Damage g;
  g.add({0, 0, 10, 10});
  g.add({12, 0, 22, 10});
  g.add({500, 500, 510, 510});
  g.add({0, 500, 10, 510});
  g.add({500, 0, 510, 10});
  ASSERT_EQ(g.rects().size(), Damage::kMaxRects);
  bool merged = false;
  for (const DamageRect& r : g.rects()) merged = merged || (r.x0 == 0 && r.x1 == 22 && r.y1 == 10);
  EXPECT_TRUE(merged);
}

TEST(Damage, ClippedToTheDisplay) {
  Damage d;
  d.add({-10, -10, 20, 20});
  d.add({790, 590, 900, 700});
  d.add({1000, 1000, 1100, 1100});  // wholly outside
  d.clipTo({0, 0, 800, 600});
  ASSERT_EQ(d.rects().size(), 2u);
  EXPECT_FLOAT_EQ(d.area(), 20 * 20 + 10 * 10);
  Damage empty;
  empty.add({5, 5, 5, 9});  // no area
  EXPECT_TRUE(empty.empty());
}

}  // namespace
}  // namespace imroom::ui
