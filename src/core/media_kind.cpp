#include "media_kind.hpp"

namespace imroom::core {

std::string_view toString(MediaKind kind) {
  switch (kind) {
    case MediaKind::kText: return "text";
    case MediaKind::kVideo: return "video";
    case MediaKind::kAudio: return "audio";
  }
  return "text";
}

std::optional<MediaKind> parseMediaKind(std::string_view text) {
  if (text == "text") return MediaKind::kText;
  if (text == "video") return MediaKind::kVideo;
  if (text == "audio") return MediaKind::kAudio;
  return std::nullopt;
}

}  // namespace imroom::core
