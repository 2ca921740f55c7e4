// The JS-facing object behind ImRoom (web/imroom.js wraps it into the public API of DESIGN.md §5).
// Everything here runs on the browser's main thread; nothing throws.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>

#include "app.hpp"
#include "json_util.hpp"

namespace imroom::app {
namespace {

using emscripten::val;

std::string textOption(const val& options, const char* key) {
  val v = options[key];
  return v.isString() ? v.as<std::string>() : std::string();
}

core::JoinForm formFrom(const val& options) {
  core::JoinForm form;
  form.username = textOption(options, "username");
  form.room = textOption(options, "room");
  form.media = core::parseMediaKind(textOption(options, "media")).value_or(core::MediaKind::kText);
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
  static inline App* g_app = nullptr;

 public:
  explicit RoomApi(val options) : app_(formFrom(options), textOption(options, "server")) {
    app_.onFirstFrame = [this] { emit("ready", "null"); };
    core::Look look;
    look.theme = core::parseTheme(textOption(options, "theme")).value_or(core::Theme::kDark);
    val scale = options["fontScale"];
    if (scale.isNumber()) look.font_scale = static_cast<float>(scale.as<double>());
    look.touch = options["touch"].isTrue();
    app_.controller().apply(core::SetLook{look});
    app_.controller().onStateChanged = [this] {
      app_.stateChanged();
      emit("state", "null");
    };
    app_.controller().onEvent = [this](const std::string& type, const nlohmann::json& detail) {
      emit(type.c_str(), core::dumpJson(detail));
    };
  }

  // "" on success, else a message for the person at the screen.
  std::string start() {
    std::string problem = app_.start();
    if (problem.empty()) g_app = &app_;
    return problem;
  }
  void destroy() {
    listener_ = val::undefined();
    has_listener_ = false;
    if (g_app == &app_) g_app = nullptr;
    app_.stop();
  }
  // Module.imroomWake(): the browser has something new for this module's app to draw (one app per module).
  static void wake() {
    if (g_app) g_app->wake();
  }
  // Module.imroomRehearse(): a join rehearsed in memory, so that the browser has compiled the code a first join
  // runs before the person joins (core/rehearsal.hpp; web/post.js calls it once, when the page is idle). Not
  // when a join has begun already: it compiles its code itself, and its negotiations need the CPU.
  static void rehearse() {
    if (g_app) g_app->rehearse();
  }

  // listener(type, detailJson): "ready" (first frame drawn), "state" (anything changed), and the named
  // events joined, peer, message, error, left.
  void setListener(val listener) {
    listener_ = std::move(listener);
    has_listener_ = listener_.typeOf().as<std::string>() == "function";  // asked once, not at every event
  }

  // Starts joining with the given (or the form's) name and room: "" when under way, else why not.
  std::string join(val options) {
    core::JoinForm form = app_.controller().state().form;
    if (options.isString() || options.isNull() || options.isUndefined()) options = val::object();
    std::string username = textOption(options, "username"), room = textOption(options, "room");
    if (!username.empty()) form.username = username;
    if (!room.empty()) form.room = room;
    app_.controller().apply(core::EditForm{form});
    app_.controller().apply(core::Join{});
    const core::AppState& s = app_.controller().state();
    if (s.signaling == core::SignalingState::kIdle || s.signaling == core::SignalingState::kClosed) {
      return s.status.text.empty() ? "Cannot join." : s.status.text;
    }
    return {};
  }

  // The session the tab keeps across a reload (core::Controller::saveSession; web/imroom.js stores it).
  std::string saveSession() const { return app_.controller().saveSession(); }
  // True when the page was in the room then: the caller joins again once the app is ready.
  bool restoreSession(const std::string& saved) { return app_.controller().restoreSession(saved); }

  void leave() { app_.controller().apply(core::Leave{}); }
  void setCamera(bool on) { app_.controller().apply(core::SetCamera{on}); }
  void setMicrophone(bool on) { app_.controller().apply(core::SetMicrophone{on}); }
  void useDevice(bool video, const std::string& id) { app_.controller().apply(core::ChooseDevice{video, id}); }
  void enableSound() { app_.controller().apply(core::EnableSound{}); }
  // "" or why not: the theme by name ("" = keep), the text size (0 = keep).
  std::string setLook(std::string theme, double font_scale) {
    core::Look look = app_.controller().state().look;
    if (!theme.empty()) {
      auto parsed = core::parseTheme(theme);
      if (!parsed) return "Unknown theme '" + theme + "': use dark or high-contrast.";
      look.theme = *parsed;
    }
    if (font_scale != 0) look.font_scale = static_cast<float>(font_scale);
    app_.controller().apply(core::SetLook{look});
    return {};
  }

  // {id} or {error}.
  val send(std::string text, std::string to) {
    std::string error;
    std::string id = app_.controller().sendChat(text, to, &error);
    val out = val::object();
    if (id.empty()) {
      out.set("error", error.empty() ? std::string("Nothing to send.") : error);
    } else {
      out.set("id", id);
    }
    return out;
  }

  val state() const {
    const core::AppState& s = app_.controller().state();
    const bool in_room = s.signaling != core::SignalingState::kIdle;
    const core::JoinForm& who = in_room ? s.joined : s.form;
    val self = val::object();
    self.set("username", who.username);
    self.set("room", who.room);
    self.set("media", std::string(core::toString(who.media)));
    self.set("camera", s.camera);
    self.set("microphone", s.microphone);
    self.set("cameraDevice", s.camera_device);
    self.set("microphoneDevice", s.microphone_device);
    val peers = val::array();
    for (const core::PeerView& p : s.peers) {
      val v = val::object();
      v.set("username", p.username);
      v.set("connection", p.connection);
      v.set("ice", p.ice);
      v.set("channel", p.channel);
      v.set("present", p.present);
      v.set("pending", p.pending);
      v.set("video", p.video);
      v.set("audio", p.audio);
      v.set("cameraOff", p.camera_off);
      v.set("audioLevel", p.peer_id ? app_.audioLevel(p.peer_id) : 0.0);
      v.set("muted", p.muted);
      v.set("framesDrawn", static_cast<double>(app_.videos().framesDrawn(p.username)));
      const core::LinkStats figures = p.peer_id ? app_.linkStats(p.peer_id) : core::LinkStats{};
      const core::LinkVerdict verdict = app_.link(p);
      val quality = val::object();
      quality.set("level", std::string(core::toString(verdict.level)));
      quality.set("why", verdict.why);
      quality.set("rttMs", figures.rtt_ms < 0 ? val::null() : val(figures.rtt_ms));
      quality.set("lossPct", figures.loss_pct < 0 ? val::null() : val(figures.loss_pct));
      quality.set("fps", figures.fps < 0 ? val::null() : val(figures.fps));
      v.set("quality", quality);
      peers.call<void>("push", v);
    }
    val messages = val::array();
    for (const core::ChatMessage& m : s.chat.messages()) {
      val v = val::object();
      v.set("id", m.id);
      v.set("from", m.from);
      v.set("to", m.to.empty() ? val::null() : val(m.to));
      v.set("text", m.text);
      v.set("ts", m.ts);
      messages.call<void>("push", v);
    }
    val errors = val::array();
    for (const core::ErrorInfo& e : s.errors) {
      val v = val::object();
      v.set("code", e.code);
      v.set("message", e.message);
      v.set("fatal", e.fatal);
      errors.call<void>("push", v);
    }
    val events = val::array();
    for (const core::LogLine& l : s.events) {
      val v = val::object();
      v.set("ts", l.ts);
      v.set("text", l.text);
      events.call<void>("push", v);
    }
    val status = val::object();
    status.set("kind", statusKind(s.status.kind));
    status.set("text", s.status.text);
    const FrameStats& f = app_.stats();
    const bridge::CanvasMetrics& m = app_.metrics();
    val ui = val::object();
    ui.set("frames", static_cast<double>(f.frames));
    ui.set("presented", static_cast<double>(f.presented));       // frames that drew something
    ui.set("layoutPasses", static_cast<double>(f.layout_passes));  // frames laid out again, undrawn
    ui.set("firstFrameMs", f.first_frame_ms);
    ui.set("lastFrameCpuMs", f.last_frame_cpu_ms);
    ui.set("lastUiMs", f.last_ui_ms);
    ui.set("lastGlMs", f.last_gl_ms);
    val recent = val::array();
    for (double ms : f.recent_ms) recent.call<void>("push", ms);
    ui.set("recentFrameMs", recent);
    val uploads = val::array();
    for (double ms : f.recent_upload_ms) uploads.call<void>("push", ms);
    ui.set("recentUploadMs", uploads);
    ui.set("width", m.css_width);
    ui.set("height", m.css_height);
    ui.set("pixelRatio", m.pixel_ratio);
    ui.set("lastUploadMs", app_.videos().lastUploadMs());
    ui.set("lastDamage", f.last_damage);
    ui.set("glyphs", static_cast<double>(app_.font().extraGlyphs()));  // characters drawn by the browser's fonts
    ui.set("glyphsMissing", static_cast<double>(app_.font().missing()));  // characters shown as "?"
    ui.set("screen", std::string(s.screen == core::Screen::kRoom ? "room" : "join"));
    ui.set("textField", app_.textFieldActive());  // a text field has the keyboard (as of the last frame)
    val out = val::object();
    out.set("self", self);
    out.set("signaling", std::string(core::toString(s.signaling)));
    out.set("peers", peers);
    out.set("messages", messages);
    out.set("errors", errors);
    out.set("events", events);  // the event log panel's lines
    out.set("pending", s.pending);
    out.set("meshNotice", s.mesh_notice);
    out.set("soundBlocked", s.sound_blocked);
    val look = val::object();
    look.set("theme", std::string(core::themeName(s.look.theme)));
    look.set("fontScale", s.look.font_scale);
    look.set("touch", s.look.touch);
    out.set("look", look);
    val frame = val::object();  // what the page's <iframe> allows
    frame.set("camera", s.frame.camera);
    frame.set("microphone", s.frame.microphone);
    out.set("frame", frame);
    val devices = val::object();
    for (const auto& [name, list] : {std::pair{"cameras", &s.cameras}, std::pair{"microphones", &s.microphones}}) {
      val a = val::array();
      for (const core::MediaDevice& d : *list) {
        val v = val::object();
        v.set("id", d.id);
        v.set("label", d.label);
        a.call<void>("push", v);
      }
      devices.set(name, a);
    }
    out.set("devices", devices);
    out.set("videoBudgetKbps", s.video_budget_kbps);
    out.set("unread", s.chat.unreadTotal());
    out.set("status", status);
    out.set("ui", ui);
    return out;
  }

 private:
  void emit(const char* type, const std::string& detail) {
    if (has_listener_) listener_(std::string(type), detail);
  }

  App app_;
  val listener_ = val::undefined();
  bool has_listener_ = false;
};

}  // namespace
}  // namespace imroom::app

EMSCRIPTEN_BINDINGS(imroom) {
  using imroom::app::RoomApi;
  emscripten::function("imroomWake", &RoomApi::wake);
  emscripten::function("imroomRehearse", &RoomApi::rehearse);
  emscripten::class_<RoomApi>("RoomCore")
      .constructor<emscripten::val>()
      .function("start", &RoomApi::start)
      .function("destroy", &RoomApi::destroy)
      .function("setListener", &RoomApi::setListener)
      .function("join", &RoomApi::join)
      .function("leave", &RoomApi::leave)
      .function("saveSession", &RoomApi::saveSession)
      .function("restoreSession", &RoomApi::restoreSession)
      .function("setCamera", &RoomApi::setCamera)
      .function("setMicrophone", &RoomApi::setMicrophone)
      .function("useDevice", &RoomApi::useDevice)
      .function("enableSound", &RoomApi::enableSound)
      .function("setLook", &RoomApi::setLook)
      .function("send", &RoomApi::send)
      .function("state", &RoomApi::state);
}
