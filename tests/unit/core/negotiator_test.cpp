// Two negotiators wired back to back through fake peer connections whose asynchronous completions are queued,
// so each test decides the order in which browser operations finish and messages arrive.
#include "negotiator.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

namespace imroom::core {
namespace {

using nlohmann::json;

// A model of RTCPeerConnection's signaling state machine (JSEP), enough to catch misuse: an answer applied in
// the wrong state, a candidate before any remote description, setLocalDescription with nothing to do.
class FakePeer : public PeerPort {
 public:
  FakePeer(std::string name, std::deque<std::function<void()>>& queue) : name_(std::move(name)), queue_(queue) {}
  Negotiator* negotiator = nullptr;

  std::string state = "stable";
  std::string local_sdp, remote_sdp;
  std::vector<std::string> added_candidates;
  std::vector<std::string> failures;
  int offers_made = 0;

  void createChannel() override { needNegotiation(); }
  void restartIce() override { needNegotiation(); }
  bool sendOnChannel(const std::string&) override { return false; }
  void addLocalMedia() override { needNegotiation(); }
  void setVideoBudget(int, double) override {}

  void setLocalDescription() override {
    queue_.push_back([this] {
      Description d;
      if (state == "stable") {
        d = {"offer", name_ + "-offer-" + std::to_string(++offers_made)};
        state = "have-local-offer";
      } else if (state == "have-remote-offer") {
        d = {"answer", name_ + "-answer-to-" + remote_sdp};
        state = "stable";
      } else {
        return fail("setLocalDescription", "nothing to describe in " + state);
      }
      local_sdp = d.sdp;
      negotiator->onLocalDescription(d);
      // Each description yields one candidate, gathered after it.
      queue_.push_back([this, n = offers_made] { negotiator->onLocalCandidate({name_ + "-cand-" + std::to_string(n), "0", 0}); });
    });
  }

  void setRemoteDescription(const Description& d) override {
    queue_.push_back([this, d] {
      if (d.type == "offer" && (state == "stable" || state == "have-local-offer")) {
        state = "have-remote-offer";  // from have-local-offer: an implicit rollback first
      } else if (d.type == "answer" && state == "have-local-offer") {
        state = "stable";
      } else {
        return fail("setRemoteDescription", d.type + " in " + state);
      }
      remote_sdp = d.sdp;
      negotiator->onRemoteDescriptionSet();
    });
  }

  void addIceCandidate(const IceCandidate& c) override {
    queue_.push_back([this, c] {
      if (remote_sdp.empty()) return fail("addIceCandidate", "no remote description");
      added_candidates.push_back(c.candidate);
    });
  }

 private:
  void needNegotiation() {
    queue_.push_back([this] { negotiator->onNegotiationNeeded(); });
  }
  void fail(const std::string& op, const std::string& why) {
    failures.push_back(op + ": " + why);
    negotiator->onFailed(op, why);
  }

  std::string name_;
  std::deque<std::function<void()>>& queue_;
};

struct Pair {
  std::deque<std::function<void()>> queue;  // browser completions and network deliveries, in order
  std::deque<std::function<void()>> to_b, to_a;  // messages in flight, delivered when the test says so
  FakePeer pa{"a", queue}, pb{"b", queue};
  std::vector<std::string> log;
  Negotiator a{false, pa, [this](json m) { to_b.push_back([this, m] { b.onRemoteMessage(m); }); },
               [this](std::string l) { log.push_back("a: " + l); }};
  Negotiator b{true, pb, [this](json m) { to_a.push_back([this, m] { a.onRemoteMessage(m); }); },
               [this](std::string l) { log.push_back("b: " + l); }};

  Pair() {
    pa.negotiator = &a;
    pb.negotiator = &b;
  }
  bool step() {
    if (!queue.empty()) {
      auto f = std::move(queue.front());
      queue.pop_front();
      f();
      return true;
    }
    if (!to_b.empty()) {
      auto f = std::move(to_b.front());
      to_b.pop_front();
      f();
      return true;
    }
    if (!to_a.empty()) {
      auto f = std::move(to_a.front());
      to_a.pop_front();
      f();
      return true;
    }
    return false;
  }
  void run() {
    for (int i = 0; i < 1000 && step(); ++i) {
    }
  }
  void expectConverged() {
    EXPECT_EQ(pa.state, "stable");
    EXPECT_EQ(pb.state, "stable");
    EXPECT_TRUE(a.stable());
    EXPECT_TRUE(b.stable());
    EXPECT_EQ(pa.local_sdp.empty() ? "" : pb.remote_sdp, pa.local_sdp) << "b did not apply a's last description";
    EXPECT_EQ(pb.local_sdp.empty() ? "" : pa.remote_sdp, pb.local_sdp) << "a did not apply b's last description";
    EXPECT_TRUE(pa.failures.empty()) << pa.failures.front();
    EXPECT_TRUE(pb.failures.empty()) << pb.failures.front();
  }
};

TEST(Negotiator, OfferAnswerAndCandidates) {
  Pair p;
  p.pa.createChannel();
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pa.local_sdp, "a-offer-1");
  EXPECT_EQ(p.pb.local_sdp, "b-answer-to-a-offer-1");
  EXPECT_EQ(p.pb.added_candidates, std::vector<std::string>{"a-cand-1"});
  EXPECT_EQ(p.pa.added_candidates.size(), 1u);
  EXPECT_EQ(p.a.offersSent(), 1);
}

TEST(Negotiator, GlareBothOfferAtOnceThePoliteSideYields) {
  Pair p;
  p.pa.createChannel();
  p.pb.createChannel();
  // Both make their offers before either offer arrives.
  while (!p.queue.empty()) p.step();
  ASSERT_EQ(p.pa.state, "have-local-offer");
  ASSERT_EQ(p.pb.state, "have-local-offer");
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.a.ignoredOffers(), 1) << "the impolite side ignores the colliding offer";
  EXPECT_EQ(p.b.ignoredOffers(), 0);
  // The polite side still gets its own offer through afterwards (it may carry changes a's offer lacked).
  EXPECT_EQ(p.pb.offers_made, 2);
}

