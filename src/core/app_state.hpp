// Everything the UI draws, in one value. Panels read it; they never change it (they push Intents).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "media_kind.hpp"

namespace imroom::core {

// The join form's contents (prefilled from create() options / the page's ?room=&name=&media=).
struct JoinForm {
  std::string username;
  std::string room;
  MediaKind media = MediaKind::kText;
};

enum class StatusKind { kInfo, kBusy, kError };

// The status line under the join form (and later the status bar).
struct Status {
  StatusKind kind = StatusKind::kInfo;
  std::string text;
};

enum class Screen { kJoin };

struct AppState {
  Screen screen = Screen::kJoin;
  JoinForm form;
  Status status{StatusKind::kInfo, "Choose a name and a room, then join."};
};

// What the UI (or the JS API) asks the controller to do.
struct EditForm {  // the user changed the join form
  JoinForm form;
};
struct Join {};  // the Join button / Enter in the form

using Intent = std::variant<EditForm, Join>;

}  // namespace imroom::core
