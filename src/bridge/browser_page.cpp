#include "browser_page.hpp"

#include <emscripten/val.h>

#include "event_router.hpp"

namespace imroom::bridge {

using emscripten::val;

std::string pageUrl() {
  val location = val::global("location");
  if (location.isUndefined() || location.isNull()) return {};
  std::string path = stringOf(location, "pathname");
  // A room link from the widget page (/embed) opens the full app.
  for (const std::string widget : {"/embed.html", "/embed"}) {
    if (path.size() >= widget.size() && path.compare(path.size() - widget.size(), widget.size(), widget) == 0) {
      path.erase(path.size() - widget.size() + 1);
      break;
    }
  }
  return stringOf(location, "origin") + path;
}

void copyToClipboard(const std::string& text) {
  val clipboard = val::global("navigator")["clipboard"];
  if (clipboard.isUndefined() || clipboard.isNull()) return;
  val promise = clipboard.call<val>("writeText", text);
  promise.call<val>("catch", helper("imroomHandler")(-1, 0, std::string("ignored")));
}

}  // namespace imroom::bridge

namespace imroom::bridge {

core::FramePolicy framePolicy() {
  val policy = helper("imroomFramePolicy")();
  return core::FramePolicy{policy["camera"].isTrue(), policy["microphone"].isTrue()};
}

}  // namespace imroom::bridge
