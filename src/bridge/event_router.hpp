// Browser events back into C++. A JS closure made by handler() carries (target, id, kind); when it fires,
// the one router of this module instance gets the event and looks the id up — events for ids it no longer
// knows are dropped.
#pragma once

#include <emscripten/val.h>

#include <string>

namespace imroom::bridge {

enum Target { kSocket = 0, kPeer = 1, kHttp = 2, kChannel = 3, kText = 4, kMedia = 5, kA11y = 6, kLater = 7, kTargets = 8 };

class EventRouter {
 public:
  virtual ~EventRouter() = default;
  virtual void onBrowserEvent(int target, int id, const std::string& kind, const emscripten::val& event) = 0;
  // A text message (a socket's or a data channel's), its data handed over as it is: no event object crosses.
  virtual void onBrowserText(int /*target*/, int /*id*/, const std::string& /*text*/) {}
};

// Who handles a target's events in this module instance (one app per module); nullptr drops them.
void setRouter(Target target, EventRouter* router);
// A JS function that reports its call as (target, id, kind, its first argument).
emscripten::val handler(Target target, int id, const char* kind);
// A JS "message" listener that reports a text message's data as (target, id, text); other data is ignored.
// A chat line crosses this way at every hop: an event object would cost a handle and a property lookup each.
emscripten::val textHandler(Target target, int id);
// A JS function send(text) for a WebSocket or an RTCDataChannel: true when it was open and took the text.
emscripten::val sender(const emscripten::val& target);
// Module[name] (the helpers in web/post.js).
emscripten::val helper(const char* name);
// A string property of a JS object, or `fallback`.
std::string stringOf(const emscripten::val& object, const char* key, const std::string& fallback = {});

}  // namespace imroom::bridge
