#include "proxy_api.hpp"

#include <nlohmann/json.hpp>

#include "signaling_api.hpp"
#include "static_files.hpp"
#include "token.hpp"

namespace imroom::server {

using nlohmann::json;

ProxyApi::ProxyApi(XirsysConfig config) : config_(std::move(config)) {}

bool ProxyApi::handles(std::string_view path) const {
  path = path.substr(0, path.find('?'));
  return path == "/api/token" || path == "/api/host" || path == "/api/ice";
}

std::string ProxyApi::authorization() const { return "Basic " + base64Encode(config_.ident + ":" + config_.secret); }

std::variant<UpstreamRequest, HttpResponse> ProxyApi::plan(const HttpRequest& req) const {
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  if (req.method != "POST") {
    HttpResponse r = errorResponse(405, "method_not_allowed");
    r.set("Allow", "POST");
    return r;
  }
  auto body = jsonBody(req);
  if (!body) return errorResponse(400, "bad_request: the body must be a JSON object");
  if (path == "/api/ice") return UpstreamRequest{"PUT", "/_turn/" + config_.channel, R"({"format":"urls"})"};
  auto user = nameField(*body, "username", core::isValidUserName);
  if (!user) return errorResponse(400, "bad_request: invalid username");
  auto room = nameField(*body, "room");
  if (!room) return errorResponse(400, "bad_request: invalid room");
  std::string channel_path = config_.channel + "/" + *room;
  const std::string k = percentEncode(*user);  // a user name may be any script's letters
  if (path == "/api/token") return UpstreamRequest{"PUT", "/_token/" + channel_path + "?k=" + k, ""};
  return UpstreamRequest{"GET", "/_host/" + channel_path + "?type=signal&k=" + k, ""};
}

HttpResponse ProxyApi::answer(const UpstreamRequest& sent, const UpstreamResult& got) const {
  using Failure = UpstreamResult::Failure;
  if (got.failure == Failure::kUnavailable) return errorResponse(502, "upstream_unavailable: the Xirsys service cannot be reached");
  if (got.failure == Failure::kTimeout) return errorResponse(504, "upstream_timeout: the Xirsys service did not answer in time");
  if (got.status == 401 || got.status == 403) {
    return errorResponse(502, "upstream_error: the Xirsys service refused the account (check XIRSYS_IDENT and XIRSYS_SECRET)");
  }
  json body = json::parse(got.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("s") || !body.contains("v")) {
    return errorResponse(502, "upstream_error: the Xirsys service sent an invalid answer (HTTP " + std::to_string(got.status) + ")");
  }
  if (body["s"] != "ok") {
    std::string reason = body["v"].is_string() ? body["v"].get<std::string>() : "unknown";
    if (reason.size() > 80) reason.resize(80);
    for (char& c : reason) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return errorResponse(502, "upstream_error: " + reason);
  }
  const json& v = body["v"];
  bool is_turn = sent.target.rfind("/_turn/", 0) == 0;
  bool shape_ok = is_turn ? (v.is_object() && v.contains("iceServers") && v["iceServers"].is_array()) : v.is_string();
  if (!shape_ok) return errorResponse(502, "upstream_error: the Xirsys service sent an unexpected value");
  // Only "s" and "v" go to the browser: nothing else the upstream said is passed on.
  return okResponse(is_turn ? json{{"iceServers", v["iceServers"]}}.dump() : v.dump());
}

}  // namespace imroom::server
