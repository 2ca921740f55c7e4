// Any bytes as a signaling frame: parse never throws or crashes, and what parses prints back to a frame
// that parses to the same fields.
#include <cstdlib>

#include "signal_frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = imroom::core::parseFrame(text);
  if (!parsed.frame) return 0;
  auto again = imroom::core::parseFrame(imroom::core::printFrame(*parsed.frame));
  if (!again.frame || again.frame->op != parsed.frame->op || again.frame->to != parsed.frame->to) std::abort();
  return 0;
}
