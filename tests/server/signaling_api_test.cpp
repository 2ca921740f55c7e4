#include "signaling_api.hpp"
#include "rate_limiter.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace imroom::server {
namespace {
using nlohmann::json;

class SignalingApiTest : public ::testing::Test {
 protected:
  SignalingApiTest() {
    config_.stun_uris = {"stun:127.0.0.1:3478"};
    config_.turn_uris = {"turn:127.0.0.1:3478?transport=udp"};
    config_.turn_secret = "turn-secret";
    config_.accounts = {{"ident1", "s3cret"}};
  }
  SignalingConfig config_;
  TokenSigner signer_{"token-key"};
  std::int64_t now_ = 1'700'000'000;
  SignalingApi api() { return SignalingApi(config_, signer_, [this] { return now_; }); }

  static HttpRequest request(std::string method, std::string target, std::string body = "",
                             std::string auth = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.authorization = std::move(auth);
    r.host = "localhost:8080";
    return r;
  }
  static json bodyOf(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }
  static std::string basic(const std::string& user_pass) { return "Basic " + base64Encode(user_pass); }
};

TEST_F(SignalingApiTest, ApiTokenIsBoundToChannelRoomUserAndClient) {
  auto res = api().handle(request("POST", "/api/token", R"({"username":"ann","room":"lobby","client":"p1"})"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  json b = bodyOf(*res);
  EXPECT_EQ(b["s"], "ok");
  TokenCheck check = signer_.verify(b["v"].get<std::string>(), now_);
  ASSERT_TRUE(check.claims);
  EXPECT_EQ(check.claims->path, "imroom/lobby");
  EXPECT_EQ(check.claims->user, "ann");
  EXPECT_EQ(check.claims->client, "p1");
  EXPECT_EQ(check.claims->expiry, now_ + 300);
}

TEST_F(SignalingApiTest, UserNamesInOtherScriptsGetTokensMixedScriptsDoNot) {
  const std::string li = "\xe6\x9d\x8e\xe9\x9b\xb7";  // 李雷
  auto res = api().handle(request("POST", "/api/token", json{{"username", li}, {"room", "lobby"}}.dump()));
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(signer_.verify(bodyOf(*res)["v"].get<std::string>(), now_).claims->user, li);
  std::string auth = basic("ident1:s3cret");
  json token = bodyOf(*api().handle(request("PUT", "/_token/imroom?k=%E6%9D%8E%E9%9B%B7", "", auth)));
  ASSERT_EQ(token["s"], "ok");
  EXPECT_EQ(signer_.verify(token["v"].get<std::string>(), now_).claims->user, li);
  for (const char* body :
       {R"({"username":"\u0430nn","room":"lobby"})", R"({"username":"ann","room":"\u043b\u043e"})"}) {
    EXPECT_EQ(api().handle(request("POST", "/api/token", body))->status, 400) << body;  // mixed; a Cyrillic room
  }
  EXPECT_EQ(api().handle(request("PUT", "/_token/imroom?k=%D0%B0nn", "", auth))->status, 400);
  // The TURN username stays ASCII: its user part is percent-encoded.
  json ice = bodyOf(*api().handle(request("POST", "/api/ice", json{{"username", li}}.dump())))["v"];
  std::string turn_user = std::to_string(now_ + 86400) + ":%E6%9D%8E%E9%9B%B7";
  EXPECT_EQ(ice["iceServers"][1]["username"], turn_user);
  EXPECT_EQ(ice["iceServers"][1]["credential"], base64Encode(hmacSha1("turn-secret", turn_user)));
}

TEST_F(SignalingApiTest, ApiTokenRefusesBadInputWithAReason) {
  for (const char* body : {"", "[]", "{", R"({"username":"ann"})", R"({"username":"a b","room":"x"})",
                           R"({"username":"ann","room":"../etc"})", R"({"username":5,"room":"x"})",
                           R"({"username":"ann","room":"x","client":"bad client"})"}) {
    auto res = api().handle(request("POST", "/api/token", body));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_EQ(bodyOf(*res)["s"], "error") << body;
  }
  EXPECT_EQ(api().handle(request("GET", "/api/token"))->status, 405);
}

TEST_F(SignalingApiTest, ApiHostPointsAtThisServer) {
  json b = bodyOf(*api().handle(request("POST", "/api/host", R"({"username":"ann","room":"lobby"})")));
  EXPECT_EQ(b["v"], "ws://localhost:8080");
  HttpRequest secure = request("POST", "/api/host", "{}");
  secure.secure = true;
  secure.host = "evil\r\nheader";  // never echoed
  EXPECT_EQ(bodyOf(*api().handle(secure))["v"], "wss://localhost");
  config_.public_url = "wss://rooms.example.org";
  EXPECT_EQ(bodyOf(*api().handle(request("POST", "/api/host", "{}")))["v"], "wss://rooms.example.org");
}

TEST_F(SignalingApiTest, ApiIceGivesStunAndTimeLimitedTurnCredentials) {
  json v = bodyOf(*api().handle(request("POST", "/api/ice", R"({"username":"ann"})")))["v"];
  ASSERT_EQ(v["iceServers"].size(), 2u);
  EXPECT_EQ(v["iceServers"][0]["urls"], json({"stun:127.0.0.1:3478"}));
  json turn = v["iceServers"][1];
  std::string user = std::to_string(now_ + 86400) + ":ann";
  EXPECT_EQ(turn["username"], user);
  EXPECT_EQ(turn["credential"], base64Encode(hmacSha1("turn-secret", user)));
}

TEST_F(SignalingApiTest, ApiJoinAnswersWithTheTokenTheHostAndTheIceServersAtOnce) {
  auto res = api().handle(request("POST", "/api/join", R"({"username":"ann","room":"lobby","client":"p1"})"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json v = bodyOf(*res)["v"];
  TokenCheck check = signer_.verify(v["token"].get<std::string>(), now_);
  ASSERT_TRUE(check.claims);
  EXPECT_EQ(check.claims->path, "imroom/lobby");
  EXPECT_EQ(check.claims->user, "ann");
  EXPECT_EQ(check.claims->client, "p1");
  EXPECT_EQ(v["host"], "ws://localhost:8080");
  ASSERT_EQ(v["iceServers"].size(), 2u);
  const std::string turn_user = std::to_string(now_ + 86400) + ":ann";
  EXPECT_EQ(v["iceServers"][1]["username"], turn_user);
  EXPECT_EQ(v["iceServers"][1]["credential"], base64Encode(hmacSha1("turn-secret", turn_user)));
  // It refuses what /api/token refuses, for the same reasons.
  for (const char* body : {"", "[]", R"({"username":"ann"})", R"({"username":"a b","room":"x"})",
                           R"({"username":"ann","room":"x","client":"bad client"})"}) {
    auto bad = api().handle(request("POST", "/api/join", body));
    EXPECT_EQ(bad->status, 400) << body;
    EXPECT_EQ(bodyOf(*bad)["s"], "error") << body;
  }
  EXPECT_EQ(api().handle(request("GET", "/api/join"))->status, 405);
}

TEST_F(SignalingApiTest, XirsysEndpointsNeedTheAccount) {
  for (auto auth : {std::string(), basic("ident1:wrong"), basic("other:s3cret"), std::string("Basic !!!"),
                    std::string("Bearer x"), basic("ident1")}) {
    auto res = api().handle(request("PUT", "/_token/imroom?k=ann", "", auth));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << auth;
    EXPECT_EQ(bodyOf(*res)["v"], "unauthorized");
    ASSERT_NE(res->header("WWW-Authenticate"), nullptr);
    EXPECT_EQ(res->body.find("s3cret"), std::string::npos);
  }
}

TEST_F(SignalingApiTest, XirsysTokenHostAndTurnLikeTheGuide) {
  std::string auth = basic("ident1:s3cret");
  json token = bodyOf(*api().handle(request("PUT", "/_token/sampleAppChannel?k=ann&expire=120", "", auth)));
  EXPECT_EQ(token["s"], "ok");
  TokenCheck check = signer_.verify(token["v"].get<std::string>(), now_);
  ASSERT_TRUE(check.claims);
  EXPECT_EQ(check.claims->path, "sampleAppChannel");
  EXPECT_EQ(check.claims->expiry, now_ + 120);
  json dflt = bodyOf(*api().handle(request("PUT", "/_token/sampleAppChannel/room2?k=bob", "", auth)));
  EXPECT_EQ(signer_.verify(dflt["v"].get<std::string>(), now_).claims->expiry, now_ + 60);
  json host = bodyOf(*api().handle(request("GET", "/_host/sampleAppChannel?type=signal&k=ann", "", auth)));
  EXPECT_EQ(host["v"], "ws://localhost:8080");
  json classic = bodyOf(*api().handle(request("PUT", "/_turn/sampleAppChannel", "", auth)));
  EXPECT_EQ(classic["v"]["iceServers"][0]["url"], "stun:127.0.0.1:3478");
  json urls = bodyOf(*api().handle(request("PUT", "/_turn/sampleAppChannel", R"({"format":"urls"})", auth)));
  EXPECT_EQ(urls["v"]["iceServers"][1]["urls"][0], "turn:127.0.0.1:3478?transport=udp");
}

TEST_F(SignalingApiTest, XirsysBadRequests) {
  std::string auth = basic("ident1:s3cret");
  struct Case { const char* method; const char* target; int status; };
  for (Case c : {Case{"PUT", "/_token/imroom", 400}, Case{"PUT", "/_token/imroom?k=a%20b", 400},
                 Case{"PUT", "/_token/imroom?k=ann&expire=0", 400}, Case{"PUT", "/_token/imroom?k=ann&expire=x", 400},
                 Case{"PUT", "/_token/../x?k=ann", 404}, Case{"PUT", "/_token/a/b/c/d/e?k=ann", 404},
                 Case{"GET", "/_token/imroom?k=ann", 405}, Case{"GET", "/_host/imroom?type=turn&k=ann", 400},
                 Case{"PUT", "/_nothing/imroom", 0}}) {
    auto res = api().handle(request(c.method, c.target, "", auth));
    if (c.status == 0) {
      EXPECT_FALSE(res) << c.target;
      continue;
    }
    ASSERT_TRUE(res) << c.target;
    EXPECT_EQ(res->status, c.status) << c.method << " " << c.target;
    EXPECT_EQ(bodyOf(*res)["s"], "error");
  }
}

TEST(RateLimiter, AllowsBurstThenRate) {
  AddressRateLimiter limiter(2, 4);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.allow("10.0.0.1", 100.0);
  EXPECT_EQ(allowed, 4);
  EXPECT_TRUE(limiter.allow("10.0.0.2", 100.0));  // per address
  EXPECT_TRUE(limiter.allow("10.0.0.1", 100.5));  // 0.5 s later: one more
  EXPECT_FALSE(limiter.allow("10.0.0.1", 100.5));
  limiter.allow("10.0.0.3", 1000.0);  // a minute later, full buckets are forgotten
  EXPECT_EQ(limiter.tracked(), 1u);
}

}  // namespace
}  // namespace imroom::server
