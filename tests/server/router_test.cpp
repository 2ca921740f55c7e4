#include "router.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

namespace imroom::server {
namespace {

HttpRequest from(std::string method, std::string target, std::string origin) {
  HttpRequest r = req(std::move(method), std::move(target));
  r.host = "127.0.0.1:8080";
  r.origin = std::move(origin);
  return r;
}

TEST(OriginPolicy, OwnOriginAndListedOriginsOnly) {
  OriginPolicy policy({"http://127.0.0.1:9000"});
  EXPECT_TRUE(policy.allows("", "127.0.0.1:8080", false));
  EXPECT_TRUE(policy.allows("http://127.0.0.1:8080", "127.0.0.1:8080", false));
  EXPECT_FALSE(policy.allows("https://127.0.0.1:8080", "127.0.0.1:8080", false));  // another scheme is another origin
  EXPECT_TRUE(policy.allows("http://127.0.0.1:9000", "127.0.0.1:8080", false));
  EXPECT_FALSE(policy.allows("http://127.0.0.1:9001", "127.0.0.1:8080", false));
  EXPECT_TRUE(OriginPolicy({"*"}).allows("https://anywhere.example", "127.0.0.1:8080", false));
}

TEST(Router, PreflightAnswersAllowedOriginsAndRefusesOthers) {
  Router router(StaticFiles("/nonexistent"));
  router.setOrigins(OriginPolicy({"http://127.0.0.1:9000"}));
  HttpResponse ok = router.handle(from("OPTIONS", "/api/token", "http://127.0.0.1:9000"));
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(*ok.header("Access-Control-Allow-Origin"), "http://127.0.0.1:9000");
  EXPECT_NE(ok.header("Access-Control-Allow-Methods")->find("POST"), std::string::npos);
  EXPECT_EQ(*ok.header("Access-Control-Allow-Headers"), "Content-Type");
  HttpResponse refused = router.handle(from("OPTIONS", "/api/token", "http://evil.example"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.header("Access-Control-Allow-Origin"), nullptr);
  EXPECT_NE(refused.body.find("origin_not_allowed"), std::string::npos);
}

TEST(Router, CrossOriginAnswersNameTheAllowedOriginOnly) {
  auto root = std::filesystem::temp_directory_path() / "imroom_router_cors";
  std::filesystem::create_directories(root);
  { std::ofstream(root / "imroom-app.wasm") << "wasm"; }
  { std::ofstream(root / "embed.html") << "<!doctype html>"; }
  Router router{StaticFiles(root)};
  router.setOrigins(OriginPolicy({"http://127.0.0.1:9000"}));
  TokenSigner signer("k");
  SignalingApi api(SignalingConfig{}, signer, [] { return std::int64_t{1000}; });
  router.setApi(&api, 100);

  HttpResponse wasm = router.handle(from("GET", "/imroom-app.wasm", "http://127.0.0.1:9000"));
  EXPECT_EQ(wasm.status, 200);
  EXPECT_EQ(*wasm.header("Access-Control-Allow-Origin"), "http://127.0.0.1:9000");
  EXPECT_EQ(*wasm.header("Vary"), "Accept-Encoding, Origin") << "one header: caches key on both";
  EXPECT_EQ(router.handle(from("GET", "/imroom-app.wasm", "http://evil.example")).header("Access-Control-Allow-Origin"),
            nullptr);
  // Same origin needs no CORS headers.
  EXPECT_EQ(router.handle(from("GET", "/imroom-app.wasm", "http://127.0.0.1:8080")).header("Access-Control-Allow-Origin"),
            nullptr);
  HttpResponse ice = router.handle(from("POST", "/api/ice", "http://127.0.0.1:9000"));
  EXPECT_EQ(*ice.header("Access-Control-Allow-Origin"), "http://127.0.0.1:9000");

  // /embed is the widget page; pages say which sites may frame them.
  HttpResponse page = router.handle(from("GET", "/embed?room=lobby&name=ann", ""));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(*page.header("Content-Security-Policy"), "frame-ancestors 'self' http://127.0.0.1:9000");
  EXPECT_EQ(wasm.header("Content-Security-Policy"), nullptr);
  // Pages are cross-origin isolated (their own process group, a precise clock); an isolated page of another
  // site can still load our files, which answer its CORS requests above.
  EXPECT_EQ(*page.header("Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_EQ(*page.header("Cross-Origin-Embedder-Policy"), "require-corp");
  EXPECT_EQ(wasm.header("Cross-Origin-Embedder-Policy"), nullptr);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace imroom::server
