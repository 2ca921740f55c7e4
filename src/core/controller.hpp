// The application's brain: takes intents from the UI and the JS API, updates AppState.
// Pure: no browser, no ImGui; ports to the browser arrive with signaling (text rooms).
#pragma once

#include <functional>

#include "app_state.hpp"

namespace imroom::core {

class Controller {
 public:
  explicit Controller(JoinForm initial = {});

  const AppState& state() const { return state_; }
  void apply(const Intent& intent);

  // Called after every state change (the JS API turns it into a "state" event).
  std::function<void()> onStateChanged;

 private:
  void join();
  void changed();

  AppState state_;
};

}  // namespace imroom::core
