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
  return path == "/api/token" || path == "/api/host" || path == "/api/ice" || path == "/api/join";
}

std::string ProxyApi::authorization() const { return "Basic " + base64Encode(config_.ident + ":" + config_.secret); }

std::variant<std::vector<UpstreamRequest>, HttpResponse> ProxyApi::plan(const HttpRequest& req) const {
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  if (req.method != "POST") {
    HttpResponse r = errorResponse(405, "method_not_allowed");
    r.set("Allow", "POST");
    return r;
  }
  auto body = jsonBody(req);
  if (!body) return errorResponse(400, "bad_request: the body must be a JSON object");
  const UpstreamRequest ice{"PUT", "/_turn/" + config_.channel, R"({"format":"urls"})"};
  if (path == "/api/ice") return std::vector{ice};
  auto user = nameField(*body, "username", core::isValidUserName);
  if (!user) return errorResponse(400, "bad_request: invalid username");
  auto room = nameField(*body, "room");
  if (!room) return errorResponse(400, "bad_request: invalid room");
  std::string channel_path = config_.channel + "/" + *room;
  const std::string k = percentEncode(*user);  // a user name may be any script's letters
  const UpstreamRequest token{"PUT", "/_token/" + channel_path + "?k=" + k, ""};
  const UpstreamRequest host{"GET", "/_host/" + channel_path + "?type=signal&k=" + k, ""};
  if (path == "/api/token") return std::vector{token};
  if (path == "/api/host") return std::vector{host};
  return std::vector{token, host, ice};
}

namespace {

// One upstream answer: its "v" (a string, or {"iceServers":[…]} for /_turn), or the browser's error answer.
std::variant<json, HttpResponse> valueOf(const UpstreamRequest& sent, const UpstreamResult& got) {
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
  // Only "v" goes to the browser (and of /_turn's, the ICE servers): nothing else the upstream said.
  return is_turn ? json{{"iceServers", v["iceServers"]}} : v;
}

// The reason an error answer carries ({"s":"error","v":"<reason>"}).
std::string reasonOf(const HttpResponse& r) {
  json body = json::parse(r.body, nullptr, false);
  return body.is_object() && body.contains("v") && body["v"].is_string() ? body["v"].get<std::string>() : "error";
}

}  // namespace

ProxyApi::Answer ProxyApi::answer(const std::vector<UpstreamRequest>& sent, const std::vector<UpstreamResult>& got) const {
  Answer out{errorResponse(502, "upstream_error: no answer"), 0};
  if (sent.empty() || got.size() != sent.size()) return out;
  std::vector<std::variant<json, HttpResponse>> values;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    values.push_back(valueOf(sent[i], got[i]));
    out.upstream_errors += values.back().index() == 1;
  }
  if (sent.size() == 1) {
    out.response = values[0].index() == 0 ? okResponse(std::get<json>(values[0]).dump()) : std::get<HttpResponse>(values[0]);
    return out;
  }
  // /api/join: the token and the host are needed to join; without ICE servers a member still joins (and
  // connects where no relay is needed), so their failure is named in "iceError" instead.
  for (std::size_t i = 0; i < 2; ++i) {
    if (values[i].index() == 1) {
      out.response = std::get<HttpResponse>(values[i]);
      return out;
    }
  }
  json v = values[2].index() == 0 ? std::get<json>(values[2]) : json{{"iceError", reasonOf(std::get<HttpResponse>(values[2]))}};
  v["token"] = std::get<json>(values[0]);
  v["host"] = std::get<json>(values[1]);
  out.response = okResponse(v.dump());
  return out;
}

}  // namespace imroom::server
