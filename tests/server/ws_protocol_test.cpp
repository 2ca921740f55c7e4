// The WebSocket wire protocol without sockets: accept keys, server frames, and the reader of client frames —
// masking, fragmentation, limits, UTF-8, control frames, bytes split anywhere.
#include "ws_protocol.hpp"

#include "ws_client.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imroom::server::ws {
namespace {

std::string clientFrame(Opcode op, std::string_view payload, bool fin = true) {
  return testing::clientFrame(static_cast<int>(op), payload, fin);
}

struct Recorder : FrameSink {
  std::vector<std::string> events;
  void onText(std::string_view m) override { events.push_back("text:" + std::string(m)); }
  void onBinary(std::string_view m) override { events.push_back("binary:" + std::to_string(m.size())); }
  void onPing(std::string_view p) override { events.push_back("ping:" + std::string(p)); }
  void onPong() override { events.push_back("pong"); }
  void onClose(std::uint16_t code, std::string_view reason) override {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
  void onError(std::uint16_t code, std::string_view reason) override {
    events.push_back("error:" + std::to_string(code) + ":" + std::string(reason));
  }
};

std::vector<std::string> readAll(std::string bytes, std::size_t max = 1024) {
  FrameReader reader(max);
  Recorder sink;
  reader.feed(bytes.data(), bytes.size(), sink);
  return sink.events;
}

TEST(WsHandshake, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsHandshake, KeysMustBeSixteenBytesOfBase64) {
  EXPECT_TRUE(validKey("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(validKey(""));
  EXPECT_FALSE(validKey("dGhlIHNhbXBsZSBub25jZQ="));      // short
  EXPECT_FALSE(validKey("dGhlIHNhbXBsZSBub25jZQ!="));     // not base64
  EXPECT_FALSE(validKey("dGhlIHNhbXBsZSBub25jZQ==AAAA")); // long
}

TEST(WsFrames, ServerFramesUseTheShortestLengthAndNoMask) {
  for (std::size_t n : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string out;
    appendFrame(out, Opcode::kText, std::string(n, 'x'));
    std::size_t header = n < 126 ? 2 : n <= 65535 ? 4 : 10;
    ASSERT_EQ(out.size(), header + n) << n;
    EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81);
    EXPECT_EQ(static_cast<unsigned char>(out[1]) & 0x80, 0) << "server frames are not masked";
  }
}

TEST(WsFrames, CloseReasonsAreCutToTheControlFrameLimitOnACharacter) {
  std::string reason;
  for (int i = 0; i < 100; ++i) reason += "é";  // 200 bytes
  std::string out;
  appendClose(out, close_code::kPolicy, reason);
  ASSERT_LE(out.size(), 2u + 125u);
  std::string_view payload(out.data() + 2, out.size() - 2);
  EXPECT_EQ(static_cast<unsigned char>(payload[0]) << 8 | static_cast<unsigned char>(payload[1]), 1008);
  EXPECT_TRUE(validUtf8(payload.substr(2)));
  EXPECT_EQ(payload.size() % 2, 0u) << "122 bytes of two-byte characters plus the code";
}

TEST(WsReader, MaskedTextFramesAreUnmaskedWhateverTheSplit) {
  std::string bytes = clientFrame(Opcode::kText, "hello") + clientFrame(Opcode::kText, std::string(300, 'a')) +
                      clientFrame(Opcode::kPing, "p") + clientFrame(Opcode::kText, "{\"t\":\"u\"}");
  std::vector<std::string> want = {"text:hello", "text:" + std::string(300, 'a'), "ping:p", "text:{\"t\":\"u\"}"};
  EXPECT_EQ(readAll(bytes), want);
  // Every split point, and byte by byte: the same messages, and nothing held afterwards.
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    FrameReader reader(1024);
    Recorder sink;
    std::string a = bytes.substr(0, cut), b = bytes.substr(cut);
    reader.feed(a.data(), a.size(), sink);
    reader.feed(b.data(), b.size(), sink);
    ASSERT_EQ(sink.events, want) << "split at " << cut;
    EXPECT_FALSE(reader.holding());
  }
  FrameReader reader(1024);
  Recorder sink;
  for (char c : bytes) {
    reader.feed(&c, 1, sink);
  }
  EXPECT_EQ(sink.events, want);
}

TEST(WsReader, APartialFrameIsHeldUntilTheRestComes) {
  std::string bytes = clientFrame(Opcode::kText, "abcdef");
  FrameReader reader(1024);
  Recorder sink;
  reader.feed(bytes.data(), 5, sink);
  EXPECT_TRUE(reader.holding());
  EXPECT_TRUE(sink.events.empty());
  reader.feed(bytes.data() + 5, bytes.size() - 5, sink);
  EXPECT_FALSE(reader.holding());
  EXPECT_EQ(sink.events, std::vector<std::string>{"text:abcdef"});
}

TEST(WsReader, FragmentsAreAssembledAndControlFramesMayComeBetween) {
  std::string bytes = clientFrame(Opcode::kText, "hel", false) + clientFrame(Opcode::kPing, "") +
                      clientFrame(Opcode::kContinuation, "lo ", false) + clientFrame(Opcode::kContinuation, "you");
  EXPECT_EQ(readAll(bytes), (std::vector<std::string>{"ping:", "text:hello you"}));
  // A character split across fragments is still valid UTF-8.
  std::string e = "é";
  bytes = clientFrame(Opcode::kText, e.substr(0, 1), false) + clientFrame(Opcode::kContinuation, e.substr(1));
  EXPECT_EQ(readAll(bytes), std::vector<std::string>{"text:é"});
}

TEST(WsReader, BrokenFramesAreProtocolErrors) {
  auto first = [](std::string bytes) {
    auto events = readAll(std::move(bytes));
    return events.empty() ? std::string() : events.back().substr(0, 10);
  };
  std::string unmasked = clientFrame(Opcode::kText, "x");
  unmasked[1] = static_cast<char>(unmasked[1] & 0x7F);
  EXPECT_EQ(first(unmasked), "error:1002");
  std::string rsv = clientFrame(Opcode::kText, "x");
  rsv[0] = static_cast<char>(rsv[0] | 0x40);
  EXPECT_EQ(first(rsv), "error:1002");
  EXPECT_EQ(first(clientFrame(static_cast<Opcode>(3), "x")), "error:1002");
  EXPECT_EQ(first(clientFrame(static_cast<Opcode>(11), "x")), "error:1002");
  EXPECT_EQ(first(clientFrame(Opcode::kPing, std::string(126, 'p'))), "error:1002");
  EXPECT_EQ(first(clientFrame(Opcode::kPing, "p", false)), "error:1002");
  EXPECT_EQ(first(clientFrame(Opcode::kContinuation, "x")), "error:1002");
  EXPECT_EQ(first(clientFrame(Opcode::kText, "a", false) + clientFrame(Opcode::kText, "b")), "error:1002");
  EXPECT_EQ(first(clientFrame(Opcode::kClose, "x")), "error:1002");
}

TEST(WsReader, TextMustBeUtf8) {
  for (std::string bad : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                          std::string("\xf4\x90\x80\x80"), std::string("ab\xe2\x82")}) {
    auto events = readAll(clientFrame(Opcode::kText, bad));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].substr(0, 10), "error:1007");
  }
  EXPECT_EQ(readAll(clientFrame(Opcode::kText, "h\xc3\xa9llo \xf0\x9f\x98\x80 \xe2\x82\xac")).size(), 1u);
  EXPECT_EQ(readAll(clientFrame(Opcode::kBinary, "\xff\xfe")), std::vector<std::string>{"binary:2"});
}

