// Reconnection delays: exponential with a cap and random jitter, so a restarted server is not hit by every
// client at the same instant. Pure; the randomness comes from the caller.
#pragma once

#include <algorithm>
#include <cmath>

namespace imroom::core {

struct BackoffPolicy {
  double first_ms = 250;   // delay before the first retry
  double factor = 2;       // growth per failed attempt
  double max_ms = 8000;    // cap
  double jitter = 0.5;     // the delay is scaled by a random factor in [1 - jitter, 1]

  // Delay before retry number `attempt` (0 = the first retry); `random01` is uniform in [0, 1).
  double delayMs(int attempt, double random01) const {
    double base = std::min(max_ms, first_ms * std::pow(factor, std::max(0, std::min(attempt, 30))));
    return base * (1.0 - jitter * std::clamp(random01, 0.0, 1.0));
  }
};

}  // namespace imroom::core
