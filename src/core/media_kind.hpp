// What a member brings to a room: text only, or text plus camera and/or microphone.
#pragma once

#include <optional>
#include <string_view>

namespace imroom::core {

enum class MediaKind { kText, kVideo, kAudio };

// "text" | "video" | "audio" (the JS API's spelling).
std::string_view toString(MediaKind kind);
std::optional<MediaKind> parseMediaKind(std::string_view text);

}  // namespace imroom::core
