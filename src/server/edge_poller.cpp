#include "edge_poller.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <array>

namespace imroom::server {
namespace net = boost::asio;

namespace {
constexpr int kBatch = 256;  // events per wake-up; more wait for the next turn, after other work
}

EdgePoller::EdgePoller(net::io_context& ioc) : fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (fd_ < 0) return;
  boost::system::error_code ec;
  wake_ = std::make_unique<net::posix::stream_descriptor>(ioc);
  wake_->assign(::dup(fd_), ec);  // Asio owns (and closes) its own copy of the descriptor
  if (ec) {
    wake_.reset();
    ::close(fd_);
    fd_ = -1;
    return;
  }
  arm();
}

EdgePoller::~EdgePoller() {
  shutdown();
  if (fd_ >= 0) ::close(fd_);
}

void EdgePoller::shutdown() {
  if (wake_) {
    boost::system::error_code ignored;
    wake_->close(ignored);  // its pending wait is cancelled: it never runs
    wake_.reset();
  }
  // Watchers let go of here may remove themselves as they are destroyed: the map is empty by then.
  auto watchers = std::move(watchers_);
  watchers_.clear();
  closed_ = true;
  watchers.clear();
}

std::uint64_t EdgePoller::add(int fd, std::shared_ptr<Watcher> watcher) {
  if (fd_ < 0 || fd < 0 || closed_) return 0;
  const std::uint64_t key = next_key_++;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = key;
  if (::epoll_ctl(fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return 0;
  watchers_.emplace(key, std::move(watcher));
  return key;
}

void EdgePoller::remove(std::uint64_t key, int fd) {
  if (key == 0) return;
  watchers_.erase(key);
  if (fd_ >= 0 && fd >= 0) ::epoll_ctl(fd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EdgePoller::arm() {
  if (!wake_) return;
  wake_->async_wait(net::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
    if (ec) return;  // closed (detach)
    drain();
    arm();
  });
}

void EdgePoller::drain() {
  std::array<epoll_event, kBatch> events;
  const int n = ::epoll_wait(fd_, events.data(), kBatch, 0);
  for (int i = 0; i < n; ++i) {
    auto it = watchers_.find(events[i].data.u64);
    if (it == watchers_.end()) continue;  // removed earlier in this batch
    std::shared_ptr<Watcher> w = it->second;  // alive through its handler, even if it removes itself there
    w->onReady(events[i].events);
  }
}

}  // namespace imroom::server
