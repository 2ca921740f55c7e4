#include "hub.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace imroom::server {
namespace {
using nlohmann::json;

// Records what the hub sends and closes, per connection.
struct RecordingOutput : HubOutput {
  std::map<ConnId, std::vector<json>> frames;
  std::map<ConnId, std::pair<CloseCode, std::string>> closed;
  void send(ConnId to, SharedText text) override {
    json j = json::parse(*text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << *text;
    frames[to].push_back(std::move(j));
  }
  void close(ConnId to, CloseCode code, std::string reason) override { closed[to] = {code, std::move(reason)}; }
  json last(ConnId id) { return frames[id].empty() ? json() : frames[id].back(); }
  std::size_t count(ConnId id) { return frames[id].size(); }
};

class HubTest : public ::testing::Test {
 protected:
  double now_ = 1000.0;
  RecordingOutput out_;
  Hub hub_{out_, HubLimits{3, 10}, [this] { return now_; }};

  static std::string msg(const std::string& to_json, const std::string& p = R"({"msg":"hi"})",
                         const std::string& from = "\"mallory\"") {
    return R"({"t":"u","m":{"f":)" + from + R"(,"o":"message","t":)" + to_json + R"(},"p":)" + p + "}";
  }
};

TEST_F(HubTest, NewcomerGetsPeersIncludingItselfAndOthersAreTold) {
  EXPECT_EQ(hub_.join(1, "imroom/lobby", "bob", ""), Hub::JoinOutcome::kJoined);
  EXPECT_EQ(hub_.join(2, "imroom/lobby", "ann", ""), Hub::JoinOutcome::kJoined);
  json peers = out_.last(2);
  EXPECT_EQ(peers["m"]["o"], "peers");
  EXPECT_EQ(peers["m"]["f"], "/imroom/lobby/__sys__");
  EXPECT_EQ(peers["m"]["t"], "ann");
  EXPECT_EQ(peers["p"]["users"], json({"ann", "bob"}));
  json joined = out_.last(1);
  EXPECT_EQ(joined["m"]["o"], "peer_connected");
  EXPECT_EQ(joined["m"]["f"], "/imroom/lobby/ann");
  EXPECT_EQ(joined["p"], "ann");
  EXPECT_EQ(out_.count(2), 1u);  // the newcomer is not told about itself
}

TEST_F(HubTest, DirectedMessageReachesOnlyItsTargetStampedWithTheRealSender) {
  hub_.join(1, "imroom/lobby", "ann", "");
  hub_.join(2, "imroom/lobby", "bob", "");
  hub_.join(3, "imroom/lobby", "cat", "");
  std::size_t cat_before = out_.count(3);
  hub_.receive(1, msg("\"bob\"", R"({"msg":{"type":"offer","sdp":"v=0"}})"));
  json got = out_.last(2);
  EXPECT_EQ(got["m"]["o"], "message");
  EXPECT_EQ(got["m"]["f"], "/imroom/lobby/ann");  // not "mallory"
  EXPECT_EQ(got["m"]["t"], "bob");
  EXPECT_EQ(got["p"]["msg"]["type"], "offer");
  EXPECT_EQ(out_.count(3), cat_before);
  EXPECT_EQ(hub_.stats().frames_relayed, 1u);
}

TEST_F(HubTest, BroadcastReachesEveryoneElseInTheRoomOnly) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.join(3, "imroom/a", "cat", "");
  hub_.join(4, "imroom/b", "dan", "");
  std::size_t ann = out_.count(1), dan = out_.count(4);
  hub_.receive(1, msg("null"));
  EXPECT_EQ(out_.last(2)["p"]["msg"], "hi");
  EXPECT_EQ(out_.last(3)["m"]["f"], "/imroom/a/ann");
  EXPECT_EQ(out_.count(1), ann);  // not echoed
  EXPECT_EQ(out_.count(4), dan);  // other room untouched
  EXPECT_EQ(hub_.stats().frames_relayed, 2u);
}

TEST_F(HubTest, UsersOfAnotherRoomAreUnknownRecipients) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/b", "bob", "");
  std::size_t bob = out_.count(2);
  hub_.receive(1, msg("\"bob\""));
  EXPECT_EQ(out_.count(2), bob);
  EXPECT_EQ(out_.last(1)["m"]["o"], "error");
  EXPECT_EQ(out_.last(1)["p"]["code"], "unknown_recipient");
  EXPECT_EQ(hub_.stats().rejected.at("unknown_recipient"), 1u);
}

