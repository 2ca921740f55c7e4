// The Xirsys v2 signaling frame {"t":"u","m":{"f","o","t"},"p"} (PROTOCOL.md §4.1): parse and print.
// Shared by the server's hub and the browser client. Never throws: bad input becomes a FrameError.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace imroom::core {

struct SignalFrame {
  std::string op;                  // m.o: "message", "peers", "peer_connected", "ping", ...
  std::string from;                // m.f: "/<path>/<user>" (set by the server); "" when absent
  std::optional<std::string> to;   // m.t: one user, or nullopt for the whole room
  nlohmann::json payload;          // p: any JSON value (null when absent)
};

// Why a frame was rejected; the names are the protocol's error codes.
enum class FrameError { kBadJson, kNotObject, kBadField };
std::string_view errorCode(FrameError e);

struct ParsedFrame {
  std::optional<SignalFrame> frame;
  FrameError error = FrameError::kBadJson;  // meaningful when !frame
  std::string detail;                       // for people: what exactly was wrong
};

ParsedFrame parseFrame(std::string_view text);
std::string printFrame(const SignalFrame& frame);

// The last segment of an m.f path ("/imroom/lobby/ann" → "ann").
std::string_view userOf(std::string_view from);

}  // namespace imroom::core
