// The accessibility mirror: a visually hidden DOM twin of the canvas UI (web/post.js builds it beside the canvas).
// Screen readers cannot read pixels, so it holds an ARIA live region for announcements (core::Announcer), real
// buttons with aria-pressed for the main controls (mute, camera, leave, enable sound), a labelled chat field, the
// join form and the member list. What the person does there comes back as the same intents the ImGui UI pushes.
// It becomes visible while one of its controls has the keyboard focus (a sighted keyboard user sees it too).
#pragma once

#include <emscripten/val.h>

#include <functional>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "event_router.hpp"

namespace imroom::bridge {

class A11yMirror : public EventRouter {
 public:
  A11yMirror();
  ~A11yMirror() override;
  A11yMirror(const A11yMirror&) = delete;
  A11yMirror& operator=(const A11yMirror&) = delete;

  // Brings the controls in line with the state (only when what they show changed) and says the lines.
  void sync(const core::AppState& state, const std::vector<std::string>& announcements);

  std::function<void(const core::Intent&)> on_intent;

  void onBrowserEvent(int target, int id, const std::string& kind, const emscripten::val& event) override;

 private:
  emscripten::val mirror_ = emscripten::val::null();
  std::string shown_;  // the last state given to the DOM (JSON)
};

}  // namespace imroom::bridge