TEST_F(HubTest, LeavingTellsTheOthersAndEmptyRoomsDisappear) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.leave(1);
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_removed");
  EXPECT_EQ(out_.last(2)["m"]["f"], "/imroom/a/ann");
  EXPECT_EQ(out_.last(2)["p"], "ann");
  EXPECT_EQ(hub_.stats().rooms, 1u);
  hub_.leave(2);
  hub_.leave(2);  // twice is harmless
  EXPECT_EQ(hub_.stats().rooms, 0u);
  EXPECT_EQ(hub_.stats().members, 0u);
}

TEST_F(HubTest, DuplicateNameFromAnotherClientIsRefusedAndTheFirstIsUntouched) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t bob = out_.count(2);
  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "page-2"), Hub::JoinOutcome::kNameTaken);
  EXPECT_EQ(out_.last(3)["p"]["code"], "name_taken");
  EXPECT_EQ(out_.closed.at(3).first, CloseCode::kPolicy);
  EXPECT_FALSE(out_.closed.count(1));
  EXPECT_EQ(out_.count(2), bob);  // nobody saw a leave or a join
  hub_.receive(2, msg("\"ann\""));
  EXPECT_EQ(out_.last(1)["m"]["f"], "/imroom/a/bob");  // still the first ann
  EXPECT_EQ(hub_.join(4, "imroom/a", "ann", ""), Hub::JoinOutcome::kNameTaken);  // no client id: refused too
}

TEST_F(HubTest, ANameThatLooksLikeAMembersIsRefusedWithThatMembersName) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t bob = out_.count(2);
  for (const char* alike : {"Ann", "ANN", "\xd0\xb0nn", "\xce\x91\xce\x9d\xce\x9d"}) {  // Cyrillic а, Greek ΑΝΝ
    ConnId id = 10 + out_.closed.size();
    EXPECT_EQ(hub_.join(id, "imroom/a", alike, "page-2"), Hub::JoinOutcome::kNameTaken) << alike;
    EXPECT_EQ(out_.last(id)["p"]["code"], "name_taken");
    EXPECT_EQ(out_.last(id)["p"]["similar"], "ann");
    EXPECT_EQ(out_.closed.at(id).first, CloseCode::kPolicy);
  }
  EXPECT_EQ(hub_.join(20, "imroom/a", "b0b", ""), Hub::JoinOutcome::kNameTaken);
  EXPECT_EQ(out_.last(20)["p"]["similar"], "bob");
  EXPECT_EQ(out_.count(2), bob);  // nobody saw a join
  EXPECT_EQ(hub_.join(21, "imroom/b", "Ann", ""), Hub::JoinOutcome::kJoined);  // another room: no one to mistake

  // The same page coming back keeps its place; once it leaves, the look-alike may join.
  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kReplaced);
  EXPECT_EQ(hub_.join(22, "imroom/a", "Ann", "page-2"), Hub::JoinOutcome::kNameTaken);
  hub_.leave(3);
  EXPECT_EQ(hub_.join(23, "imroom/a", "Ann", "page-2"), Hub::JoinOutcome::kJoined);
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_connected");
  EXPECT_EQ(out_.last(2)["p"], "Ann");
}

TEST_F(HubTest, TheSamePageReconnectingReplacesItsOldSocketSilently) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t bob = out_.count(2);
  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kReplaced);
  EXPECT_EQ(out_.closed.at(1), std::make_pair(CloseCode::kGoingAway, std::string("replaced")));
  EXPECT_EQ(out_.last(3)["m"]["o"], "peers");
  EXPECT_EQ(out_.count(2), bob);
  hub_.leave(1);  // the old socket's close arrives later: no peer_removed
  EXPECT_EQ(out_.count(2), bob);
  hub_.receive(2, msg("\"ann\""));
  EXPECT_EQ(out_.last(3)["m"]["f"], "/imroom/a/bob");
}

