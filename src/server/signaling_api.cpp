#include "signaling_api.hpp"

#include <nlohmann/json.hpp>

#include "names.hpp"
#include "static_files.hpp"

namespace imroom::server {

using nlohmann::json;

HttpResponse okResponse(const std::string& v_json) {
  return textResponse(200, R"({"s":"ok","v":)" + v_json + "}", "application/json");
}

HttpResponse errorResponse(int status, const std::string& reason) {
  return textResponse(status, json{{"s", "error"}, {"v", reason}}.dump(), "application/json");
}

namespace {

std::string_view pathOf(std::string_view target) { return target.substr(0, target.find('?')); }

// Value of a query parameter, percent-decoded; nullopt if absent or undecodable.
std::optional<std::string> queryParam(std::string_view target, std::string_view key) {
  std::size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// "<seg>[/<seg>]{0,3}" of name characters.
bool validPath(std::string_view path) {
  int segments = 0;
  while (true) {
    std::size_t slash = path.find('/');
    if (!core::isValidRoomName(path.substr(0, slash)) || ++segments > 4) return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

// Host header values we are willing to echo back in a URL.
bool validHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<json> jsonBody(const HttpRequest& req) {
  if (req.body.empty()) return json::object();
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::optional<std::string> nameField(const json& body, const char* key, bool (*valid)(std::string_view)) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  std::string v = it->get<std::string>();
  if (!valid(v)) return std::nullopt;
  return v;
}

namespace {

// An optional name field: absent leaves `out` empty; present but invalid is an error (false).
bool optionalNameField(const json& body, const char* key, std::string& out, bool (*valid)(std::string_view)) {
  if (!body.contains(key)) return true;
  auto v = nameField(body, key, valid);
  if (!v) return false;
  out = *v;
  return true;
}

}  // namespace

SignalingApi::SignalingApi(SignalingConfig config, const TokenSigner& signer, Clock clock)
    : config_(std::move(config)), signer_(signer), clock_(std::move(clock)) {}

std::optional<HttpResponse> SignalingApi::handle(const HttpRequest& req) const {
  std::string_view path = pathOf(req.target);
  auto post = [&](auto fn) {
    if (req.method != "POST") {
      HttpResponse r = errorResponse(405, "method_not_allowed");
      r.set("Allow", "POST");
      return r;
    }
    return (this->*fn)(req);
  };
  if (path == "/api/token") return post(&SignalingApi::apiToken);
  if (path == "/api/host") return post(&SignalingApi::apiHost);
  if (path == "/api/ice") return post(&SignalingApi::apiIce);
  if (path == "/api/join") return post(&SignalingApi::apiJoin);
  for (std::string_view prefix : {"/_token/", "/_host/", "/_turn/"}) {
    if (path.rfind(prefix, 0) == 0) return xirsys(req, path);
  }
  if (path == "/_token" || path == "/_host" || path == "/_turn") return errorResponse(404, "not_found");
  return std::nullopt;
}

std::variant<TokenClaims, HttpResponse> SignalingApi::joinClaims(const HttpRequest& req) const {
  auto body = jsonBody(req);
  if (!body) return errorResponse(400, "bad_request: the body must be a JSON object");
  auto user = nameField(*body, "username", core::isValidUserName);
  if (!user) return errorResponse(400, "bad_request: invalid username");
  auto room = nameField(*body, "room");
  if (!room) return errorResponse(400, "bad_request: invalid room");
  std::string client;
  if (!optionalNameField(*body, "client", client, core::isValidRoomName)) {
    return errorResponse(400, "bad_request: invalid client");
  }
  return TokenClaims{config_.channel + "/" + *room, *user, client, clock_() + config_.token_ttl};
}

HttpResponse SignalingApi::apiToken(const HttpRequest& req) const {
  auto claims = joinClaims(req);
  if (auto* refused = std::get_if<HttpResponse>(&claims)) return std::move(*refused);
  return okResponse(json(signer_.issue(std::get<TokenClaims>(claims))).dump());
}

// Everything a join needs in one answer: the token, the signaling host and the ICE servers.
HttpResponse SignalingApi::apiJoin(const HttpRequest& req) const {
  auto claims = joinClaims(req);
  if (auto* refused = std::get_if<HttpResponse>(&claims)) return std::move(*refused);
  const TokenClaims& c = std::get<TokenClaims>(claims);
  json v = iceServers(c.user, true);
  v["token"] = signer_.issue(c);
  v["host"] = hostUrl(req);
  return okResponse(v.dump());
}

std::string SignalingApi::hostUrl(const HttpRequest& req) const {
  if (!config_.public_url.empty()) return config_.public_url;
  std::string host = validHost(req.host) ? req.host : "localhost";
  return (req.secure ? "wss://" : "ws://") + host;
}

HttpResponse SignalingApi::apiHost(const HttpRequest& req) const {
  if (!jsonBody(req)) return errorResponse(400, "bad_request: the body must be a JSON object");
  return okResponse(json(hostUrl(req)).dump());
}

json SignalingApi::iceServers(const std::string& user, bool urls_array) const {
  json servers = json::array();
  auto entry = [&](const std::string& uri) {
    json e = json::object();
    if (urls_array) e["urls"] = json::array({uri});
    else e["url"] = uri;
    return e;
  };
  for (const auto& uri : config_.stun_uris) servers.push_back(entry(uri));
  if (!config_.turn_uris.empty() && !config_.turn_secret.empty()) {
    // TURN REST API (coturn use-auth-secret): username "<expiry>:<user>", credential base64(HMAC-SHA1). The user
    // part only labels the allocation; it is percent-encoded so that the STUN username stays ASCII whatever the
    // script of the name (Chromium hands a TURN username back from getConfiguration() as Latin-1).
    const std::string label = user.empty() ? "imroom" : percentEncode(user);
    std::string name = std::to_string(clock_() + config_.turn_ttl) + ":" + label;
    std::string credential = base64Encode(hmacSha1(config_.turn_secret, name));
    for (const auto& uri : config_.turn_uris) {
      json e = entry(uri);
      e["username"] = name;
      e["credential"] = credential;
      servers.push_back(std::move(e));
    }
  }
  return json{{"iceServers", servers}};
}

HttpResponse SignalingApi::apiIce(const HttpRequest& req) const {
  auto body = jsonBody(req);
  if (!body) return errorResponse(400, "bad_request: the body must be a JSON object");
  std::string user;
  if (!optionalNameField(*body, "username", user, core::isValidUserName)) {
    return errorResponse(400, "bad_request: invalid username");
  }
  return okResponse(iceServers(user, true).dump());
}

bool SignalingApi::authorized(const HttpRequest& req) const {
  std::string_view auth = req.authorization;
  if (auth.size() < 7 || auth.substr(0, 6) != "Basic ") return false;
  auto decoded = base64Decode(auth.substr(6));
  if (!decoded) return false;
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  std::string_view ident = std::string_view(*decoded).substr(0, colon);
  std::string_view secret = std::string_view(*decoded).substr(colon + 1);
  bool ok = false;
  for (const auto& [i, s] : config_.accounts) {
    // Compare every account in constant time: no early exit that would time which part matched.
    ok |= constantTimeEquals(ident, i) & constantTimeEquals(secret, s);
  }
  return ok;
}

HttpResponse SignalingApi::xirsys(const HttpRequest& req, std::string_view path) const {
  std::size_t second = path.find('/', 1);
  std::string_view endpoint = path.substr(0, second);  // "/_token"
  std::string_view channel_path = path.substr(second + 1);
  if (!validPath(channel_path)) return errorResponse(404, "not_found");
  if (!authorized(req)) {
    HttpResponse r = errorResponse(401, "unauthorized");
    r.set("WWW-Authenticate", "Basic realm=\"imroom\"");
    return r;
  }
  const bool is_turn = endpoint == "/_turn";
  const char* method = endpoint == "/_host" ? "GET" : "PUT";
  if (req.method != method) {
    HttpResponse r = errorResponse(405, "method_not_allowed");
    r.set("Allow", method);
    return r;
  }
  if (is_turn) {
    auto body = jsonBody(req);
    bool urls = body && body->contains("format") && (*body)["format"] == "urls";
    return okResponse(iceServers("", urls).dump());
  }
  auto k = queryParam(req.target, "k");
  if (!k || !core::isValidUserName(*k)) return errorResponse(400, "bad_request: invalid k (user name)");
  if (endpoint == "/_host") {
    auto type = queryParam(req.target, "type");
    if (type && *type != "signal") return errorResponse(400, "bad_request: type must be signal");
    return okResponse(json(hostUrl(req)).dump());
  }
  std::int64_t expire = 60;
  if (auto e = queryParam(req.target, "expire")) {
    char* end = nullptr;
    long long v = std::strtoll(e->c_str(), &end, 10);
    if (e->empty() || *end != '\0' || v < 1 || v > 86400) return errorResponse(400, "bad_request: invalid expire");
    expire = v;
  }
  TokenClaims claims{std::string(channel_path), *k, "", clock_() + expire};
  return okResponse(json(signer_.issue(claims)).dump());
}

}  // namespace imroom::server
