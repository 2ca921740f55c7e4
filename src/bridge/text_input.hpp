// The hidden <textarea> that takes the keyboard while an ImGui text field is active (web/post.js makes it):
// on-screen keyboards, input methods and dictation deliver committed text; editing keys (Enter, Backspace,
// arrows, Tab, Esc, Ctrl+A/C/X/Z/Y) come as key presses. The app feeds both to ImGui.
#pragma once

#include <emscripten/val.h>

#include <deque>
#include <functional>
#include <string>

#include "event_router.hpp"

namespace imroom::bridge {

// Committed text, or one editing key, in the order the person typed them.
struct Typed {
  std::string text;  // committed text; empty for a key
  std::string key;   // KeyboardEvent.key: "Enter", "Backspace", "ArrowLeft", … or a shortcut's letter ("a")
  bool shift = false, ctrl = false, alt = false;
};

class TextInput : public EventRouter {
 public:
  TextInput();
  ~TextInput() override;
  TextInput(const TextInput&) = delete;
  TextInput& operator=(const TextInput&) = delete;

  // Moves the keyboard to the textarea while ImGui wants text, and back to the canvas once it has not for a
  // few frames: sending a chat line deactivates the field for a frame or two before it takes the focus back, and
  // a phone's keyboard must not close (nor an input method lose its state) every time.
  void follow(bool imgui_wants_text);
  // A finger rests on a text field and may lift as a tap: the textarea then takes the keyboard in the touchend
  // handler itself. Phones (iOS above all) open their keyboard only for a focus() made inside the touch's own
  // event handler, never for one made in a later animation frame, when ImGui activates the field.
  void arm(bool armed);
  // Frames since ImGui last wanted text (0 = it does now).
  int idleFrames() const { return idle_frames_; }
  static constexpr int kGraceFrames = 6;
  std::deque<Typed>& queue() { return queue_; }
  // Called when something was typed (the app then draws a frame).
  std::function<void()> on_typed;

  void onBrowserEvent(int target, int id, const std::string& kind, const emscripten::val& event) override;

 private:
  emscripten::val textarea_ = emscripten::val::null();
  bool active_ = false;
  bool armed_ = false;
  int idle_frames_ = 0;
  std::deque<Typed> queue_;
};

}  // namespace imroom::bridge
