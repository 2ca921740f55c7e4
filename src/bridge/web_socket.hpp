// A browser WebSocket as a core::SocketPort. Events go to the router under (kSocket, id).
#pragma once

#include <emscripten/val.h>

#include <string>

#include "ports.hpp"

namespace imroom::bridge {

class WebSocket : public core::SocketPort {
 public:
  // On a URL the browser refuses, `error()` is set and a close event follows.
  WebSocket(int id, const std::string& url);
  ~WebSocket() override;
  bool send(const std::string& text) override;
  void close(int code, const std::string& reason) override;
  const std::string& error() const { return error_; }

 private:
  void detach();

  int id_;
  emscripten::val ws_ = emscripten::val::null();
  emscripten::val send_ = emscripten::val::null();  // sender(ws_)
  std::string error_;
};

}  // namespace imroom::bridge
