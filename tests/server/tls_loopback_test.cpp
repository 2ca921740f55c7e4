// https and wss on one port with a self-signed certificate made for the test (openssl CLI).
#include "server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "test_tmp.hpp"
#include "token.hpp"

namespace imroom::server {
namespace {
namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testTmp("tls");
    fs::create_directories(dir_);
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
                      (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
    ServerConfig cfg;
    cfg.port = 0;
    cfg.root = "/nonexistent";
    cfg.access_log = false;
    cfg.token_secret = "tls-test";
    cfg.tls_cert = (dir_ / "cert.pem").string();
    cfg.tls_key = (dir_ / "key.pem").string();
    server_ = std::make_unique<Server>(cfg);
    ASSERT_EQ(server_->start(), "");
    ASSERT_TRUE(server_->tls());
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
    fs::remove_all(dir_);
  }

  // Connects with TLS (the test trusts its own certificate by not verifying).
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> connectTls() {
    auto s = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, client_ctx_);
    beast::get_lowest_layer(*s).connect({net::ip::make_address("127.0.0.1"), server_->port()});
    s->handshake(ssl::stream_base::client);
    return s;
  }

  fs::path dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  net::io_context ioc_;
  ssl::context client_ctx_{ssl::context::tls_client};
};

TEST_F(Tls, HttpsServesAndHostSaysWss) {
  auto s = connectTls();
  http::request<http::string_body> req{http::verb::post, "/api/host", 11};
  req.set(http::field::host, "localhost:" + std::to_string(server_->port()));
  req.body() = "{}";
  req.prepare_payload();
  http::write(*s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(*s, buf, res);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "{\"s\":\"ok\",\"v\":\"wss://localhost:" + std::to_string(server_->port()) + "\"}\n");
}

TEST_F(Tls, WssCarriesTheSignaling) {
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc_, client_ctx_);
  beast::get_lowest_layer(ws).connect({net::ip::make_address("127.0.0.1"), server_->port()});
  ws.next_layer().handshake(ssl::stream_base::client);
  std::string token = TokenSigner("tls-test").issue({"imroom/a", "ann", "", std::time(nullptr) + 60});
  ws.handshake("localhost", "/v2/" + token);
  beast::flat_buffer buf;
  ws.read(buf);
  EXPECT_NE(beast::buffers_to_string(buf.data()).find("\"peers\""), std::string::npos);
  ws.close(beast::websocket::close_code::normal);
}

TEST_F(Tls, PlainHttpToTheTlsPortIsDroppedAndTheServerCarriesOn) {
  beast::tcp_stream plain(ioc_);
  plain.connect({net::ip::make_address("127.0.0.1"), server_->port()});
  std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  net::write(plain, net::buffer(raw));
  char c;
  boost::system::error_code ec;
  net::read(plain, net::buffer(&c, 1), ec);  // the server gives up on the TLS handshake and closes
  EXPECT_TRUE(ec);
  auto s = connectTls();  // and still serves TLS clients
  http::request<http::empty_body> req{http::verb::get, "/healthz", 11};
  req.set(http::field::host, "x");
  http::write(*s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(*s, buf, res);
  EXPECT_EQ(res.result_int(), 200u);
}

TEST(TlsStart, ReportsAMissingCertificate) {
  ServerConfig cfg;
  cfg.port = 0;
  cfg.tls_cert = "/nonexistent/cert.pem";
  cfg.tls_key = "/nonexistent/key.pem";
  Server server(cfg);
  EXPECT_EQ(server.start().rfind("cannot use the TLS certificate '/nonexistent/cert.pem'", 0), 0u);
}

}  // namespace
}  // namespace imroom::server
