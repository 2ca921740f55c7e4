#include "chat_log.hpp"

namespace imroom::core {

bool ChatLog::add(ChatMessage m) {
  std::string k = key(m.from, m.id);
  if (m.id.empty() || ids_.count(k)) return false;
  ids_.insert(k);
  id_order_.push_back(std::move(k));
  // Ids are remembered four times as long as lines are kept, so a late duplicate of a trimmed line is still caught.
  while (id_order_.size() > capacity_ * 4) {
    ids_.erase(id_order_.front());
    id_order_.pop_front();
  }
  std::string conversation = conversationOf(m);
  if (!m.own && !(looking_ && conversation == viewing_)) ++unread_[conversation];
  messages_.push_back(std::move(m));
  ++added_;
  while (messages_.size() > capacity_) messages_.pop_front();
  return true;
}

std::string ChatLog::conversationOf(const ChatMessage& m) {
  if (m.to.empty()) return {};
  return m.own ? m.to : m.from;
}

int ChatLog::unread(const std::string& conversation) const {
  auto it = unread_.find(conversation);
  return it == unread_.end() ? 0 : it->second;
}

int ChatLog::unreadTotal() const {
  int total = 0;
  for (const auto& [conversation, n] : unread_) total += n;
  return total;
}

void ChatLog::markRead(const std::string& conversation) { unread_.erase(conversation); }

void ChatLog::setViewing(const std::string& conversation, bool looking) {
  viewing_ = conversation;
  looking_ = looking;
  if (looking) markRead(conversation);
}

void ChatLog::clear() {
  messages_.clear();
  id_order_.clear();
  ids_.clear();
  unread_.clear();
}

}  // namespace imroom::core
