// Fast path for relaying signaling frames: validates a frame's JSON and finds the envelope fields
// (m.o, m.t and the raw text of p) without building a DOM, so a relay costs no allocation but its output.
// It only answers for plain frames — ASCII, no escapes in the envelope, no duplicate envelope keys, nesting
// up to 64 — and returns nullopt for anything else (including every invalid frame), which then takes the
// full parser (parseFrame) with its precise error. tests/fuzz/fuzz_frame_scanner checks the two agree.
#pragma once

#include <optional>
#include <string_view>

namespace imroom::core {

struct FrameEnvelope {
  std::string_view op;       // m.o, without quotes
  bool has_to = false;       // m.t is a string (false: null or absent — the whole room)
  std::string_view to;       // m.t, without quotes
  std::string_view payload;  // raw JSON text of p ("null" when absent)
};

std::optional<FrameEnvelope> scanFrame(std::string_view text);

}  // namespace imroom::core
