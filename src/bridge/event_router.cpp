#include "event_router.hpp"

#include <emscripten/bind.h>

namespace imroom::bridge {

using emscripten::val;

namespace {
EventRouter* g_routers[kTargets] = {};

void dispatch(int target, int id, std::string kind, val event) {
  if (target < 0 || target >= kTargets || !g_routers[target]) return;
  g_routers[target]->onBrowserEvent(target, id, kind, event);
}

void dispatchText(int target, int id, std::string text) {
  if (target < 0 || target >= kTargets || !g_routers[target]) return;
  g_routers[target]->onBrowserText(target, id, text);
}
}  // namespace

void setRouter(Target target, EventRouter* router) { g_routers[target] = router; }

val helper(const char* name) { return val::module_property(name); }

val handler(Target target, int id, const char* kind) {
  return helper("imroomHandler")(static_cast<int>(target), id, std::string(kind));
}

val textHandler(Target target, int id) { return helper("imroomTextHandler")(static_cast<int>(target), id); }

val sender(const val& target) { return helper("imroomSender")(target); }

std::string stringOf(const val& object, const char* key, const std::string& fallback) {
  if (object.isNull() || object.isUndefined()) return fallback;
  val v = object[key];
  return v.isString() ? v.as<std::string>() : fallback;
}

}  // namespace imroom::bridge

EMSCRIPTEN_BINDINGS(imroom_bridge) {
  emscripten::function("imroomDispatch", &imroom::bridge::dispatch);
  emscripten::function("imroomDispatchText", &imroom::bridge::dispatchText);
}
