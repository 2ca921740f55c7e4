#include "negotiator.hpp"

#include "json_util.hpp"

namespace imroom::core {

using nlohmann::json;

Negotiator::Negotiator(bool polite, PeerPort& port, std::function<void(json)> send,
                       std::function<void(std::string)> log)
    : polite_(polite), port_(port), send_(std::move(send)), log_(std::move(log)) {}

void Negotiator::offerNow() {
  if (making_offer_ || need_offer_ || signaling_ != Signaling::kStable) return;  // one is coming already
  early_offer_ = true;
  need_offer_ = true;
  pump();
}

void Negotiator::onNegotiationNeeded() {
  const bool covered = early_offer_ && (making_offer_ || signaling_ == Signaling::kHaveLocalOffer);
  early_offer_ = false;
  if (covered) return;
  need_offer_ = true;
  pump();
}

// Runs queued steps until one is in flight; makes an offer when one is needed and nothing else is pending.
void Negotiator::pump() {
  while (in_flight_ == Op::kNone) {
    if (!steps_.empty()) {
      Step step = std::move(steps_.front());
      steps_.pop_front();
      switch (step.kind) {
        case Step::Kind::kSetRemote:
          in_flight_ = step.description.type == "offer" ? Op::kSetRemoteOffer : Op::kSetRemoteAnswer;
          port_.setRemoteDescription(step.description);
          break;
        case Step::Kind::kSetLocal:
          in_flight_ = Op::kSetLocal;
          port_.setLocalDescription();
          break;
        case Step::Kind::kAddCandidate: addCandidate(step.candidate); break;
      }
      continue;
    }
    if (need_offer_ && signaling_ == Signaling::kStable) {
      need_offer_ = false;
      making_offer_ = true;
      offer_rolled_back_ = false;
      in_flight_ = Op::kSetLocal;
      port_.setLocalDescription();
    }
    return;
  }
}

void Negotiator::addCandidate(const IceCandidate& c) {
  if (!has_remote_description_) {
    held_.push_back(c);
    return;
  }
  port_.addIceCandidate(c);
}

void Negotiator::onLocalDescription(const Description& d) {
  in_flight_ = Op::kNone;
  if (d.type == "offer") {
    making_offer_ = false;
    signaling_ = Signaling::kHaveLocalOffer;
    ++offered_oid_;
    if (offer_rolled_back_) {
      // The remote's offer arrived while ours was being made: the queued remote offer rolls ours back.
      log_("offer " + std::to_string(offered_oid_) + " withdrawn: answering the other side's offer first");
    } else {
      send_(json{{"type", "offer"}, {"sdp", d.sdp}, {"oid", offered_oid_}});
    }
  } else {
    signaling_ = Signaling::kStable;
    send_(json{{"type", "answer"}, {"sdp", d.sdp}, {"oid", answering_oid_}});
  }
  pump();
}

void Negotiator::onRemoteDescriptionSet() {
  Op done = in_flight_;
  in_flight_ = Op::kNone;
  has_remote_description_ = true;
  if (done == Op::kSetRemoteOffer) {
    signaling_ = Signaling::kHaveRemoteOffer;
    steps_.push_front(Step{Step::Kind::kSetLocal, {}, {}});  // the answer, before anything else
  } else {
    signaling_ = Signaling::kStable;
    early_offer_ = false;  // from now on the browser's events are about new changes
  }
  std::vector<IceCandidate> held = std::move(held_);
  held_.clear();
  for (const IceCandidate& c : held) port_.addIceCandidate(c);
  pump();
}

void Negotiator::onLocalCandidate(const IceCandidate& c) {
  json msg{{"type", "candidate"}, {"candidate", c.candidate}, {"sdpMid", c.sdp_mid}};
  msg["sdpMLineIndex"] = c.sdp_mline_index >= 0 ? json(c.sdp_mline_index) : json(nullptr);
  send_(std::move(msg));
}

bool Negotiator::onFailed(const std::string& operation, const std::string& detail) {
  if (operation == "addIceCandidate") return !ignore_offer_;  // candidates of an ignored offer fail by design
  if (operation == "setLocalDescription" || operation == "setRemoteDescription") {
    // The browser's state is unchanged by a failed operation; drop what we thought would happen.
    if (in_flight_ == Op::kSetLocal) making_offer_ = false;
    in_flight_ = Op::kNone;
    log_(operation + " failed: " + detail);
    pump();
  }
  return true;
}

void Negotiator::onRemoteMessage(const json& msg) {
  const std::string type = jsonString(msg, "type");
  if (type == "offer" || type == "answer") {
    Description d{type, jsonString(msg, "sdp")};
    const int oid = static_cast<int>(jsonNumber(msg, "oid", 0));
    if (type == "answer") {
      if (signaling_ != Signaling::kHaveLocalOffer || in_flight_ != Op::kNone || oid != offered_oid_ ||
          offer_rolled_back_) {
        ++stale_answers_;
        log_("ignored a stale answer (to offer " + std::to_string(oid) + ", ours is " +
             std::to_string(offered_oid_) + ")");
        return;
      }
      steps_.push_back(Step{Step::Kind::kSetRemote, std::move(d), {}});
      pump();
      return;
    }
    // An offer collides with ours when we are making one or have one out.
    // Ready for an offer: not making one, and stable or about to be (our answer's remote side is being set).
    const bool ready = !making_offer_ && in_flight_ != Op::kSetLocal &&
                       (signaling_ == Signaling::kStable || in_flight_ == Op::kSetRemoteAnswer);
    const bool collision = !ready;
    ignore_offer_ = !polite_ && collision;
    if (ignore_offer_) {
      ++ignored_offers_;
      log_("both sides offered at once: keeping ours (impolite side)");
      return;
    }
    if (collision) {
      log_("both sides offered at once: taking theirs (polite side)");
      if (making_offer_) offer_rolled_back_ = true;
      need_offer_ = true;  // offer again once stable, in case ours carried changes theirs lacks
      signaling_ = Signaling::kStable;  // setRemoteDescription(offer) rolls our offer back implicitly
    }
    answering_oid_ = oid;
    steps_.push_back(Step{Step::Kind::kSetRemote, std::move(d), {}});
    pump();
    return;
  }
  if (type == "candidate") {
    IceCandidate c;
    c.candidate = jsonString(msg, "candidate");
    c.sdp_mid = jsonString(msg, "sdpMid");
    c.sdp_mline_index = static_cast<int>(jsonNumber(msg, "sdpMLineIndex", -1));
    if (ignore_offer_) return;  // belongs to the offer we ignored
    steps_.push_back(Step{Step::Kind::kAddCandidate, {}, std::move(c)});
    pump();
  }
}

}  // namespace imroom::core
