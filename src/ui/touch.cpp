#include "touch.hpp"

#include <imgui_internal.h>

#include <cfloat>
#include <cmath>

namespace imroom::ui {

namespace {

constexpr double kVelocityWindowMs = 100;
const ImVec2 kNowhere(-FLT_MAX, -FLT_MAX);

float length(ImVec2 v) {
  return std::sqrt(v.x * v.x + v.y * v.y);
}

}  // namespace

void TouchGestures::down(ImVec2 pos, double ms) {
  owning_ = true;
  stopped_fling_ = state_ == State::kFling;
  state_ = State::kPressed;
  start_ = pos_ = applied_ = pos;
  down_ms_ = last_ms_ = ms;
  target_ = 0;
  drag_started_ = past_slop_ = lifted_ = false;
  samples_.clear();
  samples_.emplace_back(pos, ms);
}

void TouchGestures::move(ImVec2 pos, double ms) {
  owning_ = true;
  pos_ = pos;
  samples_.emplace_back(pos, ms);
  while (samples_.size() > 2 && ms - samples_.front().second > kVelocityWindowMs) samples_.pop_front();
  if (state_ != State::kPressed || past_slop_) return;
  const ImVec2 moved(pos.x - start_.x, pos.y - start_.y);
  if (length(moved) < kSlopPx) return;
  past_slop_ =
      true;  // a scroll or a drag: decided at the next frame, which knows the window under the finger
  vertical_ = std::fabs(moved.y) >= std::fabs(moved.x);
}

void TouchGestures::fingerVelocity(ImVec2 pos, double ms) {
  const auto& [first_pos, first_ms] = samples_.front();
  const double dt = ms - first_ms;
  velocity_ = dt > 0 ? ImVec2(static_cast<float>((pos.x - first_pos.x) / dt),
                              static_cast<float>((pos.y - first_pos.y) / dt))
                     : ImVec2(0, 0);
  if (vertical_) {
    velocity_.x = 0;
  } else {
    velocity_.y = 0;
  }
}

void TouchGestures::up(ImVec2 pos, double ms) {
  owning_ = true;
  pos_ = pos;
  samples_.emplace_back(pos, ms);  // a finger that rested before lifting has no speed left
  while (samples_.size() > 1 && ms - samples_.front().second > kVelocityWindowMs) samples_.pop_front();
  switch (state_) {
    case State::kPressed:
      if (past_slop_) {  // a flick faster than a frame: scrolled (or dropped) at the next one
        fingerVelocity(pos, ms);
        last_ms_ = ms;
        lifted_ = true;
      } else {
        state_ = stopped_fling_ ? State::kIdle : State::kTap;
      }
      break;
    case State::kScrolling:
      fingerVelocity(pos, ms);
      last_ms_ = ms;
      state_ = length(velocity_) >= kMinFlingPxPerMs ? State::kFling : State::kIdle;
      break;
    case State::kDragging:
    case State::kHeld:
    case State::kLongRelease:
      state_ = State::kIdle;
      break;
    case State::kLongPress:
      lifted_ = true;
      break;  // delivered at the next frame, then idle
    default:
      break;
  }
}

void TouchGestures::mouseUsed() {
  owning_ = false;
  state_ = State::kIdle;
}

void TouchGestures::beforeNewFrame(ImGuiIO& io, double ms) {
  if (!owning_) return;
  if (state_ == State::kPressed && !past_slop_ && !stopped_fling_ && ms - down_ms_ >= kLongPressMs) {
    state_ = State::kLongPress;
  }
  io.MouseDown[ImGuiMouseButton_Left] = false;
  io.MouseDown[ImGuiMouseButton_Right] = false;
  switch (state_) {
    case State::kPressed:
    case State::kHeld:
      io.MousePos = start_;
      break;  // hovered: the finger's feedback
    case State::kTap:
      io.MousePos = start_;
      io.MouseDown[ImGuiMouseButton_Left] = true;
      state_ = State::kTapRelease;
      break;
    case State::kTapRelease:
      io.MousePos = start_;  // released where it was pressed: a click
      state_ = State::kIdle;
      break;
    case State::kLongPress:
      io.MousePos = start_;
      io.MouseDown[ImGuiMouseButton_Right] = true;
      state_ = State::kLongRelease;
      break;
    case State::kLongRelease:
      io.MousePos = start_;
      state_ = lifted_ ? State::kIdle : State::kHeld;
      break;
    case State::kDragging:
      io.MousePos = drag_started_ ? pos_ : start_;  // pressed where the finger went down, then dragged
      io.MouseDown[ImGuiMouseButton_Left] = true;
      drag_started_ = true;
      break;
    case State::kIdle:
    case State::kScrolling:
    case State::kFling:
      io.MousePos = kNowhere;
      break;
  }
}

void TouchGestures::afterNewFrame(double ms) {
  if (!owning_) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (state_ == State::kPressed && target_ == 0 && g.HoveredWindow) target_ = g.HoveredWindow->ID;
  if (state_ == State::kPressed && past_slop_) {
    // A scroll if something under the finger can scroll that way, a drag otherwise.
    const bool scrolls = scrollTarget(vertical_) != nullptr;
    applied_ = start_;  // the slop counts: the content moves with the finger from where it went down
    if (lifted_) {
      if (scrolls) scrollBy(ImVec2(pos_.x - start_.x, pos_.y - start_.y));
      state_ = scrolls && length(velocity_) >= kMinFlingPxPerMs ? State::kFling : State::kIdle;
      return;
    }
    state_ = scrolls ? State::kScrolling : State::kDragging;
  }
  if (state_ == State::kScrolling) {
    scrollBy(ImVec2(pos_.x - applied_.x, pos_.y - applied_.y));
    applied_ = pos_;
  } else if (state_ == State::kFling) {
    const double dt = std::max(0.0, ms - last_ms_);
    last_ms_ = ms;
    ImGuiWindow* w = scrollTarget(vertical_);
    if (!w) {
      state_ = State::kIdle;
      return;
    }
    const ImVec2 before = w->Scroll;
    scrollBy(ImVec2(static_cast<float>(velocity_.x * dt), static_cast<float>(velocity_.y * dt)));
    const float decay = static_cast<float>(std::exp(-dt / kFlingTimeConstantMs));
    velocity_ = ImVec2(velocity_.x * decay, velocity_.y * decay);
    // Stopped: slow enough, or against an end (the scroll would not move).
    const ImVec2 after(
        ImClamp(w->ScrollTarget.x != FLT_MAX ? w->ScrollTarget.x : before.x, 0.0f, w->ScrollMax.x),
        ImClamp(w->ScrollTarget.y != FLT_MAX ? w->ScrollTarget.y : before.y, 0.0f, w->ScrollMax.y));
    if (length(velocity_) < kStopPxPerMs || (dt > 0 && after.x == before.x && after.y == before.y)) {
      state_ = State::kIdle;
    }
  }
}

double TouchGestures::frameDueIn(double ms) const {
  switch (state_) {
    case State::kPressed:
      if (stopped_fling_ || past_slop_) return past_slop_ ? 0.0 : -1.0;  // past the slop: decided next frame
      return std::max(0.0, down_ms_ + kLongPressMs - ms);
    case State::kTap:
    case State::kTapRelease:
    case State::kLongPress:
    case State::kLongRelease:
    case State::kFling:
      return 0.0;
    default:
      return -1.0;
  }
}

// The window under the touch, or the nearest window around it, that can scroll in that direction.
ImGuiWindow* TouchGestures::scrollTarget(bool vertical) const {
  if (target_ == 0) return nullptr;
  for (ImGuiWindow* w = ImGui::FindWindowByID(target_); w; w = w->ParentWindow) {
    if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) continue;
    if ((vertical ? w->ScrollMax.y : w->ScrollMax.x) > 0) return w;
  }
  return nullptr;
}

void TouchGestures::scrollBy(ImVec2 delta) {
  ImGuiWindow* w = scrollTarget(vertical_);
  if (!w) return;
  // ScrollTarget: a scroll already asked for this frame (a momentum step, a log following new lines).
  if (vertical_ && delta.y != 0) {
    const float from = w->ScrollTarget.y != FLT_MAX ? w->ScrollTarget.y : w->Scroll.y;
    ImGui::SetScrollY(w, ImClamp(from - delta.y, 0.0f, w->ScrollMax.y));
  }
  if (!vertical_ && delta.x != 0) {
    const float from = w->ScrollTarget.x != FLT_MAX ? w->ScrollTarget.x : w->Scroll.x;
    ImGui::SetScrollX(w, ImClamp(from - delta.x, 0.0f, w->ScrollMax.x));
  }
}

}  // namespace imroom::ui
