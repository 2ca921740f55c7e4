// Signaling load generator (C++: a Node client would be the bottleneck). Opens N WebSocket clients spread
// over R rooms against imroom-server, the PeerJS server or the bare relay (bare_relay.cpp, the floor), measures
// the server's memory per idle connection, then relays directed messages between pairs (each pair keeps a window
// of messages in flight, every delivery answered by the next send) and reports delivered messages/s and one-way
// latency p50/p99. Prints one JSON line.
//
//   loadgen --target imroom|peerjs|bare --port P --server-pid PID --conns N --rooms R --pairs K --windows W1,W2,...
//           --seconds S [--secret S]
// Each window size is one measured phase on the same connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../server/client_frame.hpp"
#include "token.hpp"

using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string target = "imroom";
  unsigned short port = 0;
  int server_pid = 0;
  int conns = 1000, rooms = 100, pairs = 100;
  std::vector<int> windows = {8};
  double seconds = 5;
  std::string secret = "bench-secret";
};

// utime + stime of a process, in seconds.
double cpuSeconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rssKiB(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

double threadCpuUs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

// What the kernel alone charges for one crossing of loopback TCP: a send of `bytes` and its recv, measured as a
// ping-pong on one connection of this machine (TCP_NODELAY, as the relay's sockets), in CPU time of this thread.
// A relayed message crosses twice (generator -> server -> generator), so no server and no generator, however
// little their own code did, can relay more than cores / (2 x crossing) messages a second here. Returns µs, or 0.
double loopbackCrossingUs(std::size_t bytes) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int a = -1, b = -1;
  if (listener >= 0 && ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0 && ::listen(listener, 1) == 0) {
    a = ::socket(AF_INET, SOCK_STREAM, 0);
    if (a >= 0 && ::connect(a, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) b = ::accept(listener, nullptr, nullptr);
  }
  double us = 0;
  if (b >= 0) {
    int one = 1;
    ::setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string out(bytes, 'x'), in(65536, '\0');
    auto cross = [&](int from, int to) {
      if (::send(from, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) return false;
      for (std::size_t got = 0; got < bytes;) {
        ssize_t n = ::recv(to, in.data(), in.size(), 0);
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
      }
      return true;
    };
    constexpr int kWarm = 2000, kRounds = 50000;  // a round is two crossings, one each way
    bool ok = true;
    for (int i = 0; i < kWarm && ok; ++i) ok = cross(a, b) && cross(b, a);
    double t0 = threadCpuUs();
    for (int i = 0; i < kRounds && ok; ++i) ok = cross(a, b) && cross(b, a);
    if (ok) us = (threadCpuUs() - t0) / (2.0 * kRounds);
  }
  for (int fd : {a, b, listener}) if (fd >= 0) ::close(fd);
  return us;
}

// The text of one directed message (an ICE candidate, as browsers send in bursts) in the target's protocol,
// written over `out` (the generator reuses one buffer: its own allocations would be part of what it measures).
void relayText(std::string& out, const std::string& target, const std::string& peer, std::int64_t seq) {
  const bool peerjs = target == "peerjs";  // imroom-server and the bare relay take the same frames
  out.assign(peerjs ? R"({"type":"CANDIDATE","dst":")" : R"({"t":"u","m":{"o":"message","t":")");
  out.append(peer).append(peerjs ? R"(","payload":)" : R"("},"p":)");
  out.append(R"({"msg":{"type":"candidate","candidate":"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host","sdpMid":"0","sdpMLineIndex":0},"seq":)");
  char number[24];
  out.append(number, std::to_chars(number, number + sizeof number, seq).ptr);
  out.append(R"(,"ts":)");
  out.append(number, std::to_chars(number, number + sizeof number, nowNs()).ptr);
  out.append("}}");
}

struct Stats {
  std::vector<double> latencies_us;
  std::uint64_t delivered = 0;
  bool measuring = false;
  bool answering = true;
  int errors = 0;
};

// The generator's own event loop: non-blocking sockets in one edge-triggered epoll. A wake-up reads each ready
// socket until it is drained and handles every frame; the answers then leave in one write per socket. (With
// Asio's reactor the generator made an extra system call per message: a read that came back EAGAIN before every
// wait.)
class Loop {
 public:
  struct Handler {
    virtual ~Handler() = default;
    virtual void onEvents(std::uint32_t events) = 0;
  };
  Loop() : fd_(::epoll_create1(EPOLL_CLOEXEC)) {}
  ~Loop() { ::close(fd_); }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  bool add(int fd, Handler* h) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = h;
    return fd_ >= 0 && ::epoll_ctl(fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
  }
  // A socket with answers queued during this turn: written once every ready socket has been read.
  void dirty(std::function<void()> flush) { flushes_.push_back(std::move(flush)); }
  // Turns until `until` says so or `seconds` have passed.
  void run(double seconds, const std::function<bool()>& until = nullptr) {
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::array<epoll_event, 512> events;
    std::vector<std::function<void()>> flushes;
    for (;;) {
      flushes.swap(flushes_);  // what was queued outside a turn (the first sends of a phase) goes first
      for (auto& f : flushes) f();
      flushes.clear();
      if (until && until()) return;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
      if (left < 0) return;
      // Looks again many times before sleeping. The generator stands for thousands of clients on other
      // machines, whose wake-ups cost the server nothing; one process here that sleeps between messages makes the
      // server's sends wake it (an inter-processor interrupt: in this virtual machine, 57-72k messages/s with no
      // looking again, 95-99k with 1,000 looks, for the same server). The same for both servers measured.
      int n = 0;
      for (int spin = 0; spin < kSpins && n == 0; ++spin) n = ::epoll_wait(fd_, events.data(), static_cast<int>(events.size()), 0);
      if (n == 0) n = ::epoll_wait(fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(std::min<long long>(left, 100)));
      for (int i = 0; i < n; ++i) static_cast<Handler*>(events[i].data.ptr)->onEvents(events[i].events);
    }
  }

 private:
  int fd_;
  static constexpr int kSpins = 2000;
  std::vector<std::function<void()>> flushes_;
};

// A raw WebSocket client (RFC 6455, client side): the generator must cost less than the servers it drives, so it
// reads whatever the socket has, handles every frame in it, and sends all the answers in one write — as a browser's
// event loop and socket write queue would — instead of a system call per frame.
class Client : public Loop::Handler {
 public:
  Client(Loop& loop, const Options& o, Stats& stats, std::string user, std::string room)
      : user_(std::move(user)), room_(std::move(room)), loop_(loop), o_(o), stats_(stats) {}
  ~Client() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  std::string user_, room_;
  std::string peer_;  // partner in the relay phase ("" = idle)
  bool open = false, failed = false;

  void connect(std::function<void()> done) {
    done_ = std::move(done);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || !loop_.add(fd_, this)) return fail();
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(o_.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connecting_ = true;
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) fail();
  }

  // Queues a directed message to the partner; it leaves with the next write.
  void send(std::int64_t seq) {
    static std::string text;  // one for all: used before the next message is built
    relayText(text, o_.target, peer_, seq);
    appendMasked(0x1, text);
  }

 private:
  void appendMasked(unsigned opcode, std::string_view payload) {
    imroom::server::testing::appendClientFrame(pending_, static_cast<int>(opcode), payload, true, mask_);
    if (!dirty_ && !connecting_) {
      dirty_ = true;
      loop_.dirty([this] { flush(); });
    }
  }

  // Writes what is queued; what the socket does not take waits for EPOLLOUT.
  void flush() {
    dirty_ = false;
    while (!pending_.empty() && !failed) {
      const ssize_t n = ::send(fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL);
      if (n > 0) {
        pending_.erase(0, static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
      } else {
        return fail();
      }
    }
  }

  void onEvents(std::uint32_t events) override {
    if (failed || closed_) return;
    if (connecting_) {
      if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      int err = 0;
      socklen_t len = sizeof err;
      if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return fail();
      connecting_ = false;
      onConnect();
    } else if (events & EPOLLOUT) {
      flush();
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readAll();
  }

  void onConnect() {
    mask_ = static_cast<std::uint32_t>(std::rand());
    std::string target;
    if (o_.target == "imroom") {
      imroom::server::TokenSigner signer(o_.secret);
      target = "/v2/" + signer.issue({"imroom/" + room_, user_, "", std::time(nullptr) + 3600});
    } else if (o_.target == "bare") {
      target = "/bare/" + user_;
    } else {
      target = "/peerjs?key=peerjs&id=" + user_ + "&token=t" + user_;
    }
    pending_ = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o_.port) +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n";
    flush();
  }

  void fail() {
    if (failed) return;
    failed = true;
    ++stats_.errors;
    if (done_) std::exchange(done_, nullptr)();
  }

  // Reads until the socket is drained: a read shorter than the buffer took all there was, and with edge
  // triggering the next bytes wake the loop again.
  void readAll() {
    static std::unique_ptr<char[]> buffer(new char[kReadChunk]);  // parsed before the next read: one for all
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer.get(), kReadChunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n <= 0) {  // closed or reset
        closed_ = true;
        if (!open) fail();
        return;
      }
      in_.append(buffer.get(), static_cast<std::size_t>(n));
      if (!onBytes()) {
        closed_ = true;
        return;
      }
      if (static_cast<std::size_t>(n) < kReadChunk) return;
    }
  }

  // Handles every whole frame in in_; false once the server has closed (or answered the upgrade with no).
  bool onBytes() {
    std::size_t pos = 0;
    if (!upgraded_) {
      const auto end = in_.find("\r\n\r\n");
      if (end == std::string::npos) return true;
      if (in_.compare(0, 12, "HTTP/1.1 101") != 0) {
        fail();
        return false;
      }
      upgraded_ = true;
      pos = end + 4;
    }
    while (in_.size() - pos >= 2) {
      const auto b0 = static_cast<unsigned char>(in_[pos]), b1 = static_cast<unsigned char>(in_[pos + 1]);
      std::size_t header = 2;
      std::uint64_t n = b1 & 0x7F;
      if (n == 126) {
        if (in_.size() - pos < 4) break;
        n = (static_cast<unsigned char>(in_[pos + 2]) << 8) | static_cast<unsigned char>(in_[pos + 3]);
        header = 4;
      } else if (n == 127) {
        if (in_.size() - pos < 10) break;
        n = 0;
        for (int i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(in_[pos + 2 + i]);
        header = 10;
      }
      if (in_.size() - pos - header < n) break;
      const std::string_view payload(in_.data() + pos + header, n);
      pos += header + n;
      const unsigned op = b0 & 0x0F;
      if (op == 0x9) {
        appendMasked(0xA, payload);  // pong
      } else if (op == 0x8) {
        return false;  // closed by the server
      } else if (op == 0x1) {
        onText(payload);
      }
    }
    in_.erase(0, pos);
    return true;
  }

  void onText(std::string_view text) {
    if (!open && (text.find("\"peers\"") != std::string_view::npos || text.find("\"OPEN\"") != std::string_view::npos)) {
      open = true;
      if (done_) std::exchange(done_, nullptr)();
    } else if (auto at = text.rfind("\"ts\":"); at != std::string_view::npos && !peer_.empty()) {
      // Searched from the end, where both servers leave the payload that holds them.
      const std::int64_t sent = std::strtoll(text.data() + at + 5, nullptr, 10);
      const auto seq_at = text.rfind("\"seq\":", at);
      const std::int64_t seq = seq_at == std::string_view::npos ? 0 : std::strtoll(text.data() + seq_at + 6, nullptr, 10);
      if (stats_.measuring) {
        ++stats_.delivered;
        stats_.latencies_us.push_back((nowNs() - sent) / 1000.0);
      }
      if (stats_.answering) send(seq + 1);  // answer: keeps the window full
    }
  }

  static constexpr std::size_t kReadChunk = 64 * 1024;
  Loop& loop_;
  const Options& o_;
  Stats& stats_;
  int fd_ = -1;
  std::string in_, pending_;
  std::uint32_t mask_ = 0;
  bool connecting_ = false, upgraded_ = false, dirty_ = false, closed_ = false;
  std::function<void()> done_;
};


}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--target") o.target = v;
    else if (k == "--port") o.port = static_cast<unsigned short>(std::atoi(v.c_str()));
    else if (k == "--server-pid") o.server_pid = std::atoi(v.c_str());
    else if (k == "--conns") o.conns = std::atoi(v.c_str());
    else if (k == "--rooms") o.rooms = std::atoi(v.c_str());
    else if (k == "--pairs") o.pairs = std::atoi(v.c_str());
    else if (k == "--windows") {
      o.windows.clear();
      for (std::size_t at = 0; at < v.size();) {
        std::size_t comma = v.find(',', at);
        o.windows.push_back(std::atoi(v.substr(at, comma - at).c_str()));
        at = comma == std::string::npos ? v.size() : comma + 1;
      }
    }
    else if (k == "--seconds") o.seconds = std::atof(v.c_str());
    else if (k == "--secret") o.secret = v;
  }
  // A relayed frame's size on the wire (masked client frame: 8-byte header for this length), for the kernel's own
  // cost of carrying it.
  std::string sample;
  relayText(sample, o.target, "u" + std::to_string(o.conns / 2), 1);
  double crossing_us = loopbackCrossingUs(8 + sample.size());
  Loop loop;
  Stats stats;
  std::vector<std::unique_ptr<Client>> clients;
  long rss_before = rssKiB(o.server_pid);
  auto t0 = Clock::now();
  int pending = 0;
  // Open connections in batches of 200 so the accept queue never overflows.
  for (int i = 0; i < o.conns; ++i) {
    int room = i % o.rooms;
    clients.push_back(std::make_unique<Client>(loop, o, stats, "u" + std::to_string(i), "r" + std::to_string(room)));
    ++pending;
    clients.back()->connect([&] { --pending; });
    if (pending >= 200 || i + 1 == o.conns) {
      double left = 120 - std::chrono::duration<double>(Clock::now() - t0).count();
      if (left > 0) loop.run(left, [&] { return pending <= 0; });
    }
  }
  double connect_s = std::chrono::duration<double>(Clock::now() - t0).count();
  int open = static_cast<int>(std::count_if(clients.begin(), clients.end(), [](auto& c) { return c->open; }));
  loop.run(1.0);  // let the server settle (presence frames, allocations)
  long rss_after = rssKiB(o.server_pid);

  // Pairs: client i and i + rooms are in the same room (i % rooms). No client is in two pairs: a client in two
  // would answer both partners' messages to one of them, and the window would pile up there.
  int pairs = 0;
  std::vector<Client*> starters;  // one side of each pair: it sends first
  std::vector<char> paired(clients.size(), 0);
  for (int i = 0; i + o.rooms < o.conns && pairs < o.pairs; ++i) {
    if (paired[i] || paired[i + o.rooms]) continue;
    paired[i] = paired[i + o.rooms] = 1;
    clients[i]->peer_ = clients[i + o.rooms]->user_;
    clients[i + o.rooms]->peer_ = clients[i]->user_;
    starters.push_back(clients[i].get());
    ++pairs;
  }
  // One measured phase per window size: the pairs start `window` messages each way, every delivery is answered.
  std::string phases;
  for (int window : o.windows) {
    stats.answering = true;
    for (Client* c : starters)
      for (int w = 0; w < window; ++w) c->send(0);
    loop.run(1.0);  // warm-up (the first sends leave at the end of its first turn)
    stats.latencies_us.clear();
    stats.delivered = 0;
    stats.measuring = true;
    auto m0 = Clock::now();
    double cpu0 = cpuSeconds(o.server_pid), own0 = cpuSeconds(getpid());
    loop.run(o.seconds);
    double measured = std::chrono::duration<double>(Clock::now() - m0).count();
    double server_cpu = (cpuSeconds(o.server_pid) - cpu0) / measured;
    double client_cpu = (cpuSeconds(getpid()) - own0) / measured;  // the generator: is it the bottleneck?
    stats.measuring = false;
    stats.answering = false;  // let the messages in flight land before the next phase
    loop.run(1.0);

    auto& lat = stats.latencies_us;
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<std::size_t>(p * lat.size()))]; };
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s{\"window\":%d,\"msgs_per_s\":%.0f,\"p50_us\":%.0f,\"p99_us\":%.0f,\"server_cpu\":%.2f,\"client_cpu\":%.2f}",
                  phases.empty() ? "" : ",", window, stats.delivered / measured, pct(0.5), pct(0.99), server_cpu, client_cpu);
    phases += buf;
  }
  std::printf("{\"target\":\"%s\",\"conns\":%d,\"open\":%d,\"connect_s\":%.2f,\"rss_before_kib\":%ld,"
              "\"rss_after_kib\":%ld,\"bytes_per_conn\":%.0f,\"pairs\":%d,\"errors\":%d,\"crossing_us\":%.2f,\"phases\":[%s]}\n",
              o.target.c_str(), o.conns, open, connect_s, rss_before, rss_after,
              open ? (rss_after - rss_before) * 1024.0 / open : 0.0, pairs, stats.errors, crossing_us, phases.c_str());
  return open == o.conns ? 0 : 1;
}
