// Perfect negotiation (W3C WebRTC §10.7 pattern) for one remote peer, as a pure state machine.
// The polite side yields on glare (rolls back its offer and answers); the impolite side ignores the colliding
// offer. One local/remote description operation is in flight at a time; remote candidates wait until a remote
// description is set; an answer whose offer id is not the offer in flight is stale and ignored.
#pragma once

#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ports.hpp"

namespace imroom::core {

class Negotiator {
 public:
  // `send` delivers a {"type":…} message to the remote negotiator (PROTOCOL.md §5);
  // `log` receives lines for the event log.
  Negotiator(bool polite, PeerPort& port, std::function<void(nlohmann::json)> send,
             std::function<void(std::string)> log);

  // The caller's first offer, made at once instead of when the browser's negotiationneeded event comes (a task
  // later: 3-7 ms here, on the critical path of every join). The event, when it comes while that offer is being
  // made or is out, is for what the offer already carries, and is dropped; a change made after it is seen by
  // the browser again once the connection is stable (JSEP), which fires the event anew.
  void offerNow();

  // From the local peer connection.
  void onNegotiationNeeded();
  void onLocalDescription(const Description& d);
  void onRemoteDescriptionSet();
  void onLocalCandidate(const IceCandidate& c);
  // An operation failed (a rejected promise); returns true when it matters to the user (not an expected
  // failure such as a candidate of an ignored offer).
  bool onFailed(const std::string& operation, const std::string& detail);

  // From the remote negotiator: {"type":"offer"|"answer"|"candidate", …}.
  void onRemoteMessage(const nlohmann::json& msg);

  bool polite() const { return polite_; }
  bool stable() const { return signaling_ == Signaling::kStable && in_flight_ == Op::kNone && steps_.empty(); }
  int offersSent() const { return offered_oid_; }
  int ignoredOffers() const { return ignored_offers_; }
  int staleAnswers() const { return stale_answers_; }
  std::size_t heldCandidates() const { return held_.size(); }

 private:
  enum class Signaling { kStable, kHaveLocalOffer, kHaveRemoteOffer };
  enum class Op { kNone, kSetLocal, kSetRemoteOffer, kSetRemoteAnswer };
  struct Step {
    enum class Kind { kSetRemote, kSetLocal, kAddCandidate } kind;
    Description description;
    IceCandidate candidate;
  };

  void pump();
  void addCandidate(const IceCandidate& c);

  bool polite_;
  PeerPort& port_;
  std::function<void(nlohmann::json)> send_;
  std::function<void(std::string)> log_;

  Signaling signaling_ = Signaling::kStable;
  Op in_flight_ = Op::kNone;
  std::deque<Step> steps_;
  std::vector<IceCandidate> held_;  // remote candidates waiting for a remote description
  bool has_remote_description_ = false;
  bool making_offer_ = false;
  bool offer_rolled_back_ = false;  // the offer being made was overtaken by the remote's (polite side)
  bool need_offer_ = false;
  bool early_offer_ = false;  // offerNow() made the offer in flight or out: the browser's event is covered
  bool ignore_offer_ = false;
  int offered_oid_ = 0;    // id of our latest offer
  int answering_oid_ = 0;  // id of the remote offer we answer
  int ignored_offers_ = 0;
  int stale_answers_ = 0;
};

}  // namespace imroom::core
