// Everything the UI draws, in one value. Panels read it; they never change it (they push Intents).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "chat_log.hpp"
#include "embedding.hpp"
#include "media_kind.hpp"
#include "signaling_client.hpp"

namespace imroom::core {

// The join form's contents (prefilled from create() options / the page's ?room=&name=&media=).
struct JoinForm {
  std::string username;
  std::string room;
  MediaKind media = MediaKind::kText;
};

enum class StatusKind { kInfo, kBusy, kError };

// The status line under the join form (and in the room's status bar).
struct Status {
  StatusKind kind = StatusKind::kInfo;
  std::string text;
};

enum class Screen { kJoin, kRoom };

// One other member of the room.
struct PeerView {
  std::string username;
  std::string connection = "new";  // RTCPeerConnectionState ("new" until a call starts)
  std::string ice = "new";         // RTCIceConnectionState
  std::string channel = "none";    // the chat channel's RTCDataChannelState, or "none"
  bool present = true;             // the server lists the user in the room
  bool caller = false;             // this side called
  int pending = 0;                 // chat messages to this peer not yet acknowledged
  bool video = false;              // receiving their camera, and it is on
  bool camera_off = false;         // they have a camera in this call but turned it off (a placeholder tile)
  bool muted = false;              // they turned their microphone off
  bool audio = false;              // receiving their microphone
  int peer_id = 0;                 // the connection's id for the bridges (0 = none)
};

// A camera or microphone the browser offers (labels come once a device was granted).
struct MediaDevice {
  std::string id;
  std::string label;
  bool operator==(const MediaDevice& o) const { return id == o.id && label == o.label; }
};

struct LogLine {
  double ts = 0;
  StatusKind kind = StatusKind::kInfo;
  std::string text;
};

struct ErrorInfo {
  std::string code;
  std::string message;
  bool fatal = false;
  double ts = 0;
};

struct AppState {
  Screen screen = Screen::kJoin;
  JoinForm form;
  Status status{StatusKind::kInfo, "Choose a name and a room, then join."};
  // While in a room:
  JoinForm joined;  // who and where we are
  SignalingState signaling = SignalingState::kIdle;
  std::vector<PeerView> peers;  // sorted by name
  bool members_known = false;   // the server's member list arrived since joining (peers is complete)
  ChatLog chat;
  std::deque<LogLine> events;  // the event log (bounded)
  std::uint64_t events_added = 0;  // lines ever added to it (its size stops growing at the bound)
  std::vector<ErrorInfo> errors;  // recent problems (bounded)
  int pending = 0;  // own chat messages not yet acknowledged by every recipient
  bool camera = false;      // this member's camera is on (sent to the others)
  bool microphone = false;  // this member's microphone is on
  bool has_microphone = false;  // this member has a microphone in the call (on or muted)
  std::string share_link;  // the page's address with ?room= (empty when unknown)
  std::string mesh_notice;  // set when the room has more cameras than a mesh carries well
  int video_budget_kbps = 0;  // what this member's camera may send to each member (0 = no camera)
  std::vector<MediaDevice> cameras, microphones;  // to choose from (known once the browser granted one)
  std::string camera_device, microphone_device;   // the devices in use ("" = none)
  bool sound_blocked = false;  // the browser refused to play the others' sound until the user acts
  FramePolicy frame;  // what the page around us lets us use (an <iframe>'s allow list)
  Look look;          // theme and text size
};

// What the UI (or the JS API) asks the controller to do.
struct EditForm {  // the user changed the join form
  JoinForm form;
};
struct Join {};  // the Join button / Enter in the form
struct Leave {};
struct SendChat {
  std::string text;
  std::string to;  // "" = everyone
};
struct SetCamera {
  bool on = true;
};
struct SetMicrophone {
  bool on = true;
};
struct ViewConversation {  // the chat panel shows this conversation ("" = the room); looking = visible
  std::string conversation;
  bool looking = true;
};

struct ChooseDevice {  // use another camera (video) or microphone
  bool video = true;
  std::string id;
};
struct EnableSound {};  // the user clicked the "enable sound" prompt (a user gesture lets the browser play)
struct SetLook {  // another theme or text size
  Look look;
};
struct OpenLink {  // a link from a chat line, in a new tab (http and https only)
  std::string url;
};

using Intent = std::variant<EditForm, Join, Leave, SendChat, ViewConversation, SetCamera, SetMicrophone, ChooseDevice,
                            EnableSound, SetLook, OpenLink>;

}  // namespace imroom::core
