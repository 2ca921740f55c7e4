// The signaling hub: rooms, presence and relay (PROTOCOL.md §4). Pure: no sockets, no Beast, no clock of
// its own. WebSocket sessions feed it events; it answers through HubOutput. One thread (the I/O thread).
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imroom::server {

using ConnId = std::uint64_t;
using SharedText = std::shared_ptr<const std::string>;  // one buffer per broadcast, shared by all recipients

// WebSocket close codes the hub uses.
enum class CloseCode : std::uint16_t { kGoingAway = 1001, kPolicy = 1008, kTooBig = 1009, kInternal = 1011 };

class HubOutput {
 public:
  virtual ~HubOutput() = default;
  virtual void send(ConnId to, SharedText text) = 0;
  virtual void close(ConnId to, CloseCode code, std::string reason) = 0;
};

struct HubLimits {
  std::size_t max_users_per_room = 50;
  double frames_per_second = 50;  // per connection; bursts of twice this are allowed
  // A member whose socket dropped (no close frame) stays in the room this long, its frames held, so that its page
  // can reconnect without anyone seeing it leave (PROTOCOL.md §4.2). 0: gone at once.
  double rejoin_grace = 10;
  std::size_t max_held_bytes = 256 * 1024;  // frames held for one such member; past this its grace ends
};

// Counters for /metrics.
struct HubStats {
  std::uint64_t frames_relayed = 0;     // frames delivered to a recipient (a broadcast to 3 counts 3)
  std::uint64_t bare_pings = 0;
  std::map<std::string, std::uint64_t> rejected;  // by error code
  std::size_t members = 0;  // away members included
  std::size_t away = 0;     // members whose socket dropped, within their rejoin grace
  std::size_t rooms = 0;
};

class Hub {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  Hub(HubOutput& out, HubLimits limits, Clock clock);
  ~Hub();

  enum class JoinOutcome { kJoined, kReplaced, kResumed, kNameTaken, kRoomFull };
  // A socket with a verified token for `user` on `path`; `client` is the token's client id ("" if none).
  // kResumed: the same page back within its rejoin grace; it gets `peers`, then the frames held for it.
  JoinOutcome join(ConnId id, const std::string& path, const std::string& user, const std::string& client);
  // How a socket ended: with the client's close frame (or a close of ours), or dropped — reset, cut, silent.
  enum class Departure { kClosed, kDropped };
  // The socket is gone; no-op for unknown or replaced ids. A dropped member with a client id goes away for the
  // rejoin grace instead of leaving; the others are told `peer_removed` only when it ends (expire()).
  void leave(ConnId id, Departure how = Departure::kClosed);
  // Ends the rejoin grace of members away past it (or holding too much); the server calls it every tick.
  void expire();
  // A text frame from a member.
  void receive(ConnId id, std::string_view text);
  // A binary frame from a member (not part of the protocol).
  void receiveBinary(ConnId id);

  const HubStats& stats() const { return stats_; }
  bool isMember(ConnId id) const;

 private:
  struct Member;
  struct Room;

  void relay(Member& from, std::string_view text);
  // `similar`: for a name refused because it looks like a member's, that member's name (p.similar).
  // `held_for`: for a name refused because its member is away, the seconds left of its grace (p.held_for).
  void reject(ConnId id, const Member* m, std::string_view code, const std::string& reason,
              const std::string& similar = {}, double held_for = 0);
  bool allowFrame(Member& m);
  bool admit(Member& m);  // the rate limit, with its throttled error
  SharedText systemFrame(const std::string& path, const char* op, const std::string* to, const std::string& payload_json) const;
  void broadcast(const Room& room, const Member* except, const SharedText& text);
  void deliver(Member& to, SharedText text);  // sent, or held while `to` is away
  void remove(ConnId id);  // out of the room for good: the others are told peer_removed
  void updateStats();

  HubOutput& out_;
  HubLimits limits_;
  Clock clock_;
  // Open addressing, as every lookup per relayed frame (the Members themselves stay put: held by pointer).
  boost::unordered_flat_map<ConnId, std::unique_ptr<Member>> members_;
  std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;  // by path
  std::vector<ConnId> away_;  // members in their rejoin grace
  HubStats stats_;
};

}  // namespace imroom::server
