#include "router.hpp"

#include <gtest/gtest.h>

namespace imroom::server {
namespace {

HttpRequest req(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

TEST(Router, HealthReportsStatusVersionAndUptime) {
  auto now = std::chrono::steady_clock::time_point{};
  Router router(StaticFiles("/nonexistent"), [&] { return now; });
  now += std::chrono::seconds(42);
  HttpRequest req; req.method = "GET"; req.target = "/healthz";
  HttpResponse res = router.handle(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(*res.header("Content-Type"), "application/json");
  EXPECT_NE(res.body.find("\"status\":\"ok\""), std::string::npos);
  EXPECT_NE(res.body.find("\"uptime_s\":42"), std::string::npos);
  EXPECT_EQ(*res.header("Cache-Control"), "no-store");
}

TEST(Router, HealthIgnoresQueryButNotMethod) {
  Router router(StaticFiles("/nonexistent"));
  EXPECT_EQ(router.handle(req("GET", "/healthz?probe=1")).status, 200);
  EXPECT_EQ(router.handle(req("DELETE", "/healthz")).status, 405);
}

TEST(Router, EverythingElseIsStatic) {
  Router router(StaticFiles("/nonexistent"));
  EXPECT_EQ(router.handle(req("GET", "/index.html")).status, 404);
  EXPECT_EQ(router.handle(req("GET", "/../etc/passwd")).status, 400);
}

}  // namespace
}  // namespace imroom::server

namespace imroom::server {
namespace {

TEST(Router, CredentialEndpointsAreRateLimitedPerAddress) {
  auto now = std::chrono::steady_clock::time_point{};
  Router router(StaticFiles("/nonexistent"), [&] { return now; });
  TokenSigner signer("k");
  SignalingApi api(SignalingConfig{}, signer, [] { return std::int64_t{1000}; });
  router.setApi(&api, 5);  // 5/s, bursts of 10
  HttpRequest r = req("POST", "/api/ice");
  r.remote = "10.1.1.1";
  int ok = 0, limited = 0;
  for (int i = 0; i < 30; ++i) {
    HttpResponse res = router.handle(r);
    if (res.status == 200) ++ok;
    if (res.status == 429) {
      ++limited;
      EXPECT_EQ(*res.header("Retry-After"), "1");
      EXPECT_NE(res.body.find("rate_limited"), std::string::npos);
    }
  }
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(limited, 20);
  r.remote = "10.1.1.2";  // another address has its own budget
  EXPECT_EQ(router.handle(r).status, 200);
  r.remote = "10.1.1.1";
  EXPECT_EQ(router.handle(req("GET", "/healthz")).status, 200);  // health and files are not limited
  now += std::chrono::seconds(1);
  EXPECT_EQ(router.handle(r).status, 200);  // the budget refills
}

}  // namespace
}  // namespace imroom::server
