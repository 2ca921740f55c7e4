// Token buckets keyed by client address, for the credential-vending endpoints. Pure; time is passed in.
#pragma once

#include <string>
#include <unordered_map>

namespace imroom::server {

class AddressRateLimiter {
 public:
  // rate: requests per second; burst: bucket size.
  AddressRateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // True if `address` may make a request at time `now` (seconds); takes a token if so.
  bool allow(const std::string& address, double now);
  std::size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    double at;
  };
  void prune(double now);

  double rate_, burst_;
  double last_prune_ = 0;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace imroom::server
