#include "text_input.hpp"

namespace imroom::bridge {

using emscripten::val;

namespace {
bool isTrue(const val& object, const char* key) {
  val v = object[key];
  return v.isTrue();
}
}  // namespace

TextInput::TextInput() {
  setRouter(kText, this);
  textarea_ = helper("imroomTextInput")();
}

TextInput::~TextInput() {
  setRouter(kText, nullptr);
  if (!textarea_.isNull()) textarea_.call<void>("remove");
}

void TextInput::follow(bool wants_text) {
  idle_frames_ = wants_text ? 0 : idle_frames_ + 1;
  if (!wants_text && idle_frames_ < kGraceFrames) return;
  if (textarea_.isNull() || wants_text == active_) return;
  val document = val::global("document");
  val focused = document["activeElement"];
  val canvas = val::module_property("canvas");
  val options = val::object();
  options.set("preventScroll", true);
  if (wants_text) {
    if (focused.strictlyEquals(textarea_)) {  // already there: a tap on a text field put it there (arm())
      active_ = true;
      return;
    }
    // Only when this instance has the keyboard: another widget on the page keeps its own.
    if (!focused.strictlyEquals(canvas)) return;
    textarea_.call<void>("focus", options);
  } else if (focused.strictlyEquals(textarea_)) {
    canvas.call<void>("focus", options);
  }
  active_ = wants_text;
}

void TextInput::arm(bool armed) {
  if (armed == armed_ || textarea_.isNull()) return;
  armed_ = armed;
  textarea_.set("imroomArmed", armed);
}

void TextInput::onBrowserEvent(int, int, const std::string& kind, const val& event) {
  Typed t;
  if (kind == "text") {
    t.text = stringOf(event, "text");
    if (t.text.empty()) return;
  } else if (kind == "key") {
    t.key = stringOf(event, "key");
    t.shift = isTrue(event, "shift");
    t.ctrl = isTrue(event, "ctrl");
    t.alt = isTrue(event, "alt");
    if (t.key.empty()) return;
  } else {
    return;
  }
  if (queue_.size() < 4096) queue_.push_back(std::move(t));
  if (on_typed) on_typed();
}

}  // namespace imroom::bridge
