// Proxy mode against a real stand-in for the Xirsys cloud: a second imroom-server with a Xirsys account,
// both on loopback. Upstream failures become clear errors, and the account secret never reaches the
// browser or the log.
#include "server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_tmp.hpp"
#include "proxy_api.hpp"
#include "token.hpp"
#include "upstream_client.hpp"
#include "ws_client.hpp"

namespace imroom::server {
namespace {
namespace fs = std::filesystem;
namespace net = boost::asio;
using nlohmann::json;
using tcp = net::ip::tcp;

constexpr const char* kIdent = "acme-ident";
constexpr const char* kSecret = "S3cr3t-n0t-for-browsers";

struct Running {
  std::unique_ptr<Server> server;
  std::thread thread;
  ~Running() {
    if (thread.joinable()) {
      server->stop();
      thread.join();
    }
  }
};

std::unique_ptr<Running> start(ServerConfig cfg) {
  auto r = std::make_unique<Running>();
  cfg.port = 0;
  cfg.access_log = true;  // the log is scanned for the secret too
  r->server = std::make_unique<Server>(cfg);
  std::string error = r->server->start();
  EXPECT_EQ(error, "");
  r->thread = std::thread([s = r->server.get()] { s->run(); });
  return r;
}

// Raw HTTP request; returns the whole response (status line, headers, body). `headers`: extra lines, each
// ending in \r\n.
std::string request(unsigned short port, const std::string& method, const std::string& path, const std::string& body,
                    const std::string& headers = "") {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nContent-Type: application/json\r\nConnection: close\r\n" + headers +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  net::write(s, net::buffer(req));
  std::string out;
  char buf[4096];
  boost::system::error_code ec;
  for (std::size_t n; (n = s.read_some(net::buffer(buf), ec)) > 0 && !ec;) out.append(buf, n);
  return out;
}

std::string post(unsigned short port, const std::string& path, const std::string& body) {
  return request(port, "POST", path, body);
}

int statusOf(const std::string& res) { return res.size() > 12 ? std::stoi(res.substr(9, 3)) : -1; }
json bodyOf(const std::string& res) {
  auto at = res.find("\r\n\r\n");
  return at == std::string::npos ? json() : json::parse(res.substr(at + 4), nullptr, false);
}

class Proxy : public ::testing::Test {
 protected:
  void SetUp() override {
    ::testing::internal::CaptureStderr();
    root_ = testTmp("proxy");
    fs::remove_all(root_);
    fs::create_directories(root_ / "garbage/_host/chan");
    std::ofstream(root_ / "garbage/_host/chan/lobby") << "<html>this is not JSON</html>";
    ServerConfig x;  // the Xirsys stand-in
    x.root = root_.string();
    x.signaling.accounts = {{kIdent, kSecret}};
    x.signaling.stun_uris = {"stun:127.0.0.1:3478"};
    x.signaling.turn_uris = {"turn:127.0.0.1:3478"};
    x.signaling.turn_secret = "turn-shared-secret";
    xirsys_ = start(x);
  }
  void TearDown() override {
    proxy_.reset();
    xirsys_.reset();
    std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_FALSE(log.empty());
    scan("the log", log);
    fs::remove_all(root_);
  }
  void startProxy(const std::string& url, const std::string& secret = kSecret, int timeout_ms = 5000,
                  std::vector<std::string> allow_origins = {}) {
    ServerConfig p;
    p.allow_origins = std::move(allow_origins);
    p.root = "/nonexistent";
    p.xirsys = {kIdent, secret, "chan", url};
    p.upstream_timeout = std::chrono::milliseconds(timeout_ms);
    proxy_ = start(p);
  }
  std::string xirsysUrl() const { return "http://127.0.0.1:" + std::to_string(xirsys_->server->port()); }
  std::string call(const std::string& path, const std::string& body) {
    std::string res = post(proxy_->server->port(), path, body);
    scan("a response to the browser", res);
    return res;
  }
  static void scan(const std::string& where, const std::string& bytes) {
    EXPECT_EQ(bytes.find(kSecret), std::string::npos) << "the secret appears in " << where;
    EXPECT_EQ(bytes.find(base64Encode(std::string(kIdent) + ":" + kSecret)), std::string::npos)
        << "the Basic credentials appear in " << where;
  }