TEST(Negotiator, GlareWhileThePoliteOfferIsStillBeingMade) {
  Pair p;
  p.pa.createChannel();
  p.run();  // a connected
  p.pb.restartIce();
  p.pa.restartIce();
  // b starts making its offer; a's offer reaches b before b's setLocalDescription completes.
  p.step();  // b: negotiationneeded → setLocalDescription queued
  p.step();  // a: negotiationneeded → setLocalDescription queued
  p.step();  // b's setLocalDescription completes (offer sent, in flight)
  p.step();  // a's completes
  p.run();
  p.expectConverged();
}

TEST(Negotiator, CandidatesBeforeTheDescriptionAreHeld) {
  Pair p;
  p.pa.createChannel();
  while (!p.queue.empty()) p.step();  // a: offer made, its candidate gathered
  ASSERT_EQ(p.to_b.size(), 2u);       // offer, candidate
  std::swap(p.to_b[0], p.to_b[1]);    // the network delivers the candidate first
  p.to_b.front()();
  p.to_b.pop_front();
  EXPECT_EQ(p.b.heldCandidates(), 1u);
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pb.added_candidates, std::vector<std::string>{"a-cand-1"});
}

TEST(Negotiator, AStaleAnswerIsIgnored) {
  Pair p;
  p.pa.createChannel();
  p.run();
  p.pa.restartIce();
  while (!p.queue.empty()) p.step();  // a's second offer is out
  ASSERT_EQ(p.pa.state, "have-local-offer");
  p.a.onRemoteMessage(json{{"type", "answer"}, {"sdp", "b-answer-to-a-offer-1"}, {"oid", 1}});  // a late copy
  EXPECT_EQ(p.a.staleAnswers(), 1);
  while (!p.queue.empty()) p.step();
  EXPECT_EQ(p.pa.state, "have-local-offer") << "the stale answer must not be applied";
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pa.remote_sdp, "b-answer-to-a-offer-2");
}

TEST(Negotiator, IceRestartRenegotiatesFromEitherSide) {
  Pair p;
  p.pa.createChannel();
  p.run();
  p.pb.restartIce();
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pb.local_sdp, "b-offer-1");
  EXPECT_EQ(p.pa.local_sdp, "a-answer-to-b-offer-1");
}

TEST(Negotiator, RepeatedNegotiationNeededMakesOneOfferAtATime) {
  Pair p;
  p.pa.createChannel();
  p.pa.restartIce();
  p.pa.restartIce();
  p.run();
  p.expectConverged();
  EXPECT_LE(p.pa.offers_made, 3);
}

TEST(Negotiator, TheCallersFirstOfferGoesAtOnceAndTheBrowsersLateEventMakesNoSecond) {
  Pair p;
  p.pa.createChannel();  // the browser queues negotiationneeded...
  p.a.offerNow();        // ...and the offer does not wait for it
  ASSERT_EQ(p.queue.size(), 2u);
  std::swap(p.queue[0], p.queue[1]);  // setLocalDescription completes first, then the event comes
  p.step();
  EXPECT_EQ(p.to_b.size(), 1u) << "the offer is out before the browser's event";
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pa.offers_made, 1) << "the event was for what the offer carried";
  // Afterwards the browser's events are new changes again.
  p.pa.restartIce();
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pa.offers_made, 2);
}

TEST(Negotiator, AnEarlyOfferTakesNoEffectWhenOneIsAlreadyComing) {
  Pair p;
  p.pa.createChannel();
  p.step();          // the browser's event came first: the offer is being made
  p.a.offerNow();    // nothing more
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.pa.offers_made, 1);
}

TEST(Negotiator, EarlyOffersFromBothSidesStillResolveTheGlare) {
  Pair p;
  p.pa.createChannel();
  p.a.offerNow();
  p.pb.createChannel();
  p.b.offerNow();
  p.run();
  p.expectConverged();
  EXPECT_EQ(p.a.ignoredOffers(), 1);
  EXPECT_EQ(p.pb.offers_made, 2) << "the polite side offers again once stable";
}

TEST(Negotiator, GarbageMessagesAreIgnored) {
  Pair p;
  p.b.onRemoteMessage(json::array());
  p.b.onRemoteMessage(json{{"type", 7}});
  p.b.onRemoteMessage(json{{"type", "answer"}, {"sdp", "x"}, {"oid", 99}});
  p.run();
  EXPECT_TRUE(p.pb.failures.empty());
  EXPECT_EQ(p.b.staleAnswers(), 1);
}

}  // namespace
}  // namespace imroom::core