// A page whose socket drops (no close frame) keeps its place for the rejoin grace: the others see no leave, what
// they send it waits, and the same page coming back gets it all, in order, after its "peers".
TEST_F(HubTest, ADroppedPageKeepsItsPlaceAndGetsWhatWasSentMeanwhile) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "page-2");
  std::size_t ann = out_.count(1), bob = out_.count(2);
  hub_.leave(1, Hub::Departure::kDropped);
  EXPECT_EQ(out_.count(2), bob);  // no peer_removed
  EXPECT_EQ(hub_.stats().away, 1u);
  EXPECT_EQ(hub_.stats().members, 2u);
  hub_.receive(2, msg("\"ann\"", R"({"msg":"first"})"));
  hub_.receive(2, msg("null", R"({"msg":"second"})"));
  EXPECT_EQ(out_.count(1), ann);  // nothing to the dead socket
  EXPECT_EQ(out_.count(2), bob);  // and no unknown_recipient for bob: ann is still in the room
  now_ += 9.5;
  hub_.expire();
  EXPECT_EQ(out_.count(2), bob);

  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kResumed);
  ASSERT_EQ(out_.count(3), 3u);
  EXPECT_EQ(out_.frames[3][0]["m"]["o"], "peers");
  EXPECT_EQ(out_.frames[3][0]["p"]["users"], json({"ann", "bob"}));
  EXPECT_EQ(out_.frames[3][1]["p"]["msg"], "first");
  EXPECT_EQ(out_.frames[3][1]["m"]["f"], "/imroom/a/bob");
  EXPECT_EQ(out_.frames[3][2]["p"]["msg"], "second");
  EXPECT_EQ(out_.count(2), bob);  // no peer_connected either
  EXPECT_TRUE(out_.closed.find(1) == out_.closed.end());  // nothing to close: that socket is gone
  EXPECT_EQ(hub_.stats().away, 0u);
  now_ += 60;
  hub_.expire();  // the old grace is over, but the page is back: it stays
  EXPECT_EQ(out_.count(2), bob);
  hub_.receive(2, msg("\"ann\"", R"({"msg":"third"})"));
  EXPECT_EQ(out_.last(3)["p"]["msg"], "third");
}

TEST_F(HubTest, WhenTheGraceRunsOutTheOthersAreToldAndTheNameIsFree) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.leave(1, Hub::Departure::kDropped);
  // Meanwhile the name stays taken, by another page too, with how long it is held.
  now_ += 2.5;
  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "page-9"), Hub::JoinOutcome::kNameTaken);
  EXPECT_EQ(out_.last(3)["p"]["code"], "name_taken");
  EXPECT_EQ(out_.last(3)["p"]["held_for"], 8);
  EXPECT_EQ(out_.last(3)["p"]["reason"], "ann's connection dropped a moment ago; the name is held for 8 s in case "
                                         "that page comes back");
  now_ += 10.5;
  hub_.expire();
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_removed");
  EXPECT_EQ(out_.last(2)["p"], "ann");
  EXPECT_EQ(hub_.stats().away, 0u);
  EXPECT_EQ(hub_.stats().members, 1u);
  hub_.receive(2, msg("\"ann\""));
  EXPECT_EQ(out_.last(2)["p"]["code"], "unknown_recipient");
  // The page back too late joins afresh: the others are told.
  EXPECT_EQ(hub_.join(4, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kJoined);
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_connected");
  EXPECT_EQ(out_.count(4), 1u);  // its "peers", nothing held for it
}

TEST_F(HubTest, ACloseFrameOrAPageWithoutClientIdLeavesAtOnce) {
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.join(3, "imroom/a", "cat", "page-3");
  hub_.leave(2, Hub::Departure::kDropped);  // a Xirsys-style client: it could not prove it is back, so no grace
  EXPECT_EQ(out_.last(1)["m"]["o"], "peer_removed");
  EXPECT_EQ(out_.last(1)["p"], "bob");
  hub_.leave(3, Hub::Departure::kClosed);
  EXPECT_EQ(out_.last(1)["p"], "cat");
  EXPECT_EQ(hub_.stats().away, 0u);
  EXPECT_EQ(hub_.stats().members, 1u);
}

