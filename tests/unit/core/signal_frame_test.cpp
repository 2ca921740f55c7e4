#include "signal_frame.hpp"

#include <gtest/gtest.h>

namespace imroom::core {
namespace {

TEST(SignalFrame, ParsesTheGuidesFrames) {
  auto parsed = parseFrame(
      R"({ "t": "u", "p": { "users": [ "user3a092eeb", "user4906c1b8" ] }, "m": { "t": "user3a092eeb", "o": "peers", "f": "/sampleAppChannel/__sys__" } })");
  ASSERT_TRUE(parsed.frame);
  EXPECT_EQ(parsed.frame->op, "peers");
  EXPECT_EQ(parsed.frame->to, "user3a092eeb");
  EXPECT_EQ(parsed.frame->from, "/sampleAppChannel/__sys__");
  EXPECT_EQ(parsed.frame->payload["users"].size(), 2u);
  auto removed = parseFrame(
      R"({ "t": "u", "p": "user4906c1b8", "m": { "t": null, "o": "peer_removed", "f": "/sampleAppChannel/user4906c1b8" } })");
  ASSERT_TRUE(removed.frame);
  EXPECT_FALSE(removed.frame->to);
  EXPECT_EQ(userOf(removed.frame->from), "user4906c1b8");
}

TEST(SignalFrame, PrintsWhatItParses) {
  SignalFrame f{"message", "/imroom/a/ann", std::string("bob"), nlohmann::json{{"msg", {{"type", "answer"}}}}};
  auto back = parseFrame(printFrame(f));
  ASSERT_TRUE(back.frame);
  EXPECT_EQ(back.frame->op, "message");
  EXPECT_EQ(back.frame->from, "/imroom/a/ann");
  EXPECT_EQ(back.frame->to, "bob");
  EXPECT_EQ(back.frame->payload, f.payload);
  SignalFrame all{"message", "", std::nullopt, nullptr};
  EXPECT_NE(printFrame(all).find(R"("t":null)"), std::string::npos);
}

TEST(SignalFrame, NamesWhatIsWrong) {
  EXPECT_EQ(parseFrame("nope").error, FrameError::kBadJson);
  EXPECT_EQ(parseFrame("3").error, FrameError::kNotObject);
  auto bad = parseFrame(R"({"t":"u","m":{"o":"message","t":["x"]}})");
  EXPECT_EQ(bad.error, FrameError::kBadField);
  EXPECT_NE(bad.detail.find("m.t"), std::string::npos);
  EXPECT_EQ(errorCode(FrameError::kBadField), "bad_field");
}

}  // namespace
}  // namespace imroom::core
