#include "link_quality.hpp"

#include <cmath>
#include <cstdio>

namespace imroom::core {

namespace {
std::string figure(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}
}  // namespace

LinkVerdict judgeLink(const LinkStats& s) {
  if (s.rtt_ms < 0 && s.loss_pct < 0 && s.fps < 0) return {};
  LinkVerdict v{LinkQuality::kGood, ""};
  // Each figure can lower the verdict; the worst one names the reason.
  auto lower = [&v](LinkQuality to, std::string why) {
    if (static_cast<int>(to) > static_cast<int>(v.level)) {
      v.level = to;
      v.why = std::move(why);
    }
  };
  if (s.loss_pct >= 8) lower(LinkQuality::kPoor, figure("%.0f%% of packets lost", s.loss_pct));
  else if (s.loss_pct >= 2) lower(LinkQuality::kFair, figure("%.0f%% of packets lost", s.loss_pct));
  if (s.rtt_ms >= 500) lower(LinkQuality::kPoor, figure("%.0f ms round trip", s.rtt_ms));
  else if (s.rtt_ms >= 250) lower(LinkQuality::kFair, figure("%.0f ms round trip", s.rtt_ms));
  if (s.fps >= 0 && s.fps < 8) lower(LinkQuality::kPoor, figure("%.0f frames/s", std::floor(s.fps)));
  else if (s.fps >= 0 && s.fps < 15) lower(LinkQuality::kFair, figure("%.0f frames/s", std::floor(s.fps)));
  return v;
}

std::string_view toString(LinkQuality q) {
  switch (q) {
    case LinkQuality::kGood: return "good";
    case LinkQuality::kFair: return "fair";
    case LinkQuality::kPoor: return "poor";
    case LinkQuality::kUnknown: break;
  }
  return "unknown";
}

}  // namespace imroom::core
