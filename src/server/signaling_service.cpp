#include "signaling_service.hpp"

#include <algorithm>
#include <vector>

#include "websocket_session.hpp"

namespace imroom::server {

SignalingService::SignalingService(HubLimits limits, Hub::Clock clock) : hub_(*this, limits, std::move(clock)) {}

ConnId SignalingService::attach(std::weak_ptr<WebSocketPeer> session, const std::string& address) {
  ConnId id = next_id_++;
  sessions_[id] = std::move(session);
  ++per_address_[address];
  return id;
}

void SignalingService::detach(ConnId id, Hub::Departure how) {
  if (sessions_.erase(id) == 0) return;
  hub_.leave(id, how);
}

void SignalingService::release(const std::string& address) {
  auto count = per_address_.find(address);
  if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
}

std::size_t SignalingService::connectionsFrom(const std::string& address) const {
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

void SignalingService::send(ConnId to, SharedText text) {
  auto it = sessions_.find(to);
  if (it == sessions_.end()) return;
  if (auto s = it->second.lock()) s->enqueue(std::move(text));
}

void SignalingService::close(ConnId to, CloseCode code, std::string reason) {
  auto it = sessions_.find(to);
  if (it == sessions_.end()) return;
  if (auto s = it->second.lock()) s->closeAfterFlush(code, std::move(reason));
}

void SignalingService::closeAll(std::string reason) {
  for (auto& weak : snapshot()) {
    if (auto s = weak.lock()) s->closeAfterFlush(CloseCode::kGoingAway, reason);
  }
}

// Sessions can leave while they are being walked (a failed write closes one): walk a copy.
std::vector<std::weak_ptr<WebSocketPeer>> SignalingService::snapshot() const {
  std::vector<std::weak_ptr<WebSocketPeer>> all;
  all.reserve(sessions_.size());
  for (const auto& [id, session] : sessions_) all.push_back(session);
  return all;
}

void SignalingService::uncork() {
  if (--corked_ > 0) return;
  while (!dirty_.empty()) {
    auto sessions = std::move(dirty_);
    dirty_.clear();
    for (auto& s : sessions) s->flush();
  }
}

void SignalingService::tick(std::chrono::steady_clock::time_point now) {
  hub_.expire();  // rejoin graces that ran out: the others are told those members left
  auto all = snapshot();
  // Closing sockets that already left the hub; those gone since the last tick are dropped from the list.
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                [](const std::weak_ptr<WebSocketPeer>& w) { return w.expired(); }),
                 retired_.end());
  all.insert(all.end(), retired_.begin(), retired_.end());
  for (auto& weak : all) {
    if (auto s = weak.lock()) s->tick(now);
  }
}

}  // namespace imroom::server
