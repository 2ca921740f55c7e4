// Touch input for ImGui, which (1.86) has none: it sees a finger as a mouse with its button held, so a swipe
// over the chat selected nothing and scrolled nothing, and a long press did nothing. With TouchGestures:
// - a finger that moves more than a few pixels scrolls the window under it (the nearest one that can scroll
// that
//   way, or the other way), and keeps scrolling with momentum after it lifts; a move over nothing that
//   scrolls does nothing (it presses nothing: a swipe that starts on the chat field does not bring up the
//   keyboard);
// - a tap clicks (the press and the release are given to ImGui in two frames, at the tap's position);
// - a long press is a right click: it opens the menu a right click would (a chat line's "Copy message");
// - a finger put down on a list still gliding stops it, and that touch clicks nothing.
// The touch-made mouse events go here instead of to ImGui; while touch is the pointer, this sets io.MousePos
// and io.MouseDown each frame (the hover shows under a resting finger, none while scrolling).
#pragma once

#include <imgui.h>

#include <deque>
#include <utility>

struct ImGuiWindow;

namespace imroom::ui {

class TouchGestures {
 public:
  static constexpr float kSlopPx = 8;  // a finger moving less is still a tap
  static constexpr double kLongPressMs = 500;
  static constexpr double kFlingTimeConstantMs = 325;  // momentum decays as exp(-t / this)
  static constexpr float kMinFlingPxPerMs = 0.1f;      // slower at the lift: no momentum
  static constexpr float kStopPxPerMs = 0.03f;         // momentum ends below this

  // Touch events, in ImGui's coordinates, with a clock in ms.
  void down(ImVec2 pos, double ms);
  void move(ImVec2 pos, double ms);
  void up(ImVec2 pos, double ms);
  // A real mouse was used: it is the pointer again (whatever a finger was doing stops).
  void mouseUsed();

  // Between the platform backend's NewFrame and ImGui::NewFrame: the pointer ImGui sees this frame.
  void beforeNewFrame(ImGuiIO& io, double ms);
  // After ImGui::NewFrame, before any window: scrolls (and notes the window under a new touch).
  void afterNewFrame(double ms);

  // When the next frame is needed for a gesture: 0 = now (a tap to deliver, a decision to make, momentum),
  // > 0 = in that many ms (a long press coming due), < 0 = none.
  double frameDueIn(double ms) const;
  bool owning() const { return owning_; }  // touch is the pointer
  // A finger rests where it went down and may still lift as a tap.
  bool mayTap() const { return state_ == State::kPressed && !past_slop_ && !stopped_fling_; }

 private:
  enum class State {
    kIdle,
    kPressed,      // down, not decided yet
    kScrolling,    // moving, the window under it follows
    kIgnored,      // moved over nothing that scrolls: nothing happens until the finger lifts
    kTap,          // lifted in place: the press goes to ImGui next frame,
    kTapRelease,   //   and the release the frame after
    kLongPress,    // held in place: a right press next frame,
    kLongRelease,  //   its release the frame after,
    kHeld,         //   then nothing until the finger lifts
    kFling,        // lifted while scrolling: momentum
  };
  ImGuiWindow* scrollable(bool vertical) const;
  ImGuiWindow* window() const;  // the window being scrolled (nullptr: gone)
  void startScrolling(ImGuiWindow* w);
  bool scrollBy(float delta);  // content follows the finger; false when it cannot move that way any more
  void fingerVelocity(ImVec2 pos, double ms);

  State state_ = State::kIdle;
  bool owning_ = false;
  bool stopped_fling_ = false;  // this touch stopped momentum: its lift clicks nothing
  bool past_slop_ = false;  // kPressed: moved too far for a tap; a scroll (or nothing) from the next frame
  bool lifted_ = false;     // the finger is up while its gesture finishes
  ImVec2 start_, pos_, applied_;
  double down_ms_ = 0, last_ms_ = 0;
  unsigned under_ = 0;     // ImGuiID of the window under the touch (0 until a frame has found it)
  unsigned scrolled_ = 0;  // ImGuiID of the window being scrolled
  bool vertical_ = true;
  float scroll_ = 0;    // where the scrolled window is meant to be, with the fraction ImGui's scroll drops
  float velocity_ = 0;  // px per ms, of the finger along the scrolled axis
  std::deque<std::pair<ImVec2, double>> samples_;  // the last ~100 ms of moves, for the velocity at the lift
};

}  // namespace imroom::ui
