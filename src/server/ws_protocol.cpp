#include "ws_protocol.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>

namespace imroom::server::ws {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t chunk = static_cast<std::uint32_t>(data[i]) << 16;
    if (i + 1 < size) chunk |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += i + 1 < size ? kBase64[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kBase64[chunk & 63] : '=';
  }
  return out;
}

bool isBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Length of the longest prefix of `text` (at most `limit` bytes) that ends on a UTF-8 character boundary.
std::size_t cutAtCharacter(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text.size();
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

}  // namespace

// Eight bytes at a time where possible: the key, twice, is one 64-bit word.
void unmask(char* data, std::size_t size, const unsigned char key[4]) {
  std::uint64_t key8;
  unsigned char k8[8] = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
  std::memcpy(&key8, k8, 8);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, data + i, 8);
    chunk ^= key8;
    std::memcpy(data + i, &chunk, 8);
  }
  for (; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i & 3]);
}

std::string acceptKey(std::string_view key) {
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input;
  input.reserve(key.size() + kGuid.size());
  input.append(key).append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr) != 1) return {};
  return base64(digest, length);
}

bool validKey(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (std::size_t i = 0; i < 22; ++i) {
    if (!isBase64Char(key[i])) return false;
  }
  return true;
}

std::size_t writeHeader(char* out, Opcode op, std::size_t size) {
  out[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(op));  // FIN, no RSV bits
  if (size < 126) {
    out[1] = static_cast<char>(size);
    return 2;
  }
  if (size <= 0xFFFF) {
    out[1] = static_cast<char>(126);
    out[2] = static_cast<char>(size >> 8);
    out[3] = static_cast<char>(size & 0xFF);
    return 4;
  }
  out[1] = static_cast<char>(127);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>((static_cast<std::uint64_t>(size) >> (56 - 8 * i)) & 0xFF);
  return 10;
}

void appendFrame(std::string& out, Opcode op, std::string_view payload) {
  char header[10];
  out.append(header, writeHeader(header, op, payload.size()));
  out.append(payload);
}

void appendClose(std::string& out, std::uint16_t code, std::string_view reason) {
  std::size_t keep = cutAtCharacter(reason, 123);
  char header[10];
  out.append(header, writeHeader(header, Opcode::kClose, 2 + keep));
  out += static_cast<char>(code >> 8);
  out += static_cast<char>(code & 0xFF);
  out.append(reason.substr(0, keep));
}

bool validCloseCode(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

bool validUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = p + text.size();
  while (p < end) {
    // ASCII runs eight bytes at a time.
    if (end - p >= 8) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t need;
    std::uint32_t min;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      need = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      need = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      need = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= need) return false;
    for (std::size_t i = 1; i <= need; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += need + 1;
  }
  return true;
}

FrameReader::Held& FrameReader::held() {
  if (!held_) held_ = std::make_unique<Held>();
  return *held_;
}

void FrameReader::releaseIfEmpty() {
  if (held_ && held_->pending.empty() && held_->message.empty()) held_.reset();
}

bool FrameReader::feed(char* data, std::size_t size, FrameSink& sink) {
  if (done_) return false;
  if (!held_ || held_->pending.empty()) {
    std::size_t used = parse(data, size, sink);
    if (!done_ && used < size) held().pending.assign(data + used, size - used);
  } else {
    std::string& pending = held_->pending;
    pending.append(data, size);
    std::size_t used = parse(pending.data(), pending.size(), sink);
    if (done_ || used == pending.size()) {
      std::string().swap(pending);
    } else {
      pending.erase(0, used);
    }
  }
  if (done_) held_.reset();
  releaseIfEmpty();
  return !done_;
}

void FrameReader::fail(FrameSink& sink, std::uint16_t code, std::string_view reason) {
  done_ = true;
  sink.onError(code, reason);
}

