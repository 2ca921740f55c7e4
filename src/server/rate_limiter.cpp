#include "rate_limiter.hpp"

#include <algorithm>

namespace imroom::server {

bool AddressRateLimiter::allow(const std::string& address, double now) {
  if (now - last_prune_ > 60) prune(now);
  auto [it, fresh] = buckets_.try_emplace(address, Bucket{burst_, now});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (now - b.at) * rate_);
  b.at = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

// Full buckets carry no information: forget them so the map stays small under address churn.
void AddressRateLimiter::prune(double now) {
  last_prune_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    bool full = it->second.tokens + (now - it->second.at) * rate_ >= burst_;
    it = full ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace imroom::server
