#include "embedding.hpp"

#include <cmath>

namespace imroom::core {

std::string framePolicyProblem(const FramePolicy& policy, bool video, bool audio) {
  const bool no_camera = video && !policy.camera, no_microphone = audio && !policy.microphone;
  if (!no_camera && !no_microphone) return {};
  const char* what = no_camera && no_microphone ? "the camera and microphone" : no_camera ? "the camera" : "the microphone";
  return std::string("This widget is inside an <iframe> that does not allow ") + what +
         ". The page that embeds it must add allow=\"" + std::string(kIframeAllow) + "\" to its <iframe> tag.";
}

std::string_view themeName(Theme t) { return t == Theme::kHighContrast ? "high-contrast" : "dark"; }

std::optional<Theme> parseTheme(std::string_view name) {
  if (name == "dark") return Theme::kDark;
  if (name == "high-contrast") return Theme::kHighContrast;
  return std::nullopt;
}

float clampFontScale(float scale) {
  if (!std::isfinite(scale)) return 1.0f;
  return scale < kMinFontScale ? kMinFontScale : scale > kMaxFontScale ? kMaxFontScale : scale;
}

}  // namespace imroom::core
