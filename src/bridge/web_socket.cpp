#include "web_socket.hpp"

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

WebSocket::WebSocket(int id, const std::string& url) : id_(id) {
  val ws = helper("imroomConstruct")(std::string("WebSocket"), url);
  if (ws.isString()) {
    error_ = ws.as<std::string>();
    return;
  }
  ws_ = ws;
  ws_.set("onopen", handler(kSocket, id_, "open"));
  ws_.set("onmessage", textHandler(kSocket, id_));
  ws_.set("onclose", handler(kSocket, id_, "close"));
  ws_.set("onerror", handler(kSocket, id_, "error"));
  send_ = sender(ws_);
}

WebSocket::~WebSocket() { close(1000, ""); }

void WebSocket::detach() {
  for (const char* name : {"onopen", "onmessage", "onclose", "onerror"}) ws_.set(name, val::null());
}

bool WebSocket::send(const std::string& text) { return !send_.isNull() && send_(text).isTrue(); }

void WebSocket::close(int code, const std::string& reason) {
  if (ws_.isNull()) return;
  detach();
  helper("imroomCall")(ws_, std::string("close"), code, reason);
  ws_ = val::null();
  send_ = val::null();
}

}  // namespace imroom::bridge
