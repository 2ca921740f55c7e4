// A room of three fed arbitrary frames (and joins, leaves, drops and the time passing) from the fuzzer: the hub
// never crashes and every frame it sends is valid JSON.
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "hub.hpp"

namespace {
using namespace imroom::server;

struct CheckingOutput : HubOutput {
  void send(ConnId, SharedText text) override {
    if (nlohmann::json::parse(*text, nullptr, false).is_discarded()) std::abort();
  }
  void close(ConnId, CloseCode, std::string) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckingOutput out;
  double now = 0;
  Hub hub(out, HubLimits{3, 1000, 5, 300}, [&] { return now; });  // a short grace, little held
  const char* users[] = {"ann", "bob", "cat", "dan"};
  hub.join(1, "c/a", "ann", "x");
  hub.join(2, "c/a", "bob", "");
  hub.join(3, "c/b", "cat", "");
  // Input: a sequence of [op byte][len byte][len bytes of frame].
  size_t i = 0;
  while (i + 2 <= size) {
    uint8_t op = data[i], len = data[i + 1];
    i += 2;
    std::string_view frame(reinterpret_cast<const char*>(data + i), std::min<size_t>(len, size - i));
    i += frame.size();
    ConnId who = 1 + op % 4;
    switch ((op >> 2) % 5) {
      case 0: hub.receive(who, frame); break;
      case 1: hub.receiveBinary(who); break;
      case 2: hub.leave(who, (op & 0x40) ? Hub::Departure::kDropped : Hub::Departure::kClosed); break;
      case 3: hub.join(who, (op & 0x40) ? "c/a" : "c/b", users[op % 4], (op & 0x80) ? "x" : ""); break;
      case 4: now += len / 10.0; hub.expire(); break;
    }
  }
  return 0;
}
