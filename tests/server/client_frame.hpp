// A client's WebSocket frame, built by hand: for the socket tests that write raw bytes and for the load generator.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace imroom::server::testing {

// Appends a client's WebSocket frame as it goes on the wire (masked with `key`) to `out`. The load generator
// builds every message it sends with this, so it masks a word at a time and allocates at most once.
inline void appendClientFrame(std::string& out, int opcode, std::string_view payload, bool fin = true,
                              std::uint32_t key = 0x37fa213d) {
  const std::size_t n = payload.size();
  const std::size_t at = out.size();
  out.resize(at + 14 + n);
  auto* p = reinterpret_cast<unsigned char*>(&out[at]);
  std::size_t h = 0;
  p[h++] = static_cast<unsigned char>((fin ? 0x80 : 0) | opcode);
  if (n < 126) {
    p[h++] = static_cast<unsigned char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    p[h++] = 0x80 | 126;
    p[h++] = static_cast<unsigned char>(n >> 8);
    p[h++] = static_cast<unsigned char>(n & 0xFF);
  } else {
    p[h++] = 0x80 | 127;
    for (int shift = 56; shift >= 0; shift -= 8) p[h++] = static_cast<unsigned char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF);
  }
  const unsigned char mask[4] = {static_cast<unsigned char>(key >> 24), static_cast<unsigned char>(key >> 16),
                                 static_cast<unsigned char>(key >> 8), static_cast<unsigned char>(key)};
  std::memcpy(p + h, mask, 4);
  h += 4;
  // The mask repeats every 4 bytes, so 8 bytes at a time take it twice.
  std::uint64_t mask8;
  std::memcpy(&mask8, mask, 4);
  std::memcpy(reinterpret_cast<unsigned char*>(&mask8) + 4, mask, 4);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, payload.data() + i, 8);
    w ^= mask8;
    std::memcpy(p + h + i, &w, 8);
  }
  for (; i < n; ++i) p[h + i] = static_cast<unsigned char>(payload[i]) ^ mask[i % 4];
  out.resize(at + h + n);
}

// The same frame as a string of its own, for tests that write raw bytes.
inline std::string clientFrame(int opcode, std::string_view payload, bool fin = true, std::uint32_t key = 0x37fa213d) {
  std::string out;
  appendClientFrame(out, opcode, payload, fin, key);
  return out;
}

}  // namespace imroom::server::testing
