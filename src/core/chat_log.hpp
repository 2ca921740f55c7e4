// The chat as one user sees it: messages in arrival order, each once (de-duplicated by id), with the
// sender's timestamp, private messages, a bounded history and unread counts per conversation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_set>

namespace imroom::core {

struct ChatMessage {
  std::string id;    // unique per sender: "<page id>-<counter>"
  std::string from;  // user name
  std::string to;    // "" = everyone in the room, else one user (a private message)
  std::string text;
  double ts = 0;     // the sender's clock, ms since the epoch
  bool own = false;  // sent by this user
};

class ChatLog {
 public:
  explicit ChatLog(std::size_t capacity = 5000) : capacity_(capacity) {}

  // Adds a message; false when this sender's id was seen before (nothing changes). Ids are per sender, so
  // a peer cannot suppress someone else's message by reusing its id.
  bool add(ChatMessage m);
  bool seen(const std::string& from, const std::string& id) const { return ids_.count(key(from, id)) != 0; }

  const std::deque<ChatMessage>& messages() const { return messages_; }
  std::size_t size() const { return messages_.size(); }
  // How many messages were ever added (never goes back, not even at clear()): the last added() - n of
  // messages() are those added since a reader saw n.
  std::uint64_t added() const { return added_; }

  // The conversation a message belongs to, as this user sees it: "" (the room) or the other user's name.
  static std::string conversationOf(const ChatMessage& m);
  int unread(const std::string& conversation) const;
  int unreadTotal() const;
  void markRead(const std::string& conversation);
  // The conversation the user is looking at: its messages never count as unread.
  void setViewing(const std::string& conversation, bool looking);

  void clear();

 private:
  static std::string key(const std::string& from, const std::string& id) { return from + '\x1f' + id; }

  std::size_t capacity_;
  std::uint64_t added_ = 0;
  std::deque<ChatMessage> messages_;
  std::deque<std::string> id_order_;  // ids remembered for de-duplication (bounded like the history)
  std::unordered_set<std::string> ids_;
  std::map<std::string, int> unread_;
  std::string viewing_;
  bool looking_ = false;
};

}  // namespace imroom::core
