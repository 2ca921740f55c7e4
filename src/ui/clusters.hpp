// Characters that are drawn as one but written as several codepoints: emoji with a skin tone or a
// presentation selector, ZWJ sequences (families, professions), flags (two regional indicators), keycaps, tag
// sequences, and letters with combining accents. ImGui lays text out one codepoint at a time, so such a
// cluster is given a codepoint of its own (from the start of the Basic Multilingual Plane's private use area)
// that stands for it on screen, and the font atlas gets the whole cluster drawn as one glyph (src/ui/fonts.hpp).
// Not a higher plane: ImGui's glyph index spans every codepoint up to the highest in the font (8 bytes each),
// so a stand-in at U+F0000 would cost 8 MB and an O(1M) rebuild of the index at each new glyph.
#pragma once

#include <string>
#include <string_view>

namespace imroom::ui {

// 4,096 distinct clusters per page; later ones show as their parts.
inline constexpr char32_t kClusterFirst = 0xE000, kClusterLast = 0xEFFF;

// `text` as ImGui should draw it: each cluster replaced by its stand-in codepoint (UTF-8), and characters of
// the stand-ins' range already in the text replaced by U+FFFD (so nobody can spell someone else's
// cluster). Text without clusters comes back unchanged (and is cheap to check).
std::string withClusters(std::string_view text);

// The cluster a stand-in codepoint stands for ("" if none).
std::string clusterText(char32_t stand_in);
bool isCluster(char32_t c);

// Encodes one codepoint as UTF-8 onto `out`.
void appendUtf8(std::string& out, char32_t c);

}  // namespace imroom::ui