TEST(WsReader, AMessageOverTheLimitIsRefusedFromItsHeader) {
  std::string bytes = clientFrame(Opcode::kText, std::string(2000, 'x'));
  FrameReader reader(1024);
  Recorder sink;
  reader.feed(bytes.data(), 14, sink);  // the header alone is enough to refuse it
  EXPECT_EQ(sink.events, std::vector<std::string>{"error:1009:message over 1024 bytes"});
  EXPECT_TRUE(reader.done());
  EXPECT_FALSE(reader.holding());
  // Fragments that add up to more are refused too.
  bytes = clientFrame(Opcode::kText, std::string(600, 'x'), false) + clientFrame(Opcode::kContinuation, std::string(600, 'x'));
  EXPECT_EQ(readAll(bytes).back(), "error:1009:message over 1024 bytes");
}

TEST(WsReader, ACloseFrameEndsReading) {
  std::string payload = "\x03\xe8" + std::string("bye");
  std::string bytes = clientFrame(Opcode::kClose, payload) + clientFrame(Opcode::kText, "after");
  FrameReader reader(1024);
  Recorder sink;
  EXPECT_FALSE(reader.feed(bytes.data(), bytes.size(), sink));
  EXPECT_EQ(sink.events, std::vector<std::string>{"close:1000:bye"});
  EXPECT_EQ(readAll(clientFrame(Opcode::kClose, "")), std::vector<std::string>{"close:1005:"});
}

TEST(WsReader, CloseCodesNoEndpointMaySendAreProtocolErrors) {
  auto closeWith = [](int code) {
    std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    auto events = readAll(clientFrame(Opcode::kClose, payload));
    return events.empty() ? std::string() : events.back();
  };
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    EXPECT_EQ(closeWith(code), "close:" + std::to_string(code) + ":") << code;
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    EXPECT_EQ(closeWith(code), "error:1002:a close code no endpoint may send") << code;
}

}  // namespace
}  // namespace imroom::server::ws
