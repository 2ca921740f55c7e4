// What the page around the widget allows, and how the widget looks: pure values and the words for them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imroom::core {

// The `allow` attribute an <iframe> holding the widget needs (camera and microphone for calls, autoplay for the
// others' sound, display-capture for screen sharing).
inline constexpr std::string_view kIframeAllow = "camera; microphone; autoplay; display-capture";

// What the browser lets this page use: inside an <iframe> without allow="camera; microphone" the page can never
// have them (getUserMedia fails without asking the person), so the widget says why and what to add.
struct FramePolicy {
  bool camera = true;
  bool microphone = true;
  bool operator==(const FramePolicy& o) const { return camera == o.camera && microphone == o.microphone; }
};

// "" when the policy allows what is needed; else a message naming the exact attribute the embedding page must add.
std::string framePolicyProblem(const FramePolicy& policy, bool video, bool audio);

enum class Theme { kDark, kHighContrast };
std::string_view themeName(Theme t);  // "dark", "high-contrast"
std::optional<Theme> parseTheme(std::string_view name);

// The person's display settings: colours and text size (1 = 16 CSS pixels).
struct Look {
  Theme theme = Theme::kDark;
  float font_scale = 1.0f;
  bool touch = false;  // the page's main pointer is a finger: controls sized for one (from the page, not a setting)
  bool operator==(const Look& o) const {
    return theme == o.theme && font_scale == o.font_scale && touch == o.touch;
  }
  bool operator!=(const Look& o) const { return !(*this == o); }
};
inline constexpr float kMinFontScale = 0.75f;
inline constexpr float kMaxFontScale = 2.0f;
float clampFontScale(float scale);  // into [kMinFontScale, kMaxFontScale]; 1 for nonsense (NaN)

}  // namespace imroom::core
