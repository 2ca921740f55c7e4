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
  dc_.set("onmessage", textHandler(kChannel, id));
  send_ = sender(dc_);
}

std::string DataChannel::readyState() const { return attached() ? stringOf(dc_, "readyState", "closed") : "none"; }

bool DataChannel::send(const std::string& text) { return !send_.isNull() && send_(text).isTrue(); }

void DataChannel::close() {
  if (dc_.isNull()) return;
  for (const char* name : {"onopen", "onclose", "onerror", "onmessage"}) dc_.set(name, val::null());
  helper("imroomCall")(dc_, std::string("close"));
  dc_ = val::null();
  send_ = val::null();
}

}  // namespace imroom::bridge
