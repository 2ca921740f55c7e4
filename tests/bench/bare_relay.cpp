// The floor of the signaling benchmark: a WebSocket relay that does only what no relay can skip, driven by the
// same load generator in the same run as imroom-server and the PeerJS server. It answers the upgrade without
// looking at it (no token, no origin, no limits) and reads frames. For each one it unmasks the payload in place,
// finds the recipient's name with one search, and copies the payload into that recipient's queue (imroom-server's
// own frame code, ws_protocol). Each queue is written once per wake-up: one recv per ready socket and one send
// per recipient, as imroom-server. No JSON, no sender stamping, no UTF-8 check, no presence, no pings, no
// timeouts. Whatever rate it reaches is what this machine's loopback TCP and this generator allow any server at
// that load shape; how near imroom-server comes to it is what imroom-server's own work costs.
//
//   bare_relay <port>      (prints "listening" when it accepts connections; the generator's path is /bare/<name>)
//
// A benchmark reference only: not a server anyone should run.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ws_protocol.hpp"

namespace {

struct Conn {
  int fd = -1;
  bool upgraded = false, dirty = false;
  std::string name, in, out;
};

int g_epoll = -1;
boost::unordered_flat_map<std::string_view, Conn*, std::hash<std::string_view>> g_by_name;  // keys: Conn::name
std::vector<Conn*> g_dirty;

void markDirty(Conn* c) {
  if (!c->dirty) {
    c->dirty = true;
    g_dirty.push_back(c);
  }
}

void closeConn(Conn* c) {
  if (c->fd < 0) return;
  ::close(c->fd);  // also leaves the epoll set
  c->fd = -1;
  if (!c->name.empty()) {
    auto it = g_by_name.find(c->name);
    if (it != g_by_name.end() && it->second == c) g_by_name.erase(it);
  }
  // The Conn itself stays (a dirty list or a later event in this batch may still name it): a benchmark's run is
  // short, and every connection lives to its end.
}

void flush(Conn* c) {
  while (!c->out.empty() && c->fd >= 0) {
    const ssize_t n = ::send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c->out.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;  // the rest leaves on EPOLLOUT
    } else {
      closeConn(c);
    }
  }
}

// Handles the whole frames at the front of `data`; returns how many bytes it used, or -1 to close.
long onFrames(unsigned char* data, std::size_t size) {
  std::size_t pos = 0;
  while (size - pos >= 6) {
    const unsigned op = data[pos] & 0x0F;
    std::uint64_t n = data[pos + 1] & 0x7F;
    std::size_t header = 2;
    if (!(data[pos + 1] & 0x80)) return -1;  // a client's frames are masked
    if (n == 126) {
      if (size - pos < 8) break;
      n = (data[pos + 2] << 8) | data[pos + 3];
      header = 4;
    } else if (n == 127) {
      return -1;  // nothing the generator sends
    }
    if (size - pos < header + 4 + n) break;
    const unsigned char* key = data + pos + header;
    unsigned char* payload = data + pos + header + 4;
    pos += header + 4 + n;
    if (op == 0x8) return -1;
    if (op != 0x1) continue;
    // The recipient: the generator's frames are {"t":"u","m":{"o":"message","t":"<name>"},"p":…}, and the only
    // `,"t":"` in them is m.t. Found in the text unmasked in place.
    imroom::server::ws::unmask(reinterpret_cast<char*>(payload), n, key);
    const std::string_view text(reinterpret_cast<const char*>(payload), n);
    const auto at = text.find(",\"t\":\"");
    if (at == std::string::npos) continue;
    const auto end = text.find('"', at + 6);
    if (end == std::string::npos) continue;
    auto it = g_by_name.find(text.substr(at + 6, end - at - 6));
    if (it == g_by_name.end() || it->second->fd < 0) continue;
    imroom::server::ws::appendFrame(it->second->out, imroom::server::ws::Opcode::kText, text);
    markDirty(it->second);
  }
  return static_cast<long>(pos);
}

bool onUpgrade(Conn* c) {
  const auto end = c->in.find("\r\n\r\n");
  if (end == std::string::npos) return c->in.size() < 8192;
  const auto path = c->in.find("GET /bare/");
  if (path != 0) return false;
  const auto space = c->in.find(' ', 10);
  c->name = c->in.substr(10, space - 10);
  g_by_name[c->name] = c;
  c->in.erase(0, end + 4);
  c->upgraded = true;
  // The generator takes a connection as open on its first frame that names "peers", as imroom-server's first is.
  c->out += "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
  imroom::server::ws::appendFrame(c->out, imroom::server::ws::Opcode::kText, R"({"t":"u","m":{"o":"peers"},"p":[]})");
  markDirty(c);
  return true;
}

void onReadable(Conn* c) {
  static std::unique_ptr<unsigned char[]> buffer(new unsigned char[64 * 1024]);
  for (;;) {
    const ssize_t n = ::recv(c->fd, buffer.get(), 64 * 1024, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return closeConn(c);
    const auto size = static_cast<std::size_t>(n);
    if (!c->upgraded || !c->in.empty()) {
      c->in.append(reinterpret_cast<const char*>(buffer.get()), size);
      if (!c->upgraded && !onUpgrade(c)) return closeConn(c);
      if (c->upgraded && !c->in.empty()) {
        const long used = onFrames(reinterpret_cast<unsigned char*>(c->in.data()), c->in.size());
        if (used < 0) return closeConn(c);
        c->in.erase(0, static_cast<std::size_t>(used));
      }
    } else {  // the usual case: whole frames straight from the read buffer
      const long used = onFrames(buffer.get(), size);
      if (used < 0) return closeConn(c);
      c->in.assign(reinterpret_cast<const char*>(buffer.get()) + used, size - static_cast<std::size_t>(used));
    }
    if (size < 64 * 1024) return;  // drained: the next bytes bring a new edge
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bare_relay <port>\n");
    return 2;
  }
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<unsigned short>(std::atoi(argv[1])));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 4096) != 0) {
    std::perror("bare_relay: listen");
    return 1;
  }
  g_epoll = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event lev{};
  lev.events = EPOLLIN;
  lev.data.ptr = nullptr;  // the listener
  ::epoll_ctl(g_epoll, EPOLL_CTL_ADD, listener, &lev);
  std::printf("listening on %s\n", argv[1]);
  std::fflush(stdout);
  std::vector<std::unique_ptr<Conn>> conns;
  std::array<epoll_event, 256> events;
  for (;;) {
    const int n = ::epoll_wait(g_epoll, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0 && errno != EINTR) return 1;
    for (int i = 0; i < n; ++i) {
      auto* c = static_cast<Conn*>(events[i].data.ptr);
      if (!c) {
        for (int fd; (fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
          ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conns.push_back(std::make_unique<Conn>());
          conns.back()->fd = fd;
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
          ev.data.ptr = conns.back().get();
          ::epoll_ctl(g_epoll, EPOLL_CTL_ADD, fd, &ev);
        }
        continue;
      }
      if (c->fd < 0) continue;
      if (events[i].events & EPOLLOUT) flush(c);
      if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) onReadable(c);
    }
    // One write per recipient per wake-up, as imroom-server corks its frames.
    for (Conn* c : g_dirty) {
      c->dirty = false;
      flush(c);
    }
    g_dirty.clear();
  }
}
