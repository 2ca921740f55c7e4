// Readiness of the plain signaling sockets (ws://), edge-triggered, from an epoll set of their own that Asio's
// reactor watches as one descriptor.
//
// Why: Asio (1.26) re-arms every async_wait with an epoll_ctl, and a socket that carries one message per read
// (a signaling message, answered before the next) then costs a system call per message for its wait alone —
// 8 % of the server under load (perf, BENCHMARKS.md). Here a socket is registered once, for reads and writes;
// each wake-up costs one epoll_wait, and one re-arm of the set's own descriptor, for every socket it reports.
// TLS sockets stay with Asio. Single-threaded: everything runs on the one I/O thread. Never throws.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <memory>

namespace imroom::server {

class EdgePoller {
 public:
  class Watcher {
   public:
    virtual ~Watcher() = default;
    // EPOLLIN / EPOLLOUT / EPOLLRDHUP / EPOLLHUP / EPOLLERR, as epoll reported them: edge-triggered, so a reader
    // must read until the socket is drained, and a writer that filled the socket hears EPOLLOUT when it has room.
    virtual void onReady(std::uint32_t events) = 0;
  };

  explicit EdgePoller(boost::asio::io_context& ioc);
  ~EdgePoller();
  EdgePoller(const EdgePoller&) = delete;
  EdgePoller& operator=(const EdgePoller&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Watches `fd` (reads, writes, hang-ups) for `watcher`, and keeps the watcher alive until remove(): a socket
  // waiting for its next bytes has no pending operation that would. A key for remove(), or 0 if it cannot.
  std::uint64_t add(int fd, std::shared_ptr<Watcher> watcher);
  // Before `fd` is closed: no event reaches its watcher after this, not even one already fetched.
  void remove(std::uint64_t key, int fd);
  // Before the I/O context is destroyed: lets go of it and of every watcher (whose sockets still need it to be
  // destroyed). add and remove still answer, and do nothing.
  void shutdown();

  std::size_t watched() const { return watchers_.size(); }

 private:
  void arm();
  void drain();

  int fd_ = -1;
  std::unique_ptr<boost::asio::posix::stream_descriptor> wake_;  // fd_ as Asio sees it
  boost::unordered_flat_map<std::uint64_t, std::shared_ptr<Watcher>> watchers_;
  std::uint64_t next_key_ = 1;
  bool closed_ = false;  // shutdown() done
};

}  // namespace imroom::server
