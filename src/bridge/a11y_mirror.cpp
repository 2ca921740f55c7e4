#include "a11y_mirror.hpp"

#include "json_util.hpp"

namespace imroom::bridge {

using emscripten::val;

A11yMirror::A11yMirror() {
  setRouter(kA11y, this);
  mirror_ = helper("imroomA11yMirror")();
}

A11yMirror::~A11yMirror() {
  setRouter(kA11y, nullptr);
  if (!mirror_.isNull()) mirror_.call<void>("remove");
}

void A11yMirror::sync(const core::AppState& s, const std::vector<std::string>& announcements) {
  if (mirror_.isNull()) return;
  const bool in_room = s.screen == core::Screen::kRoom;
  nlohmann::json members = nlohmann::json::array();
  for (const core::PeerView& p : s.peers) {
    if (!p.present) continue;
    std::string detail = p.connection == "connected" ? "connected" : "connecting";
    if (p.video) detail += ", camera on";
    if (p.muted) detail += ", muted";
    members.push_back(p.username + " (" + detail + ")");
  }
  const core::JoinForm& who = in_room ? s.joined : s.form;
  nlohmann::json view = {{"screen", in_room ? "room" : "join"},
                         {"username", who.username},
                         {"room", who.room},
                         {"media", std::string(core::toString(who.media))},
                         {"status", s.status.text},
                         {"microphone", s.microphone},
                         {"camera", s.camera},
                         {"soundBlocked", s.sound_blocked},
                         {"members", members}};
  std::string text = core::dumpJson(view);
  if (text != shown_) {
    shown_ = text;
    mirror_.call<void>("sync", text);
  }
  for (const std::string& line : announcements) mirror_.call<void>("announce", line);
}

void A11yMirror::onBrowserEvent(int, int, const std::string& kind, const val& event) {
  if (kind != "act" || !on_intent) return;
  const std::string action = stringOf(event, "action");
  if (action == "join") {
    core::JoinForm form;
    form.username = stringOf(event, "username");
    form.room = stringOf(event, "room");
    form.media = core::parseMediaKind(stringOf(event, "media")).value_or(core::MediaKind::kText);
    on_intent(core::EditForm{form});
    on_intent(core::Join{});
  } else if (action == "mute") {
    on_intent(core::SetMicrophone{event["on"].isTrue()});
  } else if (action == "camera") {
    on_intent(core::SetCamera{event["on"].isTrue()});
  } else if (action == "leave") {
    on_intent(core::Leave{});
  } else if (action == "sound") {
    on_intent(core::EnableSound{});
  } else if (action == "send") {
    on_intent(core::SendChat{stringOf(event, "text"), ""});
  }
}

}  // namespace imroom::bridge
