// The real imroom-server, listening on 127.0.0.1, spoken to with raw bytes so that malformed requests
// reach it exactly as an attacker would send them.
#include "server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_tmp.hpp"

namespace imroom::server {
namespace {
namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class LoopbackServer : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = testTmp("loopback") / "root";
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream(root_ / "index.html") << "<!doctype html><title>imroom</title>";
    std::ofstream(root_ / "index.html.gz") << "GZ-TWIN";
    std::ofstream(root_.parent_path() / "secret.txt") << "top secret";
    ServerConfig cfg;
    cfg.port = 0;
    cfg.root = root_.string();
    cfg.header_timeout = std::chrono::milliseconds(500);
    cfg.body_limit = 1024;
    cfg.access_log = false;
    server_ = std::make_unique<Server>(cfg);
    ASSERT_EQ(server_->start(), "");
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
    fs::remove_all(root_.parent_path());
  }

  tcp::socket connect() {
    tcp::socket s(client_ioc_);
    s.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    return s;
  }

  // Sends raw bytes and reads until the server closes (or `max_wait` passes).
  std::string exchange(const std::string& raw, std::chrono::milliseconds max_wait = std::chrono::seconds(5)) {
    tcp::socket s = connect();
    net::write(s, net::buffer(raw));
    return readAll(s, max_wait);
  }

  static std::string readAll(tcp::socket& s, std::chrono::milliseconds max_wait) {
    timeval tv{static_cast<long>(max_wait.count() / 1000), static_cast<long>((max_wait.count() % 1000) * 1000)};
    setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    boost::system::error_code ec;
    for (;;) {
      std::size_t n = s.read_some(net::buffer(buf), ec);
      if (ec) break;
      out.append(buf, n);
    }
    return out;
  }

  static int statusOf(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0) return -1;
    return std::stoi(response.substr(9, 3));
  }

  // After any abuse, a well-behaved client is still served.
  void expectStillServing() {
    std::string res = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(statusOf(res), 200) << res;
  }

  fs::path root_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  net::io_context client_ioc_;
};

