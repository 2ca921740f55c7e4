// Ties the pure Hub to the live WebSocket sessions: assigns connection ids, routes the hub's output to
// sessions, counts sockets per address, and closes everyone on shutdown. Runs on the one I/O thread.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "hub.hpp"

namespace imroom::server {

class WebSocketPeer;

class SignalingService : public HubOutput {
 public:
  SignalingService(HubLimits limits, Hub::Clock clock);

  ConnId attach(std::weak_ptr<WebSocketPeer> session, const std::string& address);
  void detach(ConnId id);  // the session is gone: leaves the hub too

  std::size_t connectionsFrom(const std::string& address) const;
  std::size_t connections() const { return sessions_.size(); }
  void closeAll(std::string reason);  // graceful shutdown: close frames to every socket

  Hub& hub() { return hub_; }
  const Hub& hub() const { return hub_; }

  // HubOutput
  void send(ConnId to, SharedText text) override;
  void close(ConnId to, CloseCode code, std::string reason) override;

 private:
  struct Entry {
    std::weak_ptr<WebSocketPeer> session;
    std::string address;
  };
  Hub hub_;
  ConnId next_id_ = 1;
  std::unordered_map<ConnId, Entry> sessions_;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace imroom::server
