#include "controller.hpp"

#include "names.hpp"

namespace imroom::core {

Controller::Controller(JoinForm initial) { state_.form = std::move(initial); }

void Controller::apply(const Intent& intent) {
  if (const auto* edit = std::get_if<EditForm>(&intent)) {
    state_.form = edit->form;
    changed();
  } else if (std::holds_alternative<Join>(intent)) {
    join();
  }
}

void Controller::join() {
  std::string problem = nameProblem(state_.form.username, "name");
  if (problem.empty()) problem = nameProblem(state_.form.room, "room");
  if (!problem.empty()) {
    state_.status = {StatusKind::kError, problem};
  } else {
    // Signaling (token, host, socket) is the next step of the roadmap: say so plainly.
    state_.status = {StatusKind::kError, "Cannot join '" + state_.form.room +
                                              "' yet: this build has no signaling client (coming with text rooms)."};
  }
  changed();
}

void Controller::changed() {
  if (onStateChanged) onStateChanged();
}

}  // namespace imroom::core