TEST_F(LoopbackServer, ServesTheAppWithTypeLengthAndValidator) {
  std::string res = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(statusOf(res), 200);
  EXPECT_NE(res.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos) << res;
  EXPECT_NE(res.find("Content-Length: 36\r\n"), std::string::npos) << res;
  EXPECT_NE(res.find("ETag: \""), std::string::npos);
  EXPECT_NE(res.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(res.find("\r\n\r\n<!doctype html><title>imroom</title>"), std::string::npos);
}

TEST_F(LoopbackServer, GzipClientsGetThePrecompressedTwin) {
  std::string res = exchange("GET /index.html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(statusOf(res), 200);
  EXPECT_NE(res.find("Content-Encoding: gzip\r\n"), std::string::npos) << res;
  EXPECT_NE(res.find("\r\n\r\nGZ-TWIN"), std::string::npos);
}

TEST_F(LoopbackServer, KeepAliveServesSeveralRequestsAndRevalidates) {
  tcp::socket s = connect();
  net::write(s, net::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
  // Read just the first response (headers + 36-byte body).
  std::string first;
  char c;
  while (first.find("\r\n\r\n") == std::string::npos) {
    net::read(s, net::buffer(&c, 1));
    first.push_back(c);
  }
  std::string body(36, '\0');
  net::read(s, net::buffer(body));
  auto at = first.find("ETag: ");
  ASSERT_NE(at, std::string::npos);
  std::string etag = first.substr(at + 6, first.find("\r\n", at) - at - 6);
  net::write(s, net::buffer("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\nConnection: close\r\n\r\n"));
  std::string second = readAll(s, std::chrono::seconds(5));
  EXPECT_EQ(statusOf(second), 304) << second;
}

TEST_F(LoopbackServer, HeadSendsHeadersOnly) {
  std::string res = exchange("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(statusOf(res), 200);
  EXPECT_NE(res.find("Content-Length: 36\r\n"), std::string::npos);
  EXPECT_EQ(res.find("<!doctype"), std::string::npos);
}

struct AbuseCase {
  std::string name;
  std::string raw;
  int status;
  friend void PrintTo(const AbuseCase& c, std::ostream* os) { *os << c.name; }
};

class LoopbackAbuse : public LoopbackServer, public ::testing::WithParamInterface<AbuseCase> {};

TEST_P(LoopbackAbuse, RejectedClearlyAndServerCarriesOn) {
  std::string res = exchange(GetParam().raw);
  EXPECT_EQ(statusOf(res), GetParam().status) << res.substr(0, 200);
  EXPECT_EQ(res.find("top secret"), std::string::npos);
  expectStillServing();
}

const std::string kEnd = " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
INSTANTIATE_TEST_SUITE_P(
    Table, LoopbackAbuse,
    ::testing::Values(
        AbuseCase{"DotDot", "GET /../secret.txt" + kEnd, 400},
        AbuseCase{"EncodedDotDot", "GET /%2e%2e/secret.txt" + kEnd, 400},
        AbuseCase{"EncodedSlash", "GET /..%2fsecret.txt" + kEnd, 400},
        AbuseCase{"Backslash", "GET /..\\secret.txt" + kEnd, 400},
        AbuseCase{"AbsoluteForm", "GET http://x/../secret.txt" + kEnd, 400},
        AbuseCase{"AbsolutePath", "GET //etc/passwd" + kEnd, 404},
        AbuseCase{"EncodedNul", "GET /index.html%00.txt" + kEnd, 400},
        AbuseCase{"RawNul", std::string("GET /index.html\0.txt", 20) + kEnd, 400},
        AbuseCase{"OverlongUrl", "GET /" + std::string(4000, 'a') + kEnd, 414},
        AbuseCase{"HeadTooLarge", "GET /" + std::string(9000, 'a') + kEnd, 431},
        AbuseCase{"Garbage", "HELLO THERE\r\n\r\n", 400},
        AbuseCase{"BodyTooLarge",
                  "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x'), 413},
        AbuseCase{"WrongMethod", "DELETE /index.html" + kEnd, 405}),
    [](const ::testing::TestParamInfo<AbuseCase>& tp) { return tp.param.name; });

TEST_F(LoopbackServer, AHeaderThatNeverEndsIsCutOffAndOthersAreServedMeanwhile) {
  tcp::socket slow = connect();
  net::write(slow, net::buffer(std::string("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")));
  expectStillServing();  // the slow client does not block anyone
  auto started = std::chrono::steady_clock::now();
  std::string res = readAll(slow, std::chrono::seconds(10));
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(res, "");  // closed without a response
  EXPECT_LT(waited, std::chrono::seconds(5));  // well before our 10 s read limit: the server closed it
}

TEST_F(LoopbackServer, HealthzAnswers) {
  std::string res = exchange("GET /healthz" + kEnd);
  EXPECT_EQ(statusOf(res), 200);
  EXPECT_NE(res.find("\"status\":\"ok\""), std::string::npos);
}

TEST(ServerStart, ReportsAPortInUse) {
  ServerConfig cfg;
  cfg.port = 0;
  cfg.access_log = false;
  Server first(cfg);
  ASSERT_EQ(first.start(), "");
  cfg.port = first.port();
  Server second(cfg);
  std::string error = second.start();
  EXPECT_NE(error.find("bind 127.0.0.1:" + std::to_string(cfg.port)), std::string::npos) << error;
}

TEST(ServerStart, ReportsABadAddress) {
  ServerConfig cfg;
  cfg.host = "not-an-address";
  Server server(cfg);
  EXPECT_EQ(server.start(), "invalid listen address 'not-an-address'");
}

}  // namespace
}  // namespace imroom::server
