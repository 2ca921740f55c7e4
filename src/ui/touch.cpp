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
  under_ = 0;
  past_slop_ = lifted_ = false;
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
      true;  // a scroll or nothing: decided at the next frame, which knows the window under the finger
  vertical_ = std::fabs(moved.y) >= std::fabs(moved.x);
}

void TouchGestures::up(ImVec2 pos, double ms) {
  owning_ = true;
  pos_ = pos;
  samples_.emplace_back(pos, ms);  // a finger that rested before lifting has no speed left
  while (samples_.size() > 1 && ms - samples_.front().second > kVelocityWindowMs) samples_.pop_front();
  last_ms_ = ms;
  switch (state_) {
    case State::kPressed:
      if (past_slop_) {
        lifted_ = true;  // a flick faster than a frame: scrolled at the next one
      } else {
        state_ = stopped_fling_ ? State::kIdle : State::kTap;
      }
      break;
    case State::kScrolling:
      fingerVelocity(pos, ms);
      state_ = std::fabs(velocity_) >= kMinFlingPxPerMs ? State::kFling : State::kIdle;
      break;
    case State::kIgnored:
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

void TouchGestures::fingerVelocity(ImVec2 pos, double ms) {
  const auto& [first_pos, first_ms] = samples_.front();
  const double dt = ms - first_ms;
  const float moved = vertical_ ? pos.y - first_pos.y : pos.x - first_pos.x;
  velocity_ = dt > 0 ? static_cast<float>(moved / dt) : 0.0f;
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
    case State::kIdle:
    case State::kScrolling:
    case State::kIgnored:
    case State::kFling:
      io.MousePos = kNowhere;
      break;
  }
}

void TouchGestures::afterNewFrame(double ms) {
  if (!owning_) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (state_ == State::kPressed && under_ == 0 && g.HoveredWindow) under_ = g.HoveredWindow->ID;
  if (state_ == State::kPressed && past_slop_) {
    // A scroll if something under the finger can scroll that way (or else the other way); nothing otherwise.
    ImGuiWindow* w = scrollable(vertical_);
    if (!w && (w = scrollable(!vertical_)) != nullptr) vertical_ = !vertical_;
    if (!w) {
      state_ = lifted_ ? State::kIdle : State::kIgnored;
      return;
    }
    // A menu open over the list closes as the list moves, as it would on a click elsewhere.
    if (!g.OpenPopupStack.empty() && g.OpenPopupStack[0].Window &&
        !(g.OpenPopupStack[0].Window->Flags & ImGuiWindowFlags_Modal)) {
      ImGui::ClosePopupToLevel(0, false);
    }
    startScrolling(w);
    applied_ = start_;  // the slop counts: the content moves with the finger from where it went down
    if (!lifted_) {
      state_ = State::kScrolling;
    } else {
      scrollBy(vertical_ ? pos_.y - start_.y : pos_.x - start_.x);
      fingerVelocity(pos_, last_ms_);
      state_ = std::fabs(velocity_) >= kMinFlingPxPerMs ? State::kFling : State::kIdle;
      return;
    }
  }
  if (state_ == State::kScrolling) {
    scrollBy(vertical_ ? pos_.y - applied_.y : pos_.x - applied_.x);
    applied_ = pos_;
  } else if (state_ == State::kFling) {
    const double dt = std::max(0.0, ms - last_ms_);
    last_ms_ = ms;
    const bool moved = scrollBy(static_cast<float>(velocity_ * dt));
    velocity_ *= static_cast<float>(std::exp(-dt / kFlingTimeConstantMs));
    if (!moved || std::fabs(velocity_) < kStopPxPerMs) state_ = State::kIdle;  // at an end, or slow enough
  }
}

double TouchGestures::frameDueIn(double ms) const {
  switch (state_) {
    case State::kPressed:
      if (past_slop_) return 0.0;  // decided in the next frame
      if (stopped_fling_) return -1.0;
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
ImGuiWindow* TouchGestures::scrollable(bool vertical) const {
  if (under_ == 0) return nullptr;
  for (ImGuiWindow* w = ImGui::FindWindowByID(under_); w; w = w->ParentWindow) {
    if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) continue;
    if ((vertical ? w->ScrollMax.y : w->ScrollMax.x) > 0) return w;
  }
  return nullptr;
}

ImGuiWindow* TouchGestures::window() const {
  return scrolled_ ? ImGui::FindWindowByID(scrolled_) : nullptr;
}

void TouchGestures::startScrolling(ImGuiWindow* w) {
  scrolled_ = w->ID;
  scroll_ = vertical_ ? w->Scroll.y : w->Scroll.x;
}

// ImGui keeps whole pixels of scroll: the position is kept here, fraction included, so slow momentum still
// moves and both directions glide alike.
bool TouchGestures::scrollBy(float delta) {
  ImGuiWindow* w = window();
  if (!w) return false;
  const float before = scroll_;
  scroll_ = ImClamp(scroll_ - delta, 0.0f, vertical_ ? w->ScrollMax.y : w->ScrollMax.x);
  if (vertical_) {
    ImGui::SetScrollY(w, scroll_);
  } else {
    ImGui::SetScrollX(w, scroll_);
  }
  return delta == 0.0f || scroll_ != before;
}

}  // namespace imroom::ui
