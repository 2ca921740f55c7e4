#include "frame_scanner.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

TEST(FrameScanner, FindsTheEnvelopeOfPlainFrames) {
  auto env = scanFrame(R"( {"t":"u", "x":[1,{"y":null}], "m":{"f":"me","o":"message","t":"bob"},"p":{"msg":{"type":"offer","sdp":"v=0\r\n"}}} )");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->op, "message");
  EXPECT_TRUE(env->has_to);
  EXPECT_EQ(env->to, "bob");
  EXPECT_EQ(env->payload, R"({"msg":{"type":"offer","sdp":"v=0\r\n"}})");
  auto all = scanFrame(R"({"m":{"o":"message","t":null},"t":"u"})");
  ASSERT_TRUE(all);
  EXPECT_FALSE(all->has_to);
  EXPECT_EQ(all->payload, "null");
  EXPECT_EQ(scanFrame(R"({"t":"u","m":{"o":"message"},"p":-1.5e+3})")->payload, "-1.5e+3");
}

TEST(FrameScanner, LeavesEverythingUnusualToTheFullParser) {
  for (const char* text : {"", "{", "[]", "{}", R"({"t":"u"})", R"({"t":"x","m":{"o":"message"}})",
                           R"({"t":"u","m":{"o":5}})", R"({"t":"u","m":{"o":"message","t":7}})",
                           R"({"t":"u","m":{"o":"message"},"p":01})", R"({"t":"u","m":{"o":"message"},"p":1.})",
                           R"({"t":"u","m":{"o":"message"},"p":tru})", R"({"t":"u","m":{"o":"message"}} x)",
                           R"({"t":"u","m":{"o":"m\u0065ssage"}})", R"({"t":"u","t":"u","m":{"o":"message"}})",
                           R"({"t":"u","m":{"o":"message"},"p":"caf\u00e9 ok"})" /* escapes in p are fine */,
                           "{\"t\":\"u\",\"m\":{\"o\":\"message\"},\"p\":\"caf\xc3\xa9\"}", R"({"t":"u","m":{"o":"message"},"p":"a
b"})"}) {
    auto env = scanFrame(text);
    std::string_view t(text);
    bool escaped_payload_only = t.find("caf\\u00e9") != std::string_view::npos;
    EXPECT_EQ(env.has_value(), escaped_payload_only) << text;
  }
  std::string deep = R"({"t":"u","m":{"o":"message"},"p":)" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_FALSE(scanFrame(deep));
}

}  // namespace
}  // namespace imroom::core
