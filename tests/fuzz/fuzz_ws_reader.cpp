// The WebSocket frame reader on anything, split anywhere: it never crashes, never reports a message over the
// limit or a text message that is not UTF-8, and after it stops (close or error) it reports nothing more.
#include <cstdlib>
#include <string>

#include "ws_protocol.hpp"

namespace {

struct Checker : imroom::server::ws::FrameSink {
  std::size_t max;
  bool stopped = false;
  explicit Checker(std::size_t m) : max(m) {}
  void check(std::string_view m) {
    if (stopped || m.size() > max) std::abort();
  }
  void onText(std::string_view m) override {
    check(m);
    if (!imroom::server::ws::validUtf8(m)) std::abort();
  }
  void onBinary(std::string_view m) override { check(m); }
  void onPing(std::string_view p) override {
    if (stopped || p.size() > 125) std::abort();
  }
  void onPong() override {
    if (stopped) std::abort();
  }
  void onClose(std::uint16_t, std::string_view) override {
    if (stopped) std::abort();
    stopped = true;
  }
  void onError(std::uint16_t, std::string_view) override {
    if (stopped) std::abort();
    stopped = true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::size_t cut = data[0] % (size);  // the first byte picks where the input is split in two reads
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  imroom::server::ws::FrameReader reader(256);
  Checker sink(256);
  std::string a = bytes.substr(0, cut), b = bytes.substr(std::min(cut, bytes.size()));
  reader.feed(a.data(), a.size(), sink);
  reader.feed(b.data(), b.size(), sink);
  if (sink.stopped != reader.done()) std::abort();
  return 0;
}
