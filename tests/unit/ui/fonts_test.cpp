// Characters beyond the baked font: found in the state, drawn by a rasterizer (a fake here; the browser's
// canvas in the app), and added to ImGui's atlas on the font's baseline, with caps that keep the atlas within
// a GPU's limit.
#include <imgui_internal.h>

#include <map>

#include "clusters.hpp"

#include "headless.hpp"

namespace imroom::ui {
namespace {

// Draws every codepoint as a box of a known pattern, except those it is told no font has.
class FakeRasterizer : public GlyphRasterizer {
 public:
  std::vector<GlyphBitmap> rasterize(const std::vector<GlyphRequest>& glyphs, float px) override {
    std::vector<GlyphBitmap> out;
    for (const GlyphRequest& g : glyphs) {
      const char32_t c = g.codepoint;
      ++asked[c];
      texts[c] = g.text;
      sizes.push_back(px);
      if (c >= 0xF000 && c <= 0xF8FF) continue;  // private use past the cluster stand-ins: "no font has it"
      GlyphBitmap b;
      b.codepoint = c;
      b.width = static_cast<int>(px / 2);
      b.height = static_cast<int>(px * 0.75f);
      b.left = 1;
      b.top = -static_cast<float>(b.height);
      b.advance = px * 0.625f;
      b.colored = c >= 0x1F000;
      b.rgba.assign(static_cast<std::size_t>(b.width * b.height) * 4, static_cast<std::uint8_t>(c & 0xFF));
      out.push_back(std::move(b));
    }
    return out;
  }
  std::map<char32_t, int> asked;
  std::map<char32_t, std::string> texts;
  std::vector<float> sizes;
};

class Fonts : public HeadlessUi {
 protected:
  void SetUp() override {
    HeadlessUi::SetUp();
    font_ = UiFont(&raster_);
    ASSERT_TRUE(font_.load(2.0f));
  }
  static core::AppState chatWith(std::initializer_list<const char*> lines) {
    core::AppState s;
    s.screen = core::Screen::kRoom;
    s.joined = {"ann", "lobby", core::MediaKind::kText};
    int id = 0;
    for (const char* text : lines) s.chat.add({std::to_string(++id), "bob", "", text, 0, false});
    return s;
  }
  static ImFont* font() { return ImGui::GetIO().Fonts->Fonts[0]; }
  // update() until nothing is pending (the app calls it once a frame); the strongest change seen.
  UiFont::Change settle() {
    UiFont::Change strongest = UiFont::Change::kNone;
    do {
      const UiFont::Change c = font_.update();
      if (c == UiFont::Change::kRebuilt || strongest == UiFont::Change::kNone) strongest = c;
    } while (font_.pending());
    return strongest;
  }
  static float width(const char* utf8) { return font()->CalcTextSizeA(font()->FontSize, 1e9f, 0, utf8).x; }

