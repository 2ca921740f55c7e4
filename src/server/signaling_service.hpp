// Ties the pure Hub to the live WebSocket sessions: assigns connection ids, routes the hub's output to
// sessions, counts sockets per address, and closes everyone on shutdown. Runs on the one I/O thread.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "hub.hpp"

namespace imroom::server {

class WebSocketPeer;

class SignalingService : public HubOutput {
 public:
  SignalingService(HubLimits limits, Hub::Clock clock);

  // A socket counts against its address from attach until release, which comes when its file descriptor is
  // closed: a socket that has left the hub but is still closing (up to 5 s) still holds one.
  ConnId attach(std::weak_ptr<WebSocketPeer> session, const std::string& address);
  void detach(ConnId id, Hub::Departure how);  // out of the service and the hub
  void release(const std::string& address);

  std::size_t connectionsFrom(const std::string& address) const;
  std::size_t connections() const { return sessions_.size(); }
  void closeAll(std::string reason);  // graceful shutdown: close frames to every socket
  // Keep-alive pings, silent sockets dropped, closing sockets cut after a grace period; about once a second.
  void tick(std::chrono::steady_clock::time_point now);

  // While corked (a read's frames going through the hub), sessions queue what the hub sends them and ask to
  // be flushed at uncork: a recipient of several frames gets them in one write. Nests.
  void cork() { ++corked_; }
  void uncork();
  bool corked() const { return corked_ > 0; }
  void defer(std::shared_ptr<WebSocketPeer> session) { dirty_.push_back(std::move(session)); }
  // A session that has left the hub but whose socket is still closing: tick() keeps cutting its deadline.
  void retire(std::weak_ptr<WebSocketPeer> session) { retired_.push_back(std::move(session)); }

  Hub& hub() { return hub_; }
  const Hub& hub() const { return hub_; }

  // HubOutput
  void send(ConnId to, SharedText text) override;
  void close(ConnId to, CloseCode code, std::string reason) override;

 private:
  std::vector<std::weak_ptr<WebSocketPeer>> snapshot() const;

  Hub hub_;
  ConnId next_id_ = 1;
  boost::unordered_flat_map<ConnId, std::weak_ptr<WebSocketPeer>> sessions_;  // open addressing: one per relayed frame
  std::unordered_map<std::string, std::size_t> per_address_;
  int corked_ = 0;
  std::vector<std::shared_ptr<WebSocketPeer>> dirty_;
  std::vector<std::weak_ptr<WebSocketPeer>> retired_;
};

}  // namespace imroom::server
