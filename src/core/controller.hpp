// The application's brain: takes intents from the UI and the JS API and events from the browser (through
// the ports), and keeps AppState. It joins a room through the SignalingClient, calls or answers every other
// member (one PeerSession each: a full mesh), and delivers chat: over the pair's data channel when it is open,
// else through the signaling socket, until the recipient acknowledges — nothing typed is lost, and the receiver
// drops duplicates, so nothing is shown twice. Pure: no browser, no ImGui.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "app_state.hpp"
#include "peer_session.hpp"
#include "ports.hpp"
#include "signaling_client.hpp"

namespace imroom::core {

inline constexpr std::size_t kMaxChatBytes = 8000;

// True for a link a chat line may open (OpenLink): http(s), at most 2 KiB, no spaces or control characters.
bool isWebLink(const std::string& url);

// The mesh's video budget: every member sends its camera to every other, so the uplink is shared.
struct MeshBudget {
  int max_bitrate_bps;  // per connection
  double scale_down;    // resolution divisor
};
inline constexpr int kUplinkBudgetBps = 2'500'000;  // what a home uplink gives a call, comfortably
inline constexpr int kMeshVideoLimit = 4;             // more video members than this: the mesh struggles
MeshBudget meshBudget(int receivers);

class Controller {
 public:
  // Without ports (headless UI tests) the controller cannot join and says so.
  explicit Controller(JoinForm initial = {}, Ports* ports = nullptr, std::string server = {},
                      BackoffPolicy backoff = {}, SignalingTimings timings = {});
  ~Controller();

  const AppState& state() const { return state_; }
  void apply(const Intent& intent);
  // Sends a chat message to everyone (to = "") or one member; returns its id, or "" and the reason in *error.
  std::string sendChat(const std::string& text, const std::string& to, std::string* error = nullptr);

  // Timers (retries, keep-alive, resending): call a few times a second.
  void tick();
  // Events from the ports.
  void onHttp(int request_id, int status, const std::string& body);
  void onSocketOpen(int socket_id);
  void onSocketMessage(int socket_id, const std::string& text);
  void onSocketClosed(int socket_id, int code, const std::string& reason);
  void onPeerEvent(int peer_id, const PeerEvent& event);
  // The event that asked for it (Ports::requestAfterEvent) is over: acknowledgements no message carried go now.
  void afterEvent();
  // getUserMedia's outcome: ok with what was granted, or the error's name (NotAllowedError, NotFoundError, …).
  void onMedia(bool ok, bool video, bool audio, const std::string& error_name, const std::string& error_message);

  // The devices the browser offers, and the ones in use ("" = none).
  void onDevices(std::vector<MediaDevice> cameras, std::vector<MediaDevice> microphones, const std::string& camera,
                 const std::string& microphone);
  // useDevice's outcome.
  void onDeviceSwitched(bool ok, bool video, const std::string& error_name, const std::string& error_message);
  // The browser blocked (true) or now plays (false) the others' sound.
  void onSound(bool blocked);

  // What the tab keeps across a reload (or a phone discarding it in the background; sessionStorage): the room
  // and name this page was in, its chat as shown, what is still on its way to members, what it keeps for members
  // who left, and the tickets it gave them — with those, the page back after the reload is the same page to the
  // others, who send it what it missed (PROTOCOL.md §5). JSON; bounded by the chat log's own bounds.
  std::string saveSession() const;
  // A saved session taken back, before any join: the form gets its room and name, and a join of that room under
  // that name starts with its chat and its undelivered messages. True when the page was in the room then (the
  // app joins again). What cannot be read is ignored.
  bool restoreSession(const std::string& saved);
  // This page's id as the others know it: its chat message ids and call ids begin with it (PROTOCOL.md §5).
  const std::string& pageId() const { return page_id_; }
  // The page's address (origin + path), for the room link the status bar offers to copy.
  void setPageUrl(std::string url);
  // What the page's <iframe> (if any) lets us use; joining with media it forbids says so instead of asking.
  void setFramePolicy(FramePolicy policy);
  const PeerSession* session(const std::string& user) const;

  // Called after every state change (the JS API turns it into a "state" event).
  std::function<void()> onStateChanged;
  // Named events for the JS API: joined, peer, message, error, left.
  std::function<void(const std::string& type, const nlohmann::json& detail)> onEvent;

 private:
  struct Pending {
    ChatMessage message;
    double sent_at = 0;  // 0 = not sent yet
  };
  // What a member who left (peer_removed) has not got from us: the messages it had not acknowledged when it
  // left, and the lines we sent the room since. Kept for the same page (the ticket it gave us) coming back within
  // 10 minutes — a dropped network, a server without a rejoin grace, a reload; a different page under that name
  // (another tab, someone else) gets none of it. Bounded (controller.cpp): the oldest lines go first.
  struct Missed {
    std::string page;  // the ticket its page gave us
    double since = 0;  // when it left
    std::deque<ChatMessage> lines;
    std::size_t bytes = 0;    // of text in `lines`
    std::size_t dropped = 0;  // the oldest lines let go of, beyond the bounds
    void keep(const ChatMessage& m);
  };