  FakeRasterizer raster_;
};

TEST_F(Fonts, ACyrillicChatLineGetsItsOwnGlyphsNotQuestionMarks) {
  core::AppState s = chatWith({"Привет"});
  const float before = width("Привет");
  EXPECT_FLOAT_EQ(before, 6 * font()->FindGlyph(U'?')->AdvanceX);  // what users saw: "??????"
  font_.noteState(s);
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  EXPECT_EQ(font_.extraGlyphs(), 6u);
  EXPECT_EQ(font_.missing(), 0u);
  const ImFontGlyph* p = font()->FindGlyphNoFallback(U'П');
  ASSERT_NE(p, nullptr);
  // Asked at the baked font's em: ImGui's 32 px is a line height (DejaVu: 2384 units), a browser's an em
  // (2048).
  EXPECT_NEAR(raster_.sizes.back(), 32.0f * 2048 / 2384, 1e-3);
  const float em = raster_.sizes.back();
  EXPECT_FLOAT_EQ(p->AdvanceX, em * 0.625f);  // the rasterizer's advance
  EXPECT_FLOAT_EQ(width("Привет"), 6 * em * 0.625f);
  // On the baked font's baseline: its bottom sits at the ascent, as the rasterizer's bitmap does.
  EXPECT_FLOAT_EQ(p->Y1, std::round(font()->Ascent));
  EXPECT_FLOAT_EQ(p->X1 - p->X0, static_cast<int>(em / 2));
  EXPECT_FALSE(p->Colored);
  // The atlas holds the rasterizer's pixels where the glyph's UVs point.
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const int x = static_cast<int>(p->U0 * w + 0.5f), y = static_cast<int>(p->V0 * h + 0.5f);
  EXPECT_EQ(pixels[(y * w + x) * 4], static_cast<unsigned char>(U'П' & 0xFF));
  const int last_x = static_cast<int>(em / 2) - 1, last_y = static_cast<int>(em * 0.75f) - 1;
  EXPECT_EQ(pixels[((y + last_y) * w + x + last_x) * 4 + 3], static_cast<unsigned char>(U'П' & 0xFF));
  // Nothing new: no rebuild, and each character was asked for once.
  font_.noteState(s);
  EXPECT_EQ(font_.update(), UiFont::Change::kNone);
  for (const auto& [c, n] : raster_.asked) EXPECT_EQ(n, 1) << static_cast<unsigned>(c);
}

TEST_F(Fonts, LaterCharactersGoIntoTheRoomKeptFreeWithoutARebuild) {
  font_.noteState(chatWith({"Ж"}));
  ASSERT_EQ(font_.update(), UiFont::Change::kGlyphsAdded);  // load() kept room for them already
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const int base_glyphs = font()->Glyphs.Size;
  font_.note("щ");
  ASSERT_EQ(font_.update(), UiFont::Change::kGlyphsAdded);
  ASSERT_EQ(font_.patches().size(), 1u);
  const UiFont::Patch& patch = font_.patches()[0];
  const ImFontGlyph* g = font()->FindGlyphNoFallback(U'щ');
  ASSERT_NE(g, nullptr);
  EXPECT_FLOAT_EQ(g->U0 * w, static_cast<float>(patch.x));
  EXPECT_FLOAT_EQ(g->V1 * h, static_cast<float>(patch.y + patch.height));
  EXPECT_EQ(patch.rgba[0], static_cast<std::uint8_t>(U'щ' & 0xFF));
  EXPECT_EQ(pixels[(patch.y * w + patch.x) * 4], static_cast<unsigned char>(U'щ' & 0xFF));
  EXPECT_NE(font()->FindGlyphNoFallback(U'Ж'), nullptr);  // the earlier one is still there
  EXPECT_EQ(font()->Glyphs.Size, base_glyphs + 1);        // one glyph more (the tab glyph is not added twice)
  // More than the free room takes: a new atlas with more room, and every character still there.
  std::string many;
  for (char32_t c = 0xAC00; c < 0xAC00 + 800; ++c) {
    appendUtf8(many, c);
  }
  font_.note(many);
  ASSERT_EQ(settle(), UiFont::Change::kRebuilt);
  EXPECT_EQ(font_.extraGlyphs(), 802u);
  for (char32_t c : {U'Ж', U'щ', char32_t{0xAC00}, char32_t{0xAC00 + 799}})
    EXPECT_NE(font()->FindGlyphNoFallback(static_cast<ImWchar>(c)), nullptr) << unsigned(c);
}

TEST_F(Fonts, AFloodOfNewCharactersIsDrawnABoundedShareAtATimeNewestFirst) {
  std::string flood;  // 300 ideographs in one line, as a peer may send
  for (char32_t c = 0x3400; c < 0x3400 + 300; ++c) {
    appendUtf8(flood, c);
  }
  font_.noteState(chatWith({flood.c_str(), "ok ♥ Ж"}));  // the newer line's characters come first
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  EXPECT_TRUE(font_.pending());
  EXPECT_EQ(raster_.asked.size(), UiFont::kMaxDrawsPerUpdate) << "one update draws a bounded share";
  EXPECT_NE(font()->FindGlyphNoFallback(U'Ж'), nullptr) << "the newest line first";
  int updates = 1;
  while (font_.pending()) {
    font_.update();
    ++updates;
  }
  EXPECT_EQ(updates, 5);  // 302 characters, 64 at a time
  EXPECT_EQ(font_.extraGlyphs(), 302u);
  EXPECT_NE(font()->FindGlyphNoFallback(0x3400), nullptr);
  for (const auto& [c, n] : raster_.asked) EXPECT_EQ(n, 1) << static_cast<unsigned>(c);
}

TEST(Clusters, EmojiSequencesFlagsKeycapsAndAccentsBecomeOneCharacter) {
  const std::string thumbs_medium = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";  // 👍 + skin tone
  const std::string family =
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
  const std::string flag = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xA6";                     // 🇺🇦
  const std::string keycap = "1\xEF\xB8\x8F\xE2\x83\xA3";                          // 1️⃣
  const std::string accent = "e\xCC\x81";                                          // e + combining acute
  const std::string text =
      "hi " + thumbs_medium + " " + family + " " + flag + flag + " " + keycap + " caf" + accent;
  const std::string shown = withClusters(text);
  // Decode what ImGui will see.
  std::vector<char32_t> cps;
  for (const char* s = shown.c_str(); *s;) {
    unsigned int c = 0;
    s += ImTextCharFromUtf8(&c, s, nullptr);
    cps.push_back(c);
  }
  std::vector<std::string> clusters;
  for (char32_t c : cps)
    if (isCluster(c)) clusters.push_back(clusterText(c));
  EXPECT_EQ(clusters, (std::vector<std::string>{thumbs_medium, family, flag, flag, keycap, accent}));
  EXPECT_EQ(cps.size(), 3u + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 4 + 1) << "each cluster is one character";
  // The same cluster always gets the same stand-in; plain text is left alone.
  EXPECT_EQ(withClusters(flag), withClusters(flag));
  EXPECT_EQ(withClusters("plain ascii, café"), "plain ascii, café");
  // A stand-in typed or sent as such is not taken for a cluster.
  std::string forged;
  appendUtf8(forged, kClusterFirst);
  EXPECT_EQ(withClusters(forged), "\xEF\xBF\xBD");
}

TEST_F(Fonts, AClusterIsDrawnWholeAsOneGlyph) {
  const std::string flag = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xA6";  // 🇺🇦
  font_.noteState(chatWith({("go " + flag).c_str()}));
  settle();
  const std::string shown = withClusters(flag);
  unsigned int code = 0;
  ImTextCharFromUtf8(&code, shown.c_str(), nullptr);
  ASSERT_TRUE(isCluster(code));
  EXPECT_EQ(raster_.texts[code], flag) << "the rasterizer draws the whole cluster";
  ASSERT_NE(font()->FindGlyphNoFallback(static_cast<ImWchar>(code)), nullptr);
  // Its parts are there too, for text drawn as written.
  EXPECT_NE(font()->FindGlyphNoFallback(0x1F1FA), nullptr);
  EXPECT_FLOAT_EQ(width(shown.c_str()), font()->FindGlyphNoFallback(static_cast<ImWchar>(code))->AdvanceX);
}

TEST_F(Fonts, NamesEventsDevicesAndTheFormAreScannedToo) {
  core::AppState s;
  s.form.username = "Ярослав";
  s.peers.push_back({});
  s.peers.back().username = "Ωmega";
  s.events.push_back({0, core::StatusKind::kInfo, "Calling 李"});
  s.cameras.push_back({"cam", "Встроенная"});
  font_.noteState(s);
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  for (char32_t c : {U'Я', U'Ω', U'李', U'В'})
    EXPECT_NE(font()->FindGlyphNoFallback(c), nullptr) << unsigned(c);
  EXPECT_EQ(raster_.asked.count(U'e'), 0u);  // the baked font's own characters are never asked for
}

TEST_F(Fonts, LinesAddedAfterAScanAreFoundAndEarlierOnesAreNotScannedAgain) {
  core::AppState s = chatWith({"да"});
  font_.noteState(s);
  font_.update();
  s.chat.add({"9", "bob", "", "нет", 0, false});
  font_.noteState(s);
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  EXPECT_NE(font()->FindGlyphNoFallback(U'н'), nullptr);
  EXPECT_NE(font()->FindGlyphNoFallback(U'д'), nullptr);  // still there after the rebuild
}

TEST_F(Fonts, EmojiBeyondTheBasicPlaneAreColourGlyphsAndTypedEmojiSurvive) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddInputCharactersUTF8("👍");
  ASSERT_EQ(io.InputQueueCharacters.Size, 1);
  EXPECT_EQ(static_cast<char32_t>(io.InputQueueCharacters[0]), U'👍');  // not U+FFFD: ImWchar is 32-bit
  io.InputQueueCharacters.resize(0);
  font_.noteState(chatWith({"ok 👍"}));
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  const ImFontGlyph* g = font()->FindGlyphNoFallback(static_cast<ImWchar>(U'👍'));
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->Colored);  // drawn untinted by the text colour
}

