// Local mode's REST endpoints (PROTOCOL.md §1–3): /api/join (or /api/token, /api/host, /api/ice) for the browser, and the
// Xirsys-compatible /_token, /_host, /_turn with HTTP Basic accounts. Pure: no sockets; time is injected.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http_types.hpp"
#include "names.hpp"
#include "token.hpp"

namespace imroom::server {

struct SignalingConfig {
  std::string channel = "imroom";                 // rooms live at "<channel>/<room>"
  std::string public_url;                         // signaling base URL to hand out; "" = from the Host header
  std::vector<std::string> stun_uris;             // e.g. "stun:stun.example.org:3478"
  std::vector<std::string> turn_uris;             // e.g. "turn:turn.example.org:3478?transport=udp"
  std::string turn_secret;                        // coturn's static-auth-secret (use-auth-secret)
  std::int64_t turn_ttl = 86400;                  // seconds a TURN credential lives
  std::int64_t token_ttl = 300;                   // seconds an /api/token token may be used to connect
  std::vector<std::pair<std::string, std::string>> accounts;  // Xirsys-style ident:secret pairs
};

class SignalingApi {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds

  SignalingApi(SignalingConfig config, const TokenSigner& signer, Clock clock);

  // Handles the request when its path is one of ours; nullopt otherwise.
  std::optional<HttpResponse> handle(const HttpRequest& req) const;

  const SignalingConfig& config() const { return config_; }

 private:
  HttpResponse apiToken(const HttpRequest& req) const;
  HttpResponse apiHost(const HttpRequest& req) const;
  HttpResponse apiIce(const HttpRequest& req) const;
  HttpResponse apiJoin(const HttpRequest& req) const;
  // The claims of the token a browser's {username, room, client} asks for, or the refusal.
  std::variant<TokenClaims, HttpResponse> joinClaims(const HttpRequest& req) const;
  HttpResponse xirsys(const HttpRequest& req, std::string_view path) const;
  std::string hostUrl(const HttpRequest& req) const;
  nlohmann::json iceServers(const std::string& user, bool urls_array) const;  // {"iceServers":[…]}
  bool authorized(const HttpRequest& req) const;

  SignalingConfig config_;
  const TokenSigner& signer_;
  Clock clock_;
};

// The request body as a JSON object (an empty body is {}); nullopt when it is not one.
std::optional<nlohmann::json> jsonBody(const HttpRequest& req);
// body[key] when it is a string that is a valid room/user name (names.hpp); nullopt otherwise.
std::optional<std::string> nameField(const nlohmann::json& body, const char* key,
                                     bool (*valid)(std::string_view) = core::isValidRoomName);

// {"s":"ok","v":<v_json>} and {"s":"error","v":"<reason>"} with a status.
HttpResponse okResponse(const std::string& v_json);
HttpResponse errorResponse(int status, const std::string& reason);

}  // namespace imroom::server
