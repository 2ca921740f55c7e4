// The join screen: name, room, text/video/audio choice, Join button, status line.
// Reads AppState, pushes Intents; owns only its widget state (edit buffers).
#pragma once

#include <array>
#include <vector>

#include "app_state.hpp"
#include "names.hpp"

namespace imroom::ui {

class JoinPanel {
 public:
  // Draws the panel centred in the current window; appends what the user asked for to `out`.
  void draw(const core::AppState& state, std::vector<core::Intent>& out);
  // The panel's height changed with its contents (a wrapped message, another theme): one more frame fits it.
  bool settling() const { return settling_; }

 private:
  void syncFrom(const core::JoinForm& form);

  std::array<char, core::kMaxNameBytes + 1> username_{};
  std::array<char, core::kMaxNameLength + 1> room_{};
  std::array<char, 96> allow_{};  // the iframe attribute to add, shown when the frame forbids the camera
  core::JoinForm last_seen_;  // the form as last synced, to notice changes made through the JS API
  bool synced_ = false;
  bool focus_requested_ = false;
  float content_height_ = 0;  // measured in the last frame (0: not yet)
  bool settling_ = false;
};

}  // namespace imroom::ui
