// A client's WebSocket frame, built by hand: for the socket tests that write raw bytes and for the load generator.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace imroom::server::testing {

// A client's WebSocket frame as it goes on the wire (masked with `key`), for tests that write raw bytes.
inline std::string clientFrame(int opcode, std::string_view payload, bool fin = true, std::uint32_t key = 0x37fa213d) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | opcode);
  std::size_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF);
  }
  unsigned char mask[4] = {static_cast<unsigned char>(key >> 24), static_cast<unsigned char>(key >> 16),
                           static_cast<unsigned char>(key >> 8), static_cast<unsigned char>(key)};
  out.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(payload[i] ^ mask[i % 4]);
  return out;
}

}  // namespace imroom::server::testing
