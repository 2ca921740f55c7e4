// The room screen: members with their connection state, the chat (log, recipient, input), the event log and
// a status bar. Reads AppState, pushes Intents; owns only widget state (the input, the open conversation,
// cached line heights).
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app_state.hpp"
#include "backdrop.hpp"
#include "controller.hpp"
#include "link_quality.hpp"

namespace imroom::ui {

// A video the app has in a texture: the local preview or a member's camera.
struct VideoTile {
  std::string user;
  ImTextureID texture = nullptr;
  float aspect = 4.0f / 3.0f;  // width / height of the picture
  bool self = false;
  bool camera_off = false;  // shown as a placeholder
  bool speaking = false;    // their audio is loud enough now: a green ring
  bool muted = false;       // their microphone is off: a note on the tile
  core::LinkVerdict link;   // their connection's quality: bars in the corner (none while unknown)
};

// The microphone switch's label and tooltip: "Mute" / "Unmute" once a microphone is in the call, "Start
// microphone" for a member who joined without one (unmuting is not what that button does for them).
struct SwitchWords {
  const char* label;
  const char* tooltip;
};
SwitchWords microphoneSwitch(const core::AppState& state);

// The first http(s) link in a chat line, without the punctuation that ends a sentence ("" if none).
std::string firstLink(std::string_view text);

// Heights of wrapped rows at one width, by key; forgotten when the width changes, or once most of the rows they
// were for are gone.
class RowHeights {
 public:
  void begin(float width, std::size_t rows) {
    if (width != width_ || heights_.size() > rows * 2 + 64) {
      heights_.clear();
      width_ = width;
    }
  }
  template <class Measure>
  float get(const std::string& key, Measure measure) {
    auto it = heights_.find(key);
    if (it != heights_.end()) return it->second;
    const float h = measure();
    heights_.emplace(key, h);
    return h;
  }

 private:
  float width_ = -1;
  std::unordered_map<std::string, float> heights_;
};

class RoomPanel {
 public:
  // The side and chat columns' fills go to `backdrops`.
  void draw(const core::AppState& state, const std::vector<VideoTile>& tiles, std::vector<core::Intent>& out,
            Backdrops& backdrops);

  // For tests: the conversation on screen ("" = the room) and the text in the input.
  const std::string& conversation() const { return conversation_; }
  std::string input() const { return input_.data(); }

 private:
  void drawPeers(const core::AppState& state, std::vector<core::Intent>& out, float height);
  void drawEvents(const core::AppState& state);
  void drawChat(const core::AppState& state, std::vector<core::Intent>& out);
  void drawLog(const core::AppState& state, std::vector<core::Intent>& out);
  void drawStatusBar(const core::AppState& state, std::vector<core::Intent>& out);
  void drawDevices(const core::AppState& state, std::vector<core::Intent>& out);
  void drawVideo(const std::vector<VideoTile>& tiles, float height);
  float lineHeight(const core::ChatMessage& m, float width);

  std::array<char, core::kMaxChatBytes + 1> input_{};
  std::string conversation_;           // "" = the whole room, else a member (private messages)
  std::string viewing_sent_ = "\x01";  // the conversation last reported with ViewConversation
  bool focus_input_ = true;
  std::size_t last_count_ = 0;   // messages seen last frame (to follow new ones)
  std::uint64_t last_events_ = 0;  // event log lines added, as of last frame
  RowHeights heights_;        // chat lines, by message key
  RowHeights event_heights_;  // event lines, by text
  std::string pinned_;                              // the member whose tile is shown large ("" = none)
  std::string menu_text_;                           // the chat line whose menu is open
  std::string copied_note_;
  double copied_at_ = -100;
  float status_height_ = 0;  // the status bar's height last frame (it wraps in narrow widgets)
};

}  // namespace imroom::ui
