// The fast relay path must agree with the full parser: whatever scanFrame accepts, parseFrame accepts with
// the same m.o, m.t and payload value.
#include <cstdlib>

#include "frame_scanner.hpp"
#include "signal_frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imroom::core;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fast = scanFrame(text);
  if (!fast) return 0;
  auto full = parseFrame(text);
  if (!full.frame) std::abort();
  if (full.frame->op != fast->op) std::abort();
  if (full.frame->to.has_value() != fast->has_to || (fast->has_to && *full.frame->to != fast->to)) std::abort();
  auto payload = nlohmann::json::parse(fast->payload, nullptr, false);
  if (payload.is_discarded() || payload != full.frame->payload) std::abort();
  return 0;
}
