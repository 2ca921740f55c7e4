// The JS-facing object behind ImRoom (web/imroom.js wraps it into the public API of DESIGN.md §5).
// Everything here runs on the browser's main thread; nothing throws.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>

#include "app.hpp"

namespace imroom::app {
namespace {

using emscripten::val;

core::JoinForm formFrom(const val& options) {
  core::JoinForm form;
  auto text = [&](const char* key) {
    val v = options[key];
    return v.isString() ? v.as<std::string>() : std::string();
  };
  form.username = text("username");
  form.room = text("room");
  form.media = core::parseMediaKind(text("media")).value_or(core::MediaKind::kText);
  return form;
}

const char* statusKind(core::StatusKind k) {
  switch (k) {
    case core::StatusKind::kBusy: return "busy";
    case core::StatusKind::kError: return "error";
    case core::StatusKind::kInfo: break;
  }
  return "info";
}

class RoomApi {
 public:
  explicit RoomApi(val options) : app_(formFrom(options)) {
    app_.onFirstFrame = [this] { emit("ready"); };
    app_.controller().onStateChanged = [this] { emit("state"); };
  }

  // "" on success, else a message for the person at the screen.
  std::string start() { return app_.start(); }
  void destroy() { app_.stop(); listener_ = val::undefined(); }

  // listener(type: string): told about "ready" (first frame drawn) and "state" (anything changed).
  void setListener(val listener) { listener_ = std::move(listener); }

  val state() const {
    const core::AppState& s = app_.controller().state();
    val self = val::object();
    self.set("username", s.form.username);
    self.set("room", s.form.room);
    self.set("media", std::string(core::toString(s.form.media)));
    self.set("camera", false);
    self.set("microphone", false);
    val status = val::object();
    status.set("kind", statusKind(s.status.kind));
    status.set("text", s.status.text);
    const FrameStats& f = app_.stats();
    const bridge::CanvasMetrics& m = app_.metrics();
    val ui = val::object();
    ui.set("frames", static_cast<double>(f.frames));
    ui.set("firstFrameMs", f.first_frame_ms);
    ui.set("lastFrameCpuMs", f.last_frame_cpu_ms);
    ui.set("width", m.css_width);
    ui.set("height", m.css_height);
    ui.set("pixelRatio", m.pixel_ratio);
    val out = val::object();
    out.set("self", self);
    out.set("signaling", std::string("idle"));
    out.set("peers", val::array());
    out.set("messages", val::array());
    out.set("errors", val::array());
    out.set("status", status);
    out.set("ui", ui);
    return out;
  }

 private:
  void emit(const char* type) {
    if (listener_.typeOf().as<std::string>() == "function") listener_(std::string(type));
  }

  App app_;
  val listener_ = val::undefined();
};

}  // namespace
}  // namespace imroom::app

EMSCRIPTEN_BINDINGS(imroom) {
  using imroom::app::RoomApi;
  emscripten::class_<RoomApi>("RoomCore")
      .constructor<emscripten::val>()
      .function("start", &RoomApi::start)
      .function("destroy", &RoomApi::destroy)
      .function("setListener", &RoomApi::setListener)
      .function("state", &RoomApi::state);
}
