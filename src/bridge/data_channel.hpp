// A browser RTCDataChannel (the chat channel of one peer connection). Events go to the router under
// (kChannel, id) with the id of its peer connection.
#pragma once

#include <emscripten/val.h>

#include <string>

namespace imroom::bridge {

class DataChannel {
 public:
  DataChannel() = default;
  ~DataChannel();
  DataChannel(const DataChannel&) = delete;
  DataChannel& operator=(const DataChannel&) = delete;

  void attach(int id, emscripten::val channel);
  bool attached() const { return !dc_.isNull(); }
  std::string readyState() const;
  bool send(const std::string& text);
  void close();

 private:
  emscripten::val dc_ = emscripten::val::null();
  emscripten::val send_ = emscripten::val::null();  // sender(dc_)
};

}  // namespace imroom::bridge