TEST_F(Fonts, VariationSelectorsAndZeroWidthJoinersTakeNoRoomAndAreNotRasterized) {
  font_.noteState(chatWith({"❤️ a\u200Db"}));  // U+2764 U+FE0F, a ZWJ
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  EXPECT_EQ(raster_.asked.count(0xFE0F), 0u);
  EXPECT_EQ(raster_.asked.count(0x200D), 0u);
  const ImFontGlyph* vs = font()->FindGlyphNoFallback(0xFE0F);
  ASSERT_NE(vs, nullptr);
  EXPECT_FLOAT_EQ(vs->AdvanceX, 0);
  EXPECT_FALSE(vs->Visible);
  EXPECT_FLOAT_EQ(width("a\u200Db"), width("ab"));
}

TEST_F(Fonts, ACharacterNoFontDrawsStaysAQuestionMarkAndIsNotAskedForAgain) {
  font_.noteState(chatWith({"\uF000"}));
  EXPECT_EQ(font_.update(), UiFont::Change::kNone);  // nothing to add to the atlas
  EXPECT_EQ(font_.missing(), 1u);
  EXPECT_EQ(font()->FindGlyphNoFallback(0xF000), nullptr);
  font_.noteState(chatWith({"\uF000 again"}));
  EXPECT_EQ(font_.update(), UiFont::Change::kNone);
  EXPECT_EQ(raster_.asked[0xF000], 1);
}