TEST_F(HubTest, AnAwayPageThatWouldBeHandedTooMuchLeavesInstead) {
  Hub hub{out_, HubLimits{3, 1000, 10, 200}, [this] { return now_; }};
  hub.join(1, "imroom/a", "ann", "page-1");
  hub.join(2, "imroom/a", "bob", "");
  hub.leave(1, Hub::Departure::kDropped);
  std::size_t bob = out_.count(2);
  for (int i = 0; i < 4; ++i) hub.receive(2, msg("\"ann\"", R"({"msg":"0123456789012345678901234567890123456789"})"));
  EXPECT_EQ(out_.count(2), bob);  // still in the room until the next expire()
  hub.expire();
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_removed");
  // Back now, it joins afresh, so bob knows that what it sent may not have arrived.
  EXPECT_EQ(hub.join(3, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kJoined);
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_connected");
  EXPECT_EQ(out_.count(3), 1u);
}

TEST_F(HubTest, AGraceThatOverflowedEndsBeforeTheSamePageJoins) {
  Hub hub{out_, HubLimits{3, 1000, 10, 200}, [this] { return now_; }};
  hub.join(1, "imroom/a", "ann", "page-1");
  hub.join(2, "imroom/a", "bob", "");
  hub.leave(1, Hub::Departure::kDropped);
  for (int i = 0; i < 4; ++i) hub.receive(2, msg("\"ann\"", R"({"msg":"0123456789012345678901234567890123456789"})"));
  // No tick between the overflow and the page's return: the join itself ends the grace first.
  EXPECT_EQ(hub.join(3, "imroom/a", "ann", "page-1"), Hub::JoinOutcome::kJoined);
  ASSERT_GE(out_.count(2), 2u);
  EXPECT_EQ(out_.frames[2][out_.count(2) - 2]["m"]["o"], "peer_removed");
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_connected");
}

TEST_F(HubTest, AnAwayMembersIdJoiningAgainIsAFreshMemberThatNoGraceRemoves) {
  // The server never reuses an id, but the hub does not rely on it (fuzz_hub_frames reuses ids).
  hub_.join(1, "imroom/a", "ann", "page-1");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.leave(1, Hub::Departure::kDropped);
  EXPECT_EQ(hub_.join(1, "imroom/b", "cat", ""), Hub::JoinOutcome::kJoined);  // ann leaves for good
  EXPECT_EQ(out_.last(2)["p"], "ann");
  EXPECT_EQ(hub_.stats().away, 0u);
  now_ += 11;
  hub_.expire();
  EXPECT_TRUE(hub_.isMember(1));
}

TEST_F(HubTest, JoiningAgainMovesTheConnection) {
  // Found by fuzz_hub_frames: the same connection id joining twice left a stale entry in its first room.
  hub_.join(1, "imroom/a", "ann", "x");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.join(1, "imroom/b", "cat", "");
  EXPECT_EQ(out_.last(2)["m"]["o"], "peer_removed");
  hub_.leave(1);
  EXPECT_EQ(hub_.join(3, "imroom/a", "ann", "x"), Hub::JoinOutcome::kJoined);
  EXPECT_EQ(hub_.stats().members, 2u);
  EXPECT_EQ(hub_.stats().rooms, 1u);
}

TEST_F(HubTest, AFullRoomRefusesTheNextUser) {
  hub_.join(1, "imroom/a", "u1", "");
  hub_.join(2, "imroom/a", "u2", "");
  hub_.join(3, "imroom/a", "u3", "");
  EXPECT_EQ(hub_.join(4, "imroom/a", "u4", ""), Hub::JoinOutcome::kRoomFull);
  EXPECT_EQ(out_.last(4)["p"]["code"], "room_full");
  EXPECT_EQ(out_.closed.at(4).second, "room_full");
  EXPECT_EQ(hub_.join(5, "imroom/b", "u4", ""), Hub::JoinOutcome::kJoined);
}

struct BadFrame {
  std::string name, text, code;
  friend void PrintTo(const BadFrame& b, std::ostream* os) { *os << b.name; }
};
class HubBadFrames : public HubTest, public ::testing::WithParamInterface<BadFrame> {};

TEST_P(HubBadFrames, AreAnsweredWithAnErrorAndChangeNothing) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t bob = out_.count(2);
  hub_.receive(1, GetParam().text);
  EXPECT_EQ(out_.last(1)["m"]["o"], "error");
  EXPECT_EQ(out_.last(1)["m"]["t"], "ann");
  EXPECT_EQ(out_.last(1)["p"]["code"], GetParam().code);
  EXPECT_FALSE(out_.last(1)["p"]["reason"].get<std::string>().empty());
  EXPECT_EQ(out_.count(2), bob);
  hub_.receive(1, msg("\"bob\""));  // and the sender can carry on
  EXPECT_EQ(out_.count(2), bob + 1);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HubBadFrames,
    ::testing::Values(BadFrame{"NotJson", "{oops", "bad_json"}, BadFrame{"Empty", "", "bad_json"},
                      BadFrame{"Array", "[1,2]", "not_object"}, BadFrame{"String", "\"u\"", "not_object"},
                      BadFrame{"NoT", R"({"m":{"o":"message"},"p":1})", "bad_field"},
                      BadFrame{"WrongT", R"({"t":"x","m":{"o":"message"},"p":1})", "bad_field"},
                      BadFrame{"MNotObject", R"({"t":"u","m":"message","p":1})", "bad_field"},
                      BadFrame{"OpNotString", R"({"t":"u","m":{"o":5},"p":1})", "bad_field"},
                      BadFrame{"ToNotString", R"({"t":"u","m":{"o":"message","t":7},"p":1})", "bad_field"},
                      BadFrame{"UnknownOp", R"({"t":"u","m":{"o":"peers","t":null},"p":{"users":["x"]}})", "unknown_op"},
                      BadFrame{"Nobody", R"({"t":"u","m":{"o":"message","t":"zed"},"p":1})", "unknown_recipient"},
                      BadFrame{"DeepNesting", std::string(60000, '[') + std::string(60000, ']'), "not_object"}),
    [](const ::testing::TestParamInfo<BadFrame>& tp) { return tp.param.name; });

