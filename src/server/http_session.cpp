#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <ctime>

#include "log.hpp"
#include "signaling_api.hpp"
#include "websocket_session.hpp"
#include "server_context.hpp"
#include "version.hpp"

namespace imroom::server {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

namespace {

std::string httpDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

template <class Body>
void copyHeaders(http::response<Body>& out, const HttpResponse& in, bool keep_alive) {
  out.set(http::field::server, std::string("imroom/") + kVersion);
  out.set(http::field::date, httpDate());
  for (const auto& [name, value] : in.headers) out.set(name, value);
  out.keep_alive(keep_alive);
}

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, std::shared_ptr<ServerContext> context)
    : stream_(std::move(stream)), context_(std::move(context)) {
  boost::system::error_code ec;
  auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  remote_ = ec ? "?" : ep.address().to_string();
}

template <class Stream>
void HttpSession<Stream>::run() {
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
}

template <class Stream>
void HttpSession<Stream>::start() {
  if constexpr (kTls) {
    // The TLS handshake shares the header deadline: a client that stalls it is cut off the same way.
    beast::get_lowest_layer(stream_).expires_after(context_->config.header_timeout);
    stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](auto ec) {
      if (ec) return self->doClose();  // e.g. plain HTTP sent to the TLS port
      self->doRead();
    });
  } else {
    doRead();
  }
}

template <class Stream>
void HttpSession<Stream>::doRead() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(context_->config.header_limit));
  parser_->body_limit(context_->config.body_limit);
  // One deadline for the whole request: a client that trickles its headers (slowloris) is cut off.
  beast::get_lowest_layer(stream_).expires_after(context_->config.header_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](auto ec, std::size_t n) { self->onRead(ec, n); });
}

template <class Stream>
void HttpSession<Stream>::onRead(boost::system::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset ||
      ec == net::error::eof) {
    return doClose();
  }
  if (ec) return rejectMalformed(ec);
  started_ = std::chrono::steady_clock::now();
  auto& req = parser_->get();
  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  request.accept_encoding = std::string(req[http::field::accept_encoding]);
  request.if_none_match = std::string(req[http::field::if_none_match]);
  request.remote = remote_;
  request.secure = kTls;
  request.host = std::string(req[http::field::host]);
  request.authorization = std::string(req[http::field::authorization]);
  request.origin = std::string(req[http::field::origin]);
  // Tokens are credentials: the log names the socket path, not the token.
  bool socket_path = request.target.rfind("/v2/", 0) == 0;
  log_request_ = request.method + " " + (socket_path ? std::string("/v2/[token]") : logSafe(request.target));
  if (websocket::is_upgrade(req)) return upgrade(request);
  request.body = std::move(req.body());
  ++context_->http_requests;
  if (context_->proxy && context_->proxy->handles(request.target)) return forward(request, req.keep_alive(), req.version());
  HttpResponse res = context_->router.handle(request);
  send(std::move(res), req.method() == http::verb::head, req.keep_alive(), req.version());
}

// A WebSocket upgrade: only /v2/<token>, with a valid token, an allowed Origin, and within the per-address
// limit; anything else is refused with an HTTP error before the upgrade, so the client can read why.
template <class Stream>
void HttpSession<Stream>::upgrade(const HttpRequest& request) {
  std::string_view target = request.target;
  target = target.substr(0, target.find('?'));
  auto refuse = [&](int status, const std::string& reason) {
    ++context_->ws_refused;
    send(errorResponse(status, reason), false, false, 11);
  };
  if (target.rfind("/v2/", 0) != 0) return refuse(404, "not_found");
  if (!context_->originAllowed(request.origin, request.host, request.secure)) return refuse(403, "origin_not_allowed");
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  TokenCheck check = context_->signer.verify(target.substr(4), now);
  if (!check.claims) return refuse(401, std::string(tokenErrorCode(check.error)));
  if (context_->signaling.connectionsFrom(remote_) >= context_->config.max_connections_per_address) {
    return refuse(429, "too_many_connections");
  }
  const auto& req = parser_->get();
  if (req[http::field::sec_websocket_version] != "13") {
    HttpResponse res = errorResponse(426, "websocket_version_13_required");
    res.headers.emplace_back("Sec-WebSocket-Version", "13");
    ++context_->ws_refused;
    return send(std::move(res), false, false, 11);
  }
  std::string_view key = req[http::field::sec_websocket_key];
  if (!ws::validKey(key)) return refuse(400, "bad_websocket_key");
  std::string accept = ws::acceptKey(key);
  auto early = buffer_.cdata();
  std::string_view leftover(static_cast<const char*>(early.data()), early.size());
  if constexpr (kTls) {
    std::make_shared<WebSocketSession<Stream>>(std::move(stream_), context_->signaling, context_->config, remote_)
        ->run(*check.claims, accept, leftover);
  } else {
    std::make_shared<WebSocketSession<net::ip::tcp::socket>>(stream_.release_socket(), context_->signaling,
                                                             context_->config, remote_, context_->poller.get())
        ->run(*check.claims, accept, leftover);
  }
}