TEST_F(Fonts, MalformedUtf8IsLookedUpAsImGuiDecodesIt) {
  font_.note(std::string_view("\xC3(\xF0\x9F", 4));  // a broken 2-byte sequence and a cut 4-byte one
  ASSERT_NE(font_.update(), UiFont::Change::kNone);
  EXPECT_NE(font()->FindGlyphNoFallback(0xFFFD), nullptr);  // ImGui shows invalid bytes as U+FFFD
}

TEST_F(Fonts, ANewPixelRatioRasterizesTheSameCharactersAtTheNewSize) {
  font_.noteState(chatWith({"Ж"}));
  font_.update();
  const float em2 = raster_.sizes.back();
  ASSERT_TRUE(font_.load(3.0f));
  EXPECT_FLOAT_EQ(raster_.sizes.back(), em2 * 1.5f);
  const ImFontGlyph* g = font()->FindGlyphNoFallback(U'Ж');
  ASSERT_NE(g, nullptr);
  EXPECT_FLOAT_EQ(g->AdvanceX, em2 * 1.5f * 0.625f);
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 1.0f / 3);
}

TEST_F(Fonts, PastTheCapTheNewestLinesWinAndTheAtlasStaysWithinAGpusLimit) {
  // 5,000 distinct ideographs, 10 per line: more than the atlas takes at once.
  std::vector<std::string> lines;
  for (char32_t base = 0x4E00; base < 0x4E00 + 5000; base += 10) {
    std::string line;
    for (char32_t c = base; c < base + 10; ++c) {
      appendUtf8(line, c);
    }
    lines.push_back(line);
  }
  core::AppState s;
  for (std::size_t i = 0; i < lines.size(); ++i)
    s.chat.add({std::to_string(i), "bob", "", lines[i], 0, false});
  font_.noteState(s);
  ASSERT_NE(settle(), UiFont::Change::kNone);
  EXPECT_EQ(font_.extraGlyphs(), UiFont::kMaxExtraGlyphs);
  EXPECT_EQ(font_.missing(), 5000 - UiFont::kMaxExtraGlyphs);
  int w = 0, h = 0;
  unsigned char* pixels = nullptr;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  EXPECT_LE(w, 4096);
  EXPECT_LE(h, 4096);
  // The newest lines were scanned first: the last line's characters are in, the first line's are not.
  EXPECT_NE(font()->FindGlyphNoFallback(0x4E00 + 4999), nullptr);
  EXPECT_EQ(font()->FindGlyphNoFallback(0x4E00), nullptr);
  ASSERT_NE(font()->FindGlyphNoFallback(0x6186), nullptr);
  // A new line with characters the atlas lacks: the next scan starts again from what the state shows now,
  // which keeps a character that was in the atlas before and is still shown.
  s.chat.clear();
  s.chat.add({"new", "bob", "",
              "一丁"
              "\xe6\x86\x86",
              0, false});  // U+4E00, U+4E01 (missing), U+6186 (in)
  font_.noteState(s);
  ASSERT_EQ(font_.update(), UiFont::Change::kRebuilt);
  for (char32_t c : {0x4E00, 0x4E01, 0x6186})
    EXPECT_NE(font()->FindGlyphNoFallback(c), nullptr) << unsigned(c);
  EXPECT_EQ(font()->FindGlyphNoFallback(0x4E00 + 4999), nullptr);  // no longer shown: gone
  EXPECT_EQ(font_.extraGlyphs(), 3u);
  EXPECT_EQ(font_.missing(), 0u);
}

}  // namespace
}  // namespace imroom::ui
