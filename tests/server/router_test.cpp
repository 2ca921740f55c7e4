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
