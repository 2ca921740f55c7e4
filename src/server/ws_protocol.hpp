// The WebSocket wire protocol (RFC 6455), server side, without sockets: the upgrade's accept key, frames
// to a client (unmasked), and an incremental reader of a client's frames (masked) that assembles fragmented
// messages, validates UTF-8 and enforces the message size limit. Pure and never throws: the socket code in
// websocket_session.cpp feeds it whatever arrived, the fuzz target feeds it anything.
//
// Why our own and not Beast's websocket::stream: an idle Beast stream holds ~2 KiB of buffers (its 1.5 KiB
// read buffer, timer, handler slots) and writes one frame per system call. Ours holds nothing while idle —
// bytes are read into one buffer shared by all sockets and only a partial frame is kept — and writes every
// queued frame in one call. See BENCHMARKS.md, "Signaling under load".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace imroom::server::ws {

enum class Opcode : std::uint8_t { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

// Close codes (RFC 6455 §7.4.1) this server sends or reads.
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000, kGoingAway = 1001, kProtocolError = 1002, kNoStatus = 1005,
                               kInvalidData = 1007, kPolicy = 1008, kTooBig = 1009, kInternal = 1011;
}

// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string acceptKey(std::string_view key);
// A key is the base64 of 16 bytes: 24 characters ending in "==".
bool validKey(std::string_view key);

// Writes the header of one unfragmented server frame (no mask) carrying `size` bytes; returns its length
// (2, 4 or 10 bytes: `out` must have room for 10).
std::size_t writeHeader(char* out, Opcode op, std::size_t size);
// Appends one unfragmented server frame (no mask) to `out`.
void appendFrame(std::string& out, Opcode op, std::string_view payload);
// Appends a close frame: code and reason (cut to fit the 125-byte control frame limit, on a character boundary).
void appendClose(std::string& out, std::uint16_t code, std::string_view reason);

// Unmasks a client's payload in place: XOR with the frame's 4-byte key.
void unmask(char* data, std::size_t size, const unsigned char key[4]);
bool validUtf8(std::string_view text);
// May a peer send this code in a close frame (RFC 6455 §7.4, and the IANA registry)? 1000-1003, 1007-1014,
// 3000-4999. Not 1004-1006 or 1015 (reserved, or meaning "no frame was sent"), nor what is unassigned.
bool validCloseCode(std::uint16_t code);

// What a reader reports. The views point into the reader's or the caller's buffer: valid during the call only.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void onText(std::string_view message) = 0;
  virtual void onBinary(std::string_view message) = 0;
  virtual void onPing(std::string_view payload) = 0;
  virtual void onPong() = 0;
  virtual void onClose(std::uint16_t code, std::string_view reason) = 0;
  // The client broke the protocol or a limit: the connection must be closed with `code`.
  virtual void onError(std::uint16_t code, std::string_view reason) = 0;
};

class FrameReader {
 public:
  explicit FrameReader(std::size_t max_message) : max_message_(max_message) {}

  // Feeds bytes as they arrived (unmasked in place, hence not const). Complete frames are reported to
  // `sink`; a partial frame is kept for the next call. Returns false after a close frame or an error: the
  // reader is done and ignores anything more.
  bool feed(char* data, std::size_t size, FrameSink& sink);

  bool done() const { return done_; }
  // Whether bytes are held between calls (a partial frame, fragments of a message).
  bool holding() const { return held_ != nullptr; }

 private:
  // Only while a frame or a message is incomplete: an idle socket's reader is three words.
  struct Held {
    std::string pending;  // a frame not yet complete
    std::string message;  // fragments of a message not yet complete
  };
  Held& held();
  void releaseIfEmpty();
  // Parses whole frames from data[0, size); returns how many bytes were used.
  std::size_t parse(char* data, std::size_t size, FrameSink& sink);
  void fail(FrameSink& sink, std::uint16_t code, std::string_view reason);

  std::size_t max_message_;
  std::unique_ptr<Held> held_;
  Opcode message_op_ = Opcode::kText;
  bool in_message_ = false;
  bool done_ = false;
};

}  // namespace imroom::server::ws