// Proxy mode: the answer comes from the Xirsys service, asynchronously.
template <class Stream>
void HttpSession<Stream>::forward(const HttpRequest& request, bool keep_alive, unsigned version) {
  const OriginPolicy& origins = context_->router.origins();
  if (request.method == "OPTIONS") return send(origins.preflight(request), false, keep_alive, version);
  auto decorated = [&](HttpResponse res) {
    origins.decorate(request, res);
    return res;
  };
  if (!context_->router.allowApi(remote_)) return send(decorated(Router::rateLimited()), false, keep_alive, version);
  auto plan = context_->proxy->plan(request);
  if (auto* res = std::get_if<HttpResponse>(&plan)) return send(decorated(std::move(*res)), false, keep_alive, version);
  // The upstream calls go out at once; the answer is made when the last of them is back.
  struct Gathered {
    std::vector<UpstreamRequest> sent;
    std::vector<UpstreamResult> got;
    std::size_t waiting;
  };
  auto gathered = std::make_shared<Gathered>();
  gathered->sent = std::get<std::vector<UpstreamRequest>>(std::move(plan));
  gathered->got.resize(gathered->sent.size());
  gathered->waiting = gathered->sent.size();
  for (std::size_t i = 0; i < gathered->sent.size(); ++i) {
    auto done = [self = this->shared_from_this(), request, gathered, i, keep_alive, version](UpstreamResult got) {
      net::dispatch(self->stream_.get_executor(), [self, request, gathered, i, got = std::move(got), keep_alive, version] {
        gathered->got[i] = std::move(got);
        if (--gathered->waiting > 0) return;
        ProxyApi::Answer a = self->context_->proxy->answer(gathered->sent, gathered->got);
        self->context_->router.origins().decorate(request, a.response);
        self->context_->upstream_errors += a.upstream_errors;
        self->send(std::move(a.response), false, keep_alive, version);
      });
    };
    context_->upstream->request(gathered->sent[i], std::move(done));
  }
}

// The request could not be parsed: answer with the matching status and close the connection.
template <class Stream>
void HttpSession<Stream>::rejectMalformed(boost::system::error_code ec) {
  started_ = std::chrono::steady_clock::now();
  log_request_ = "(malformed request: " + ec.message() + ")";
  int status = 400;
  if (ec == http::error::header_limit) status = 431;
  if (ec == http::error::body_limit) status = 413;
  std::string reason = status == 431 ? "request header too large"
                       : status == 413 ? "request body too large"
                                       : "malformed request";
  send(textResponse(status, reason), false, false, 11);
}

template <class Stream>
void HttpSession<Stream>::send(HttpResponse res, bool head_only, bool keep_alive, unsigned version) {
  auto status = static_cast<http::status>(res.status);
  std::optional<http::message_generator> msg;
  http::file_body::value_type file;
  if (!res.file_path.empty()) {
    boost::system::error_code ec;
    file.open(res.file_path.c_str(), beast::file_mode::scan, ec);
    if (ec) res = textResponse(404, "not found");  // vanished between routing and sending
  }
  log_status_ = res.status;
  status = static_cast<http::status>(res.status);
  std::uint64_t length = file.is_open() ? file.size() : res.body.size();
  if (head_only) {  // HEAD: the same headers, no body
    http::response<http::empty_body> out{status, version};
    copyHeaders(out, res, keep_alive);
    out.content_length(length);
    msg.emplace(std::move(out));
  } else if (file.is_open()) {
    http::response<http::file_body> out{status, version};
    copyHeaders(out, res, keep_alive);
    out.body() = std::move(file);
    out.prepare_payload();
    msg.emplace(std::move(out));
  } else {
    http::response<http::string_body> out{status, version};
    copyHeaders(out, res, keep_alive);
    out.body() = std::move(res.body);
    out.prepare_payload();
    msg.emplace(std::move(out));
  }
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  beast::async_write(stream_, std::move(*msg), [self = this->shared_from_this(), keep_alive](auto ec, std::size_t n) {
    self->onWrite(keep_alive, ec, n);
  });
}

template <class Stream>
void HttpSession<Stream>::onWrite(bool keep_alive, boost::system::error_code ec, std::size_t bytes) {
  if (context_->config.access_log) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
    char tail[96];
    std::snprintf(tail, sizeof tail, " %d %zuB %.2fms", log_status_, bytes, us.count() / 1000.0);
    logLine(LogLevel::kInfo, remote_ + " " + log_request_ + tail + (ec ? " (write failed)" : ""));
  }
  if (ec || !keep_alive) return doClose();
  doRead();
}

template <class Stream>
void HttpSession<Stream>::doClose() {
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](auto) { beast::get_lowest_layer(self->stream_).close(); });
  } else {
    boost::system::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
  }
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace imroom::server