  void join();
  void leave(const std::string& why);
  void resetMedia();  // no camera, microphone or devices (joining, leaving)
  void changed();
  void notify();  // onStateChanged, if something changed
  // Held by every public entry point: changes made meanwhile are notified once, when the outermost returns.
  class Batch {
   public:
    explicit Batch(Controller& c) : c_(c) { ++c_.depth_; }
    ~Batch() {
      if (--c_.depth_ == 0) c_.notify();
    }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

   private:
    Controller& c_;
  };
  void emit(const std::string& type, const nlohmann::json& detail);
  void log(std::string line, StatusKind kind = StatusKind::kInfo);
  void problem(const std::string& code, const std::string& message, bool fatal);

  void onSignalingState(SignalingState s);
  void onFrame(const SignalFrame& f);
  void onPeers(const nlohmann::json& users);
  void onPeerJoined(const std::string& user);
  void onPeerLeft(const std::string& user);
  void onNegotiation(const std::string& from, const nlohmann::json& msg);
  void notePage(const std::string& user, const std::string& ticket);  // a member's ticket, from its negotiation
  const std::string& ticketFor(const std::string& user);
  void onPeerPayload(const std::string& from, const nlohmann::json& payload);  // {"chat"}, {"ack"} or both
  void receiveChat(const std::string& from, const nlohmann::json& chat);
  void acknowledged(const std::string& from, const nlohmann::json& ids);  // an id, or an array of ids
  void flushAcks(const std::string& user);
  void requestMedia(bool video, bool audio);
  void switchDevice(bool video, bool on);  // the camera (video) or the microphone
  void chooseDevice(bool video, const std::string& id);
  void sendMediaState(const std::string& user);  // "" = to everyone
  void applyMeshBudget();

  PeerSession* startSession(const std::string& user, const std::string& sid, bool caller);
  void closeSession(const std::string& user);
  void deliver(const std::string& user);
  bool sendToPeer(const std::string& user, const nlohmann::json& payload);
  void refreshPeers();

  AppState state_;
  Ports* ports_;
  std::string server_;
  BackoffPolicy backoff_;
  SignalingTimings timings_;
  // A secret between this page and the server: the token carries it, and it is what lets this page resume its
  // place after a drop (the hub's rejoin grace). It never goes to another member: whoever knew it could take
  // over the place of a member whose connection dropped, and get what is held for it.
  std::string client_id_;
  std::string page_id_;  // public: the first part of this page's message and call ids
  // The ticket this page gives each member it calls or answers (random, one per member, for the page's life),
  // shown to that member again when this page comes back. Only that member (and the server relaying it) sees it:
  // unlike the page id, which every member sees, it proves to the member that it is the same page.
  std::map<std::string, std::string> tickets_;
  // A session saved before a reload (restoreSession), for the first join of its room under its name.
  struct Restored {
    std::string room, username;
    std::vector<ChatMessage> chat;
    std::map<std::string, std::vector<ChatMessage>> outbox;  // by member; handed out when the member list comes
    std::map<std::string, Missed> missed;
  };
  std::optional<Restored> restored_;
  std::map<std::string, std::vector<ChatMessage>> restored_outbox_;
  std::unique_ptr<SignalingClient> signaling_;
  std::map<std::string, std::unique_ptr<PeerSession>> sessions_;
  std::map<int, std::string> peer_users_;  // peer id → user, for routing browser events
  std::set<std::string> present_;          // users the server lists in the room (self excluded)
  std::map<std::string, std::deque<Pending>> outbox_;
  std::map<std::string, std::string> pages_;  // user → the ticket its negotiation carried last (tickets_)
  std::map<std::string, Missed> missed_;      // users who left, and what they have not got from us
  // Chat ids received from a user and not acknowledged yet. Filled while a received message's event runs, so
  // that an answer sent from the listener — or from a promise callback the event started — carries the
  // acknowledgement (one data channel message, not two); what no message carried is sent on its own after.
  std::map<std::string, std::vector<std::string>> acks_due_;
  bool after_event_requested_ = false;
  std::string page_url_;
  std::string ice_config_ = R"({"iceServers":[]})";
  bool announced_join_ = false;
  int depth_ = 0;       // nested calls into the controller (Batch)
  bool dirty_ = false;  // changed since onStateChanged last ran
  bool media_ready_ = false;
  bool have_video_ = false;  // the local stream has a camera track
  bool have_audio_ = false;  // … a microphone track
  int next_peer_id_ = 1;
  long next_message_ = 1;
  long next_sid_ = 1;
};

}  // namespace imroom::core
