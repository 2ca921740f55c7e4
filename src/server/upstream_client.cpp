#include "upstream_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

#include "log.hpp"
#include "version.hpp"

namespace imroom::server {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::optional<UpstreamUrl> parseUpstreamUrl(const std::string& url) {
  UpstreamUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    out.tls = false;
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.base = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.base.empty() && out.base.back() == '/') out.base.pop_back();
  std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
    out.port = out.tls ? "443" : "80";
  }
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return out;
}

namespace {

// One request/response exchange; keeps itself alive through its handlers.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(net::io_context& ioc, ssl::context* ssl, const UpstreamUrl& url, http::request<http::string_body> req,
           std::chrono::milliseconds timeout, std::function<void(UpstreamResult)> done)
      : resolver_(ioc), url_(url), req_(std::move(req)), timeout_(timeout), done_(std::move(done)) {
    if (ssl) tls_.emplace(net::make_strand(ioc), *ssl);
    else plain_.emplace(net::make_strand(ioc));
  }

  void start() {
    deadline_ = std::chrono::steady_clock::now() + timeout_;
    resolver_.async_resolve(url_.host, url_.port, [self = shared_from_this()](auto ec, auto results) {
      if (ec) return self->finish(UpstreamResult::Failure::kUnavailable, "resolve: " + ec.message());
      self->lowest().expires_at(self->deadline_);
      self->lowest().async_connect(results, [self](auto ec2, auto) { self->onConnect(ec2); });
    });
  }

 private:
  beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  void onConnect(boost::system::error_code ec) {
    if (ec) return fail(ec, "connect");
    if (!tls_) return write();
    if (!SSL_set_tlsext_host_name(tls_->native_handle(), url_.host.c_str())) return finish(UpstreamResult::Failure::kUnavailable, "SNI");
    tls_->set_verify_callback(ssl::host_name_verification(url_.host));
    tls_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](auto ec2) {
      if (ec2) return self->fail(ec2, "TLS handshake");
      self->write();
    });
  }

  void write() {
    auto next = [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return self->fail(ec, "write");
      self->read();
    };
    if (tls_) http::async_write(*tls_, req_, next);
    else http::async_write(*plain_, req_, next);
  }

  void read() {
    parser_.body_limit(256 * 1024);
    auto next = [self = shared_from_this()](auto ec, std::size_t) {
      if (ec) return self->fail(ec, "read");
      UpstreamResult r;
      r.status = static_cast<int>(self->parser_.get().result_int());
      r.body = std::move(self->parser_.get().body());
      self->deliver(std::move(r));
    };
    if (tls_) http::async_read(*tls_, buffer_, parser_, next);
    else http::async_read(*plain_, buffer_, parser_, next);
  }

  void fail(boost::system::error_code ec, const char* what) {
    bool timeout = ec == beast::error::timeout;
    finish(timeout ? UpstreamResult::Failure::kTimeout : UpstreamResult::Failure::kUnavailable,
           std::string(what) + ": " + ec.message());
  }

  void finish(UpstreamResult::Failure failure, const std::string& why) {
    // The request line names the endpoint and user; the Authorization header is never logged.
    logLine(LogLevel::kWarn, "upstream " + std::string(req_.method_string()) + " " + logSafe(req_.target()) +
                                 " failed: " + why);
    UpstreamResult r;
    r.failure = failure;
    deliver(std::move(r));
  }

  void deliver(UpstreamResult r) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    boost::system::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    done(std::move(r));
  }

  tcp::resolver resolver_;
  UpstreamUrl url_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::optional<beast::tcp_stream> plain_;
  http::request<http::string_body> req_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
  std::function<void(UpstreamResult)> done_;
};

}  // namespace

UpstreamClient::UpstreamClient(net::io_context& ioc, UpstreamUrl url, std::string authorization,
                               std::chrono::milliseconds timeout)
    : ioc_(ioc), url_(std::move(url)), authorization_(std::move(authorization)), timeout_(timeout) {
  if (url_.tls) {
    ssl_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    ssl_->set_default_verify_paths();
    ssl_->set_verify_mode(ssl::verify_peer);
  }
}

UpstreamClient::~UpstreamClient() = default;

void UpstreamClient::request(const UpstreamRequest& r, std::function<void(UpstreamResult)> done) {
  http::request<http::string_body> req{r.method == "GET" ? http::verb::get : http::verb::put, url_.base + r.target, 11};
  bool default_port = url_.port == (url_.tls ? "443" : "80");
  req.set(http::field::host, default_port ? url_.host : url_.host + ":" + url_.port);
  req.set(http::field::user_agent, std::string("imroom-server/") + kVersion);
  req.set(http::field::authorization, authorization_);
  req.set(http::field::accept, "application/json");
  if (!r.body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = r.body;
  req.prepare_payload();
  req.keep_alive(false);
  std::make_shared<Exchange>(ioc_, ssl_.get(), url_, std::move(req), timeout_, std::move(done))->start();
}

}  // namespace imroom::server