  fs::path root_;
  std::unique_ptr<Running> xirsys_, proxy_;
};

TEST_F(Proxy, TokenHostAndIceComeFromTheXirsysServiceAndTheSocketWorks) {
  startProxy(xirsysUrl());
  std::string token_res = call("/api/token", R"({"username":"ann","room":"lobby"})");
  ASSERT_EQ(statusOf(token_res), 200) << token_res;
  std::string token = bodyOf(token_res)["v"];
  std::string host_res = call("/api/host", R"({"username":"ann","room":"lobby"})");
  ASSERT_EQ(statusOf(host_res), 200) << host_res;
  EXPECT_EQ(bodyOf(host_res)["v"], "ws://127.0.0.1:" + std::to_string(xirsys_->server->port()));
  json ice = bodyOf(call("/api/ice", "{}"));
  ASSERT_EQ(ice["s"], "ok");
  EXPECT_EQ(ice["v"]["iceServers"][0]["urls"][0], "stun:127.0.0.1:3478");
  EXPECT_EQ(ice["v"]["iceServers"][1]["urls"][0], "turn:127.0.0.1:3478");

  // The browser then talks to the host the service named, with the service's token.
  testing::WsClient ws;
  ASSERT_EQ(ws.connect(xirsys_->server->port(), "/v2/" + token), 101) << ws.refusalBody();
  auto peers = ws.recvOp("peers");
  ASSERT_TRUE(peers);
  EXPECT_EQ((*peers)["m"]["f"], "/chan/lobby/__sys__");
  EXPECT_EQ((*peers)["p"]["users"], json({"ann"}));
}

TEST_F(Proxy, OneJoinRequestGetsTheTokenTheHostAndTheIceServersFromTheService) {
  startProxy(xirsysUrl());
  std::string res = call("/api/join", R"({"username":"ann","room":"lobby","client":"p1"})");
  ASSERT_EQ(statusOf(res), 200) << res;
  json v = bodyOf(res)["v"];
  EXPECT_EQ(v["host"], "ws://127.0.0.1:" + std::to_string(xirsys_->server->port()));
  EXPECT_EQ(v["iceServers"][0]["urls"][0], "stun:127.0.0.1:3478");
  EXPECT_EQ(v["iceServers"][1]["urls"][0], "turn:127.0.0.1:3478");
  EXPECT_FALSE(v.contains("iceError"));
  testing::WsClient ws;
  ASSERT_EQ(ws.connect(xirsys_->server->port(), "/v2/" + v["token"].get<std::string>()), 101) << ws.refusalBody();
  auto peers = ws.recvOp("peers");
  ASSERT_TRUE(peers);
  EXPECT_EQ((*peers)["p"]["users"], json({"ann"}));
  // Refused input is refused before the service is asked; a service that is down is one clear error.
  EXPECT_EQ(statusOf(call("/api/join", R"({"username":"a/b","room":"lobby"})")), 400);
}

TEST_F(Proxy, AJoinThroughAServiceThatRefusesTheAccountIsOneClearError) {
  startProxy(xirsysUrl(), "wrong-secret");
  std::string res = call("/api/join", R"({"username":"ann","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 502);
  EXPECT_NE(bodyOf(res)["v"].get<std::string>().find("check XIRSYS_IDENT and XIRSYS_SECRET"), std::string::npos);
  EXPECT_EQ(res.find("wrong-secret"), std::string::npos);
  // Three upstream calls failed, and /metrics counts each.
  std::string metrics = request(proxy_->server->port(), "GET", "/metrics", "");
  EXPECT_NE(metrics.find("imroom_upstream_errors_total 3"), std::string::npos) << metrics;
}

TEST_F(Proxy, AUserNameInAnyScriptReachesTheServiceEscapedAndComesBackWhole) {
  startProxy(xirsysUrl());
  const std::string boris = "\xd0\x91\xd0\xbe\xd1\x80\xd0\xb8\xd1\x81";  // Борис
  const std::string body = json{{"username", boris}, {"room", "lobby"}}.dump();
  std::string token_res = call("/api/token", body);
  ASSERT_EQ(statusOf(token_res), 200) << token_res;
  ASSERT_EQ(statusOf(call("/api/host", body)), 200);
  testing::WsClient ws;
  ASSERT_EQ(ws.connect(xirsys_->server->port(), "/v2/" + bodyOf(token_res)["v"].get<std::string>()), 101);
  auto peers = ws.recvOp("peers");
  ASSERT_TRUE(peers);
  EXPECT_EQ((*peers)["p"]["users"], json({boris}));
  EXPECT_EQ((*peers)["m"]["t"], boris);
  // A name the rule refuses is refused here, before the service is asked.
  EXPECT_EQ(statusOf(call("/api/token", R"({"username":"\u0430nn","room":"lobby"})")), 400);  // Cyrillic а + nn
}

TEST_F(Proxy, AnotherSiteAllowedByTheServerGetsCorsAnswersOthersDoNot) {
  startProxy(xirsysUrl(), kSecret, 5000, {"http://127.0.0.1:9000"});
  const unsigned short port = proxy_->server->port();
  const std::string preflight = "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n";
  std::string ok = request(port, "OPTIONS", "/api/token", "", "Origin: http://127.0.0.1:9000\r\n" + preflight);
  EXPECT_EQ(statusOf(ok), 204) << ok;
  EXPECT_NE(ok.find("Access-Control-Allow-Origin: http://127.0.0.1:9000"), std::string::npos) << ok;
  std::string refused = request(port, "OPTIONS", "/api/token", "", "Origin: http://evil.example\r\n" + preflight);
  EXPECT_EQ(statusOf(refused), 403) << refused;
  EXPECT_EQ(refused.find("Access-Control-Allow-Origin"), std::string::npos);
  // The proxied answer itself carries the header for the allowed site only.
  std::string token = request(port, "POST", "/api/token", R"({"username":"ann","room":"lobby"})",
                              "Origin: http://127.0.0.1:9000\r\n");
  scan("a response to the browser", token);
  EXPECT_EQ(statusOf(token), 200) << token;
  EXPECT_NE(token.find("Access-Control-Allow-Origin: http://127.0.0.1:9000"), std::string::npos) << token;
  std::string other = request(port, "POST", "/api/token", R"({"username":"bob","room":"lobby"})",
                              "Origin: http://evil.example\r\n");
  EXPECT_EQ(other.find("Access-Control-Allow-Origin"), std::string::npos) << other;
}

TEST_F(Proxy, BadBrowserInputIsRefusedWithoutAskingUpstream) {
  startProxy(xirsysUrl());
  std::string res = call("/api/token", R"({"username":"a/b","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 400);
  EXPECT_EQ(bodyOf(res)["v"], "bad_request: invalid username");
}

TEST_F(Proxy, AWrongSecretUpstreamIsAClearErrorThatNamesNoSecret) {
  startProxy(xirsysUrl(), "wrong-secret");
  std::string res = call("/api/token", R"({"username":"ann","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 502);
  EXPECT_EQ(bodyOf(res)["s"], "error");
  EXPECT_NE(bodyOf(res)["v"].get<std::string>().find("check XIRSYS_IDENT and XIRSYS_SECRET"), std::string::npos);
  EXPECT_EQ(res.find("wrong-secret"), std::string::npos);
}

TEST_F(Proxy, AnUnreachableServiceIsUpstreamUnavailable) {
  net::io_context ioc;
  tcp::acceptor closed(ioc, {net::ip::make_address("127.0.0.1"), 0});
  unsigned short port = closed.local_endpoint().port();
  closed.close();  // nothing listens there now
  startProxy("http://127.0.0.1:" + std::to_string(port));
  std::string res = call("/api/host", R"({"username":"ann","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 502);
  EXPECT_EQ(bodyOf(res)["v"].get<std::string>().rfind("upstream_unavailable", 0), 0u);
}

TEST_F(Proxy, AServiceThatNeverAnswersTimesOut) {
  net::io_context ioc;
  tcp::acceptor silent(ioc, {net::ip::make_address("127.0.0.1"), 0});  // listens, never answers
  startProxy("http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()), kSecret, 500);
  auto started = std::chrono::steady_clock::now();
  std::string res = call("/api/token", R"({"username":"ann","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 504);
  EXPECT_EQ(bodyOf(res)["v"].get<std::string>().rfind("upstream_timeout", 0), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(Proxy, GarbageFromTheServiceIsAnUpstreamError) {
  startProxy(xirsysUrl() + "/garbage");  // the stand-in serves an HTML file where JSON should be
  std::string res = call("/api/host", R"({"username":"ann","room":"lobby"})");
  EXPECT_EQ(statusOf(res), 502);
  EXPECT_NE(bodyOf(res)["v"].get<std::string>().find("invalid answer"), std::string::npos);
}

// The answer to a join is made of three upstream answers: what each failure becomes (pure: ProxyApi).
TEST(ProxyJoin, TheTokenAndHostAreNeededTheIceServersMayFail) {
  ProxyApi api(XirsysConfig{kIdent, kSecret, "chan", "http://127.0.0.1:1"});
  HttpRequest req;
  req.method = "POST";
  req.target = "/api/join";
  req.body = R"({"username":"ann","room":"lobby"})";
  auto plan = api.plan(req);
  ASSERT_EQ(plan.index(), 0u);
  const auto& sent = std::get<std::vector<UpstreamRequest>>(plan);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].target, "/_token/chan/lobby?k=ann");
  EXPECT_EQ(sent[1].target, "/_host/chan/lobby?type=signal&k=ann");
  EXPECT_EQ(sent[2].target, "/_turn/chan");
  const UpstreamResult token{UpstreamResult::Failure::kNone, 200, R"({"s":"ok","v":"tok"})"};
  const UpstreamResult host{UpstreamResult::Failure::kNone, 200, R"({"s":"ok","v":"wss://h.example"})"};
  const UpstreamResult ice{UpstreamResult::Failure::kNone, 200, R"({"s":"ok","v":{"iceServers":[{"urls":"stun:x"}],"extra":1}})"};
  const UpstreamResult down{UpstreamResult::Failure::kUnavailable, 0, ""};
  const UpstreamResult refused{UpstreamResult::Failure::kNone, 200, R"({"s":"error","v":"no_such_channel"})"};

  ProxyApi::Answer all = api.answer(sent, {token, host, ice});
  ASSERT_EQ(all.response.status, 200);
  EXPECT_EQ(all.upstream_errors, 0);
  json v = json::parse(all.response.body)["v"];
  EXPECT_EQ(v, json({{"token", "tok"}, {"host", "wss://h.example"}, {"iceServers", {{{"urls", "stun:x"}}}}}));

  ProxyApi::Answer no_ice = api.answer(sent, {token, host, down});  // a member joins without relays
  ASSERT_EQ(no_ice.response.status, 200);
  EXPECT_EQ(no_ice.upstream_errors, 1);
  json w = json::parse(no_ice.response.body)["v"];
  EXPECT_EQ(w["token"], "tok");
  EXPECT_FALSE(w.contains("iceServers"));
  EXPECT_EQ(w["iceError"].get<std::string>().rfind("upstream_unavailable", 0), 0u);

  ProxyApi::Answer no_host = api.answer(sent, {token, refused, ice});
  EXPECT_EQ(no_host.response.status, 502);
  EXPECT_EQ(json::parse(no_host.response.body)["v"], "upstream_error: no_such_channel");
  EXPECT_EQ(no_host.upstream_errors, 1);
  EXPECT_EQ(api.answer(sent, {down, down, down}).response.status, 502);
  EXPECT_EQ(api.answer(sent, {down, down, down}).upstream_errors, 3);
}

TEST(UpstreamUrl, Parses) {
  auto a = parseUpstreamUrl("https://global.xirsys.net");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->tls);
  EXPECT_EQ(a->port, "443");
  auto b = parseUpstreamUrl("http://127.0.0.1:9000/base/");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->port, "9000");
  EXPECT_EQ(b->base, "/base");
  EXPECT_FALSE(parseUpstreamUrl("ftp://x"));
  EXPECT_FALSE(parseUpstreamUrl("http://:80"));
  EXPECT_FALSE(parseUpstreamUrl("http://h:8x"));
}

}  // namespace
}  // namespace imroom::server