std::size_t FrameReader::parse(char* data, std::size_t size, FrameSink& sink) {
  std::size_t pos = 0;
  while (!done_) {
    std::size_t avail = size - pos;
    if (avail < 2) break;
    auto b0 = static_cast<unsigned char>(data[pos]);
    auto b1 = static_cast<unsigned char>(data[pos + 1]);
    bool fin = (b0 & 0x80) != 0;
    auto op = static_cast<Opcode>(b0 & 0x0F);
    if ((b0 & 0x70) != 0) {
      fail(sink, close_code::kProtocolError, "reserved bits set (no extension was agreed)");
      break;
    }
    if ((b1 & 0x80) == 0) {
      fail(sink, close_code::kProtocolError, "a client's frames must be masked");
      break;
    }
    std::size_t header = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length == 126) {
      if (avail < 4) break;
      length = (static_cast<std::uint64_t>(static_cast<unsigned char>(data[pos + 2])) << 8) |
               static_cast<unsigned char>(data[pos + 3]);
      header = 4;
    } else if (length == 127) {
      if (avail < 10) break;
      length = 0;
      for (int i = 0; i < 8; ++i) length = (length << 8) | static_cast<unsigned char>(data[pos + 2 + i]);
      header = 10;
    }
    bool control = (static_cast<std::uint8_t>(op) & 0x08) != 0;
    if (control) {
      if (op != Opcode::kClose && op != Opcode::kPing && op != Opcode::kPong) {
        fail(sink, close_code::kProtocolError, "unknown opcode");
        break;
      }
      if (!fin || length > 125) {
        fail(sink, close_code::kProtocolError, "a control frame must be whole and at most 125 bytes");
        break;
      }
    } else {
      if (op != Opcode::kContinuation && op != Opcode::kText && op != Opcode::kBinary) {
        fail(sink, close_code::kProtocolError, "unknown opcode");
        break;
      }
      if (op == Opcode::kContinuation && !in_message_) {
        fail(sink, close_code::kProtocolError, "a continuation frame without a message");
        break;
      }
      if (op != Opcode::kContinuation && in_message_) {
        fail(sink, close_code::kProtocolError, "a new message inside a fragmented one");
        break;
      }
      std::uint64_t so_far = in_message_ && held_ ? held_->message.size() : 0;
      if (length > max_message_ || so_far + length > max_message_) {
        fail(sink, close_code::kTooBig, "message over " + std::to_string(max_message_) + " bytes");
        break;
      }
    }
    header += 4;  // the mask
    if (avail < header || avail - header < length) break;  // the rest has not arrived yet
    unsigned char key[4];
    std::memcpy(key, data + pos + header - 4, 4);
    char* payload = data + pos + header;
    auto n = static_cast<std::size_t>(length);
    unmask(payload, n, key);
    pos += header + n;
    std::string_view body(payload, n);
    switch (op) {
      case Opcode::kClose: {
        done_ = true;
        if (n == 1) {
          sink.onError(close_code::kProtocolError, "a close frame's payload cannot be one byte");
          break;
        }
        std::uint16_t code = close_code::kNoStatus;
        std::string_view reason;
        if (n >= 2) {
          code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                            static_cast<unsigned char>(payload[1]));
          reason = body.substr(2);
          if (!validCloseCode(code)) {
            sink.onError(close_code::kProtocolError, "a close code no endpoint may send");
            break;
          }
          if (!validUtf8(reason)) {
            sink.onError(close_code::kInvalidData, "a close reason that is not UTF-8");
            break;
          }
        }
        sink.onClose(code, reason);
        break;
      }
      case Opcode::kPing:
        sink.onPing(body);
        break;
      case Opcode::kPong:
        sink.onPong();
        break;
      default: {
        std::string_view message = body;
        Opcode message_op = op;
        if (op == Opcode::kContinuation || !fin) {
          if (op != Opcode::kContinuation) message_op_ = op;
          in_message_ = true;
          held().message.append(body);
          if (!fin) break;
          message = held_->message;
          message_op = message_op_;
        }
        if (message_op == Opcode::kText && !validUtf8(message)) {
          fail(sink, close_code::kInvalidData, "a text message that is not UTF-8");
          break;
        }
        if (message_op == Opcode::kText) {
          sink.onText(message);
        } else {
          sink.onBinary(message);
        }
        if (in_message_) {
          in_message_ = false;
          std::string().swap(held_->message);
        }
        break;
      }
    }
  }
  return pos;
}

}  // namespace imroom::server::ws