TEST_F(HubTest, BinaryFramesAreRefused) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.receiveBinary(1);
  EXPECT_EQ(out_.last(1)["p"]["code"], "binary_not_supported");
}

TEST_F(HubTest, ABinaryFloodIsCutToTheRateLikeAnyOther) {
  // Before, each binary frame got its own error: a client sending binary and never reading grew its queue.
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t ann = out_.count(1);
  for (int i = 0; i < 100; ++i) hub_.receiveBinary(1);
  EXPECT_EQ(out_.count(1) - ann, 21u);  // the burst's 20 refusals, then one rate_limited
  EXPECT_EQ(out_.last(1)["p"]["code"], "rate_limited");
  EXPECT_EQ(hub_.stats().rejected.at("binary_not_supported"), 20u);
  std::size_t bob = out_.count(2);
  hub_.receive(1, msg("\"bob\""));  // the budget is shared: text waits too
  EXPECT_EQ(out_.count(2), bob);
  now_ += 1.0;
  hub_.receive(1, msg("\"bob\""));
  EXPECT_EQ(out_.last(2)["m"]["o"], "message");
}

TEST_F(HubTest, BarePingsAreAcceptedSilentlyAtAnyRate) {
  hub_.join(1, "imroom/a", "ann", "");
  std::size_t before = out_.count(1);
  for (int i = 0; i < 10000; ++i) hub_.receive(1, "ping");
  EXPECT_EQ(out_.count(1), before);
  EXPECT_FALSE(out_.closed.count(1));
  EXPECT_EQ(hub_.stats().bare_pings, 10000u);
  hub_.join(2, "imroom/a", "bob", "");
  hub_.receive(1, msg("\"bob\""));  // pings did not use up the frame budget
  EXPECT_EQ(out_.last(2)["m"]["o"], "message");
}

TEST_F(HubTest, JsonPingIsAnsweredWithPong) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.receive(1, R"({"t":"u","m":{"o":"ping"},"p":42})");
  EXPECT_EQ(out_.last(1)["m"]["o"], "pong");
  EXPECT_EQ(out_.last(1)["p"], 42);
}

TEST_F(HubTest, AFloodIsCutToTheRateWithOneErrorASecond) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  std::size_t bob = out_.count(2), ann = out_.count(1);
  for (int i = 0; i < 100; ++i) hub_.receive(1, msg("\"bob\""));
  EXPECT_EQ(out_.count(2) - bob, 20u);  // the burst: twice the rate of 10/s
  EXPECT_EQ(out_.count(1) - ann, 1u);   // one rate_limited error, not 80
  EXPECT_EQ(out_.last(1)["p"]["code"], "rate_limited");
  EXPECT_EQ(hub_.stats().rejected.at("rate_limited"), 80u);
  now_ += 1.0;  // a second later, 10 more frames are allowed
  for (int i = 0; i < 10; ++i) hub_.receive(1, msg("\"bob\""));
  EXPECT_EQ(out_.count(2) - bob, 30u);
}

TEST_F(HubTest, InvalidUtf8InAPayloadIsRelayedSafely) {
  hub_.join(1, "imroom/a", "ann", "");
  hub_.join(2, "imroom/a", "bob", "");
  hub_.receive(1, msg("\"bob\"", "\"\xff\xfe\""));
  // Either rejected as bad JSON or relayed as valid JSON; never a crash or an unparsable frame.
  EXPECT_TRUE(out_.last(1)["m"]["o"] == "error" || out_.last(2)["m"]["o"] == "message");
}

}  // namespace
}  // namespace imroom::server
