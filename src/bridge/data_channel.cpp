#include "data_channel.hpp"

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

DataChannel::~DataChannel() { close(); }

void DataChannel::attach(int id, val channel) {
  close();
  dc_ = std::move(channel);
  dc_.set("onopen", handler(kChannel, id, "open"));
  dc_.set("onclose", handler(kChannel, id, "close"));
  dc_.set("onerror", handler(kChannel, id, "error"));
  dc_.set("onmessage", handler(kChannel, id, "message"));
}

std::string DataChannel::readyState() const { return attached() ? stringOf(dc_, "readyState", "closed") : "none"; }

bool DataChannel::send(const std::string& text) {
  if (readyState() != "open") return false;
  return helper("imroomCall")(dc_, std::string("send"), text).as<std::string>().empty();
}

void DataChannel::close() {
  if (dc_.isNull()) return;
  for (const char* name : {"onopen", "onclose", "onerror", "onmessage"}) dc_.set(name, val::null());
  helper("imroomCall")(dc_, std::string("close"));
  dc_ = val::null();
}

}  // namespace imroom::bridge
