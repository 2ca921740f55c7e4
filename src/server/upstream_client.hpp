// Calls the Xirsys REST API (or another imroom-server standing in for it) over HTTPS, or HTTP for loopback
// tests: one connection per request, a deadline on the whole exchange, certificate and host name checked.
// Never throws; every failure becomes an UpstreamResult.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "proxy_api.hpp"

namespace imroom::server {

struct UpstreamUrl {
  bool tls = true;
  std::string host;
  std::string port;
  std::string base;  // path prefix without trailing '/', "" for none
};
// Parses "https://host[:port][/base]" or "http://…"; nullopt for anything else.
std::optional<UpstreamUrl> parseUpstreamUrl(const std::string& url);

class UpstreamClient {
 public:
  UpstreamClient(boost::asio::io_context& ioc, UpstreamUrl url, std::string authorization,
                 std::chrono::milliseconds timeout);
  ~UpstreamClient();

  void request(const UpstreamRequest& req, std::function<void(UpstreamResult)> done);

 private:
  boost::asio::io_context& ioc_;
  UpstreamUrl url_;
  std::string authorization_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<boost::asio::ssl::context> ssl_;
};

}  // namespace imroom::server
