#include "browser_page.hpp"

#include <emscripten/val.h>

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

std::string pageUrl() {
  val location = val::global("location");
  if (location.isUndefined() || location.isNull()) return {};
  return stringOf(location, "origin") + stringOf(location, "pathname");
}

void copyToClipboard(const std::string& text) {
  val clipboard = val::global("navigator")["clipboard"];
  if (clipboard.isUndefined() || clipboard.isNull()) return;
  val promise = clipboard.call<val>("writeText", text);
  promise.call<val>("catch", helper("imroomHandler")(-1, 0, std::string("ignored")));
}

}  // namespace imroom::bridge
