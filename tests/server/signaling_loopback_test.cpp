// The signaling service over real WebSockets on loopback: presence, relay, sender stamping, isolation,
// and a table of abuse where, after each case, a healthy pair in another room must still talk.
#include "server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/write.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <thread>

#include "token.hpp"
#include "ws_client.hpp"

namespace imroom::server {
namespace {
using nlohmann::json;
using testing::messageTo;
using testing::WsClient;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr const char* kSecret = "loopback-test-secret";

class Signaling : public ::testing::Test {
 protected:
  void startServer(ServerConfig cfg = {}) {
    cfg.port = 0;
    cfg.root = "/nonexistent";
    cfg.access_log = false;
    cfg.token_secret = kSecret;
    server_ = std::make_unique<Server>(cfg);
    ASSERT_EQ(server_->start(), "");
    thread_ = std::thread([this] { server_->run(); });
  }
  void SetUp() override {
    ServerConfig cfg;
    cfg.max_frame_bytes = 4096;
    cfg.max_frames_per_second = 20;
    cfg.max_users_per_room = 3;
    cfg.max_connections_per_address = 12;
    startServer(cfg);
  }
  void TearDown() override { stopServer(); }
  void stopServer() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }

  static std::string token(const std::string& room, const std::string& user, const std::string& client = "",
                           std::int64_t ttl = 60) {
    return TokenSigner(kSecret).issue({"imroom/" + room, user, client, std::time(nullptr) + ttl});
  }

  // Connects `user` to `room` and consumes its "peers" frame.
  std::unique_ptr<WsClient> join(const std::string& room, const std::string& user, const std::string& client = "") {
    auto c = std::make_unique<WsClient>();
    EXPECT_EQ(c->connect(server_->port(), "/v2/" + token(room, user, client)), 101) << c->refusalBody();
    auto peers = c->recvOp("peers");
    EXPECT_TRUE(peers) << user << " got no peers frame";
    return c;
  }

  // A raw socket joined as `user` to `room` (upgrade answered, "peers" read), for tests that write frames
  // byte by byte; returns what it read so far.
  std::string rawJoin(tcp::socket& s, const std::string& room, const std::string& user) {
    s.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    net::write(s, net::buffer("GET /v2/" + token(room, user) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n\r\n"));
    std::string got;
    char buf[8192];
    while (got.find("\"peers\"") == std::string::npos) got.append(buf, s.read_some(net::buffer(buf)));
    return got;
  }

  // The whole answer to GET /metrics, head included.
  std::string metrics() {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    net::write(s, net::buffer(std::string("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    std::string text;
    char buf[4096];
    boost::system::error_code ec;
    for (std::size_t n; (n = s.read_some(net::buffer(buf), ec)) > 0 && !ec;) text.append(buf, n);
    return text;
  }

  // A healthy pair in room "calm": bob sends to cat and cat receives it, stamped.
  void expectCalmRoomWorks(WsClient& bob, WsClient& cat, int n) {
    std::string text = "\"hello " + std::to_string(n) + "\"";
    ASSERT_TRUE(bob.send(messageTo("cat", text)));
    auto got = cat.recvOp("message");
    ASSERT_TRUE(got) << "the calm room stopped working";
    EXPECT_EQ((*got)["m"]["f"], "/imroom/calm/bob");
    EXPECT_EQ((*got)["p"], json::parse(text));
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(Signaling, PresenceAndRelayStampedWithTheRealSender) {
  auto bob = join("a", "bob");
  auto ann = std::make_unique<WsClient>();
  ASSERT_EQ(ann->connect(server_->port(), "/v2/" + token("a", "ann")), 101);
  auto peers = ann->recvJson();
  ASSERT_TRUE(peers);
  EXPECT_EQ((*peers)["m"]["o"], "peers");
  EXPECT_EQ((*peers)["m"]["f"], "/imroom/a/__sys__");
  EXPECT_EQ((*peers)["p"]["users"], json({"ann", "bob"}));
  auto joined = bob->recvOp("peer_connected");
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["p"], "ann");

  // m.f claims to be bob: the server overwrites it.
  ASSERT_TRUE(ann->send(R"({"t":"u","m":{"f":"/imroom/a/bob","o":"message","t":"bob"},"p":{"msg":{"type":"offer","sdp":"v=0"}}})"));
  auto got = bob->recvOp("message");
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["m"]["f"], "/imroom/a/ann");
  EXPECT_EQ((*got)["p"]["msg"]["type"], "offer");

  ann->close();
  auto left = bob->recvOp("peer_removed");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["p"], "ann");
}

TEST_F(Signaling, RoomsNeverSeeEachOther) {
  auto ann = join("a", "ann");
  auto bob = join("b", "bob");
  ASSERT_TRUE(ann->send(messageTo("bob", "1")));
  auto err = ann->recvOp("error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["p"]["code"], "unknown_recipient");
  ASSERT_TRUE(ann->send(messageTo("", "2")));  // broadcast in a: nobody else there
  bob->setTimeout(300);
  EXPECT_FALSE(bob->recv()) << "a frame crossed rooms";
}

struct Abuse {
  std::string name;
  std::function<void(WsClient&)> act;
  std::string expect_error;  // error code expected, or "" for none
  int expect_close = 0;      // close code expected, or 0 when the socket stays open
  friend void PrintTo(const Abuse& a, std::ostream* os) { *os << a.name; }
};

class SignalingAbuse : public Signaling, public ::testing::WithParamInterface<Abuse> {};

TEST_P(SignalingAbuse, ClearAnswerAndTheOtherRoomCarriesOn) {
  auto bob = join("calm", "bob");
  auto cat = join("calm", "cat");
  bob->recvOp("peer_connected");
  auto eve = join("wild", "eve");
  auto dan = join("wild", "dan");  // a bystander in eve's room
  eve->recvOp("peer_connected");
  const Abuse& a = GetParam();
  a.act(*eve);
  if (!a.expect_error.empty()) {
    auto err = eve->recvOp("error", 500);
    ASSERT_TRUE(err) << "no error frame";
    EXPECT_EQ((*err)["p"]["code"], a.expect_error);
    EXPECT_FALSE((*err)["p"]["reason"].get<std::string>().empty());
    EXPECT_EQ((*err)["m"]["t"], "eve");
  }
  if (a.expect_close) {
    ASSERT_TRUE(eve->waitClosed());
    EXPECT_EQ(static_cast<int>(eve->closeReason().code), a.expect_close) << eve->lastError().message();
    auto left = dan->recvOp("peer_removed");
    ASSERT_TRUE(left);
    EXPECT_EQ((*left)["p"], "eve");
  } else {
    // eve is still in her room and can still speak.
    ASSERT_TRUE(eve->send(messageTo("dan", "\"still here\"")));
    std::optional<json> got;
    while ((got = dan->recvOp("message", 500)) && (*got)["p"] != "still here") {
    }
    ASSERT_TRUE(got) << "eve was cut off";
  }
  expectCalmRoomWorks(*bob, *cat, 1);
}

const std::string kBig(5000, 'x');
INSTANTIATE_TEST_SUITE_P(
    Table, SignalingAbuse,
    ::testing::Values(
        Abuse{"InvalidJson", [](WsClient& c) { c.send("{not json"); }, "bad_json"},
        Abuse{"NotAnObject", [](WsClient& c) { c.send("[1,2,3]"); }, "not_object"},
        Abuse{"MissingFields", [](WsClient& c) { c.send(R"({"t":"u"})"); }, "bad_field"},
        Abuse{"WrongTypedTo", [](WsClient& c) { c.send(R"({"t":"u","m":{"o":"message","t":{"x":1}},"p":1})"); }, "bad_field"},
        Abuse{"WrongTypedOp", [](WsClient& c) { c.send(R"({"t":"u","m":{"o":null},"p":1})"); }, "bad_field"},
        Abuse{"UnknownOp", [](WsClient& c) { c.send(R"({"t":"u","m":{"o":"peer_removed","t":null},"p":"dan"})"); }, "unknown_op"},
        Abuse{"Binary", [](WsClient& c) { c.send("\x01\x02", true); }, "binary_not_supported"},
        Abuse{"ToAnotherRoom", [](WsClient& c) { c.send(messageTo("bob", "1")); }, "unknown_recipient"},
        Abuse{"ToNobody", [](WsClient& c) { c.send(messageTo("nobody", "1")); }, "unknown_recipient"},
        Abuse{"Flood",
              [](WsClient& c) {
                for (int i = 0; i < 200; ++i) c.send(messageTo("dan", "1"));
                std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the budget refills
              },
              "rate_limited"},
        Abuse{"BarePingStorm", [](WsClient& c) { for (int i = 0; i < 3000; ++i) c.send("ping"); }, ""},
        Abuse{"OverTheSizeLimit", [](WsClient& c) { c.send(messageTo("dan", "\"" + kBig + "\"")); }, "", 1009},
        Abuse{"NotUtf8", [](WsClient& c) { c.send(messageTo("dan", "\"\xff\xfe\"")); }, "", 1007}),
    [](const ::testing::TestParamInfo<Abuse>& tp) { return tp.param.name; });

TEST_F(Signaling, FloodedSenderRecoversAfterAPause) {
  auto eve = join("wild", "eve");
  auto dan = join("wild", "dan");
  for (int i = 0; i < 100; ++i) eve->send(messageTo("dan", "1"));
  ASSERT_TRUE(eve->recvOp("error"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // After a second the budget is back (20/s): a normal message goes through.
  eve->send(messageTo("dan", "\"after\""));
  dan->setTimeout(2000);
  std::optional<json> got;
  while ((got = dan->recvOp("message")) && (*got)["p"] != "after") {
  }
  ASSERT_TRUE(got);
}

TEST_F(Signaling, TokensThatAreForgedExpiredOrMalformedAreRefusedBeforeTheUpgrade) {
  struct Case { std::string target; int status; std::string reason; };
  std::string good = token("a", "ann");
  std::string forged = base64UrlEncode(R"({"p":"imroom/a","u":"admin","c":"","e":9999999999})") + good.substr(good.find('.'));
  for (const Case& k : {Case{"/v2/" + forged, 401, "bad_token"},
                        Case{"/v2/" + TokenSigner("other-secret").issue({"imroom/a", "ann", "", 9999999999}), 401, "bad_token"},
                        Case{"/v2/" + token("a", "ann", "", -5), 401, "token_expired"},
                        Case{"/v2/garbage", 401, "bad_token"}, Case{"/v2/", 401, "bad_token"},
                        Case{"/ws", 404, "not_found"}}) {
    WsClient c;
    EXPECT_EQ(c.connect(server_->port(), k.target), k.status) << k.target;
    EXPECT_NE(c.refusalBody().find(k.reason), std::string::npos) << c.refusalBody();
  }
}

// Raw bytes on a socket: for what no well-behaved client library would send.
std::string rawExchange(unsigned short port, const std::string& bytes) {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(s, net::buffer(bytes));
  timeval limit{3, 0};  // the server closes the socket when it has answered; never wait longer than this
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  std::string got;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(s.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

TEST_F(Signaling, TheUpgradeIsCheckedAndAnsweredByTheRfc) {
  std::string request = "GET /v2/" + token("a", "ann") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  std::string v8 = rawExchange(server_->port(), request + "Sec-WebSocket-Version: 8\r\n\r\n");
  EXPECT_EQ(v8.rfind("HTTP/1.1 426", 0), 0u) << v8;
  EXPECT_NE(v8.find("Sec-WebSocket-Version: 13"), std::string::npos);
  std::string badkey = rawExchange(server_->port(), "GET /v2/" + token("a", "ann") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(badkey.rfind("HTTP/1.1 400", 0), 0u) << badkey;
  EXPECT_NE(badkey.find("bad_websocket_key"), std::string::npos);
  // A good upgrade followed at once by an unmasked frame: 101 with the RFC's accept key, the room's "peers",
  // then a close frame 1002.
  std::string got = rawExchange(server_->port(), request + "Sec-WebSocket-Version: 13\r\n\r\n" +
                                                     std::string("\x81\x02hi", 4));
  ASSERT_EQ(got.rfind("HTTP/1.1 101", 0), 0u) << got;
  EXPECT_NE(got.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_NE(got.find("\"peers\""), std::string::npos);
  auto close = got.find("\x88");
  ASSERT_NE(close, std::string::npos) << "no close frame";
  ASSERT_GT(got.size(), close + 3);
  EXPECT_EQ((static_cast<unsigned char>(got[close + 2]) << 8) | static_cast<unsigned char>(got[close + 3]), 1002);
}

// Frames that arrive in one read leave corked (one write per recipient): none may be lost, reordered, doubled
// or sent to the wrong member, and a ping among them is answered.
TEST_F(Signaling, FramesInOneWriteArriveInOrderExactlyOnce) {
  constexpr int kFrames = 36;  // within the fixture's burst allowance (twice 20 frames per second)
  auto cat = join("a", "cat");
  auto dan = join("a", "dan");
  cat->recvOp("peer_connected");
  net::io_context ioc;
  tcp::socket eve(ioc);
  std::string got = rawJoin(eve, "a", "eve");  // the 101 and "peers" before writing, as a client must
  std::string batch;
  for (int i = 0; i < kFrames; ++i) {
    if (i == kFrames / 2) batch += testing::clientFrame(0x9, "are you there");
    batch += testing::clientFrame(0x1, messageTo(i % 3 == 0 ? "" : "cat", std::to_string(i)));
  }
  net::write(eve, net::buffer(batch));
  for (int i = 0; i < kFrames; ++i) {
    auto m = cat->recvOp("message", 5);
    ASSERT_TRUE(m) << "cat lost message " << i;
    EXPECT_EQ((*m)["p"], i) << "out of order or doubled";
    EXPECT_EQ((*m)["m"]["f"], "/imroom/a/eve");
  }
  for (int i = 0; i < kFrames; i += 3) {
    auto m = dan->recvOp("message", 5);
    ASSERT_TRUE(m) << "dan lost broadcast " << i;
    EXPECT_EQ((*m)["p"], i);
  }
  cat->setTimeout(300);
  EXPECT_FALSE(cat->recv()) << "a frame too many";
  dan->setTimeout(300);
  EXPECT_FALSE(dan->recv()) << "dan got a message meant for cat";
  // The pong for the ping in the middle (eve gets no echo of her own broadcasts, and no error).
  got.clear();
  timeval limit{2, 0};
  ::setsockopt(eve.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  char buf[8192];
  while (got.find("are you there") == std::string::npos) {
    ssize_t n = ::recv(eve.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  auto pong = got.find("\x8a\x0d" "are you there");
  EXPECT_NE(pong, std::string::npos) << "no pong";
}

// A page that sends its last message and closes at once: the bytes and the hang-up reach the server together.
// The message is relayed, and the room hears that the sender left (not only after the idle timeout).
TEST_F(Signaling, ALastMessageAndAHangUpTogetherAreBothHeard) {
  auto cat = join("a", "cat");
  net::io_context ioc;
  tcp::socket eve(ioc);
  rawJoin(eve, "a", "eve");
  ASSERT_TRUE(cat->recvOp("peer_connected"));
  // Corked, the frame waits in the socket and leaves with the FIN, in one segment: the server hears both at once.
  int one = 1;
  ::setsockopt(eve.native_handle(), IPPROTO_TCP, TCP_CORK, &one, sizeof one);
  net::write(eve, net::buffer(testing::clientFrame(0x1, messageTo("cat", "\"bye\""))));
  ::shutdown(eve.native_handle(), SHUT_WR);
  auto m = cat->recvOp("message", 5);
  ASSERT_TRUE(m) << "the last message was lost";
  EXPECT_EQ((*m)["p"], "bye");
  cat->setTimeout(3000);  // the idle timeout is 60 s: only the hang-up itself can tell the room this soon
  EXPECT_TRUE(cat->recvOp("peer_removed", 5)) << "the hang-up was not noticed";
}

TEST_F(Signaling, OriginsAreChecked) {
  WsClient evil;
  EXPECT_EQ(evil.connect(server_->port(), "/v2/" + token("a", "ann"), "http://evil.example"), 403);
  EXPECT_NE(evil.refusalBody().find("origin_not_allowed"), std::string::npos);
  WsClient same;
  std::string own = "http://127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(same.connect(server_->port(), "/v2/" + token("a", "ann"), own), 101);
}

TEST_F(Signaling, ConnectionsPerAddressAreLimited) {
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 12; ++i) clients.push_back(join("r" + std::to_string(i), "u"));
  WsClient extra;
  EXPECT_EQ(extra.connect(server_->port(), "/v2/" + token("x", "u")), 429);
  EXPECT_NE(extra.refusalBody().find("too_many_connections"), std::string::npos);
  clients.pop_back();  // closing one frees a slot
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  WsClient again;
  EXPECT_EQ(again.connect(server_->port(), "/v2/" + token("x", "u")), 101);
}

// A client that breaks the protocol and then never answers our close frame (nor reads) is out of the room at
// once, but its socket stays open until the close deadline cuts it, 5 s later; until then it still counts
// against its address, so closing sockets cannot be piled up past the limit.
TEST_F(Signaling, ClosingSocketsCountUntilTheDeadlineCutsThem) {
  net::io_context ioc;
  std::vector<tcp::socket> rude;
  auto watcher = join("w", "watcher");
  for (int i = 0; i < 11; ++i) {  // the watcher is the 12th
    tcp::socket& s = rude.emplace_back(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    net::write(s, net::buffer("GET /v2/" + token("w", "r" + std::to_string(i)) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    ASSERT_TRUE(watcher->recvOp("peer_connected"));
    std::string unmasked = testing::clientFrame(0x1, "hi");
    unmasked[1] = static_cast<char>(unmasked[1] & 0x7F);  // a protocol error: 1002, and a close is due from us
    net::write(s, net::buffer(unmasked));
    ASSERT_TRUE(watcher->recvOp("peer_removed")) << "a broken client leaves the room at once";
  }
  auto started = std::chrono::steady_clock::now();
  WsClient extra;
  EXPECT_EQ(extra.connect(server_->port(), "/v2/" + token("x", "u")), 429) << "closing sockets were not counted";
  // The deadline cuts them (tick() runs about once a second): then the address has room again.
  int status = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(9)) {
    WsClient again;
    status = again.connect(server_->port(), "/v2/" + token("x", "u"));
    if (status == 101) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(status, 101);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(4)) << "cut before the grace period";
  char byte;
  boost::system::error_code ec;
  for (auto& s : rude) {
    std::size_t total = 0;
    while (!ec) total += s.read_some(net::buffer(&byte, 1), ec);  // the close frame, then the end
    EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
    EXPECT_GT(total, 0u) << "no close frame before the cut";
    ec = {};
  }
}

TEST_F(Signaling, DuplicateNamesAreRefusedUnlessTheSamePageReconnects) {
  auto ann = join("a", "ann", "page-1");
  auto bob = join("a", "bob");
  WsClient thief;
  ASSERT_EQ(thief.connect(server_->port(), "/v2/" + token("a", "ann", "page-2")), 101);
  auto err = thief.recvOp("error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["p"]["code"], "name_taken");
  ASSERT_TRUE(thief.waitClosed());
  EXPECT_EQ(static_cast<int>(thief.closeReason().code), 1008);
  EXPECT_EQ(thief.closeReason().reason, "name_taken");
  ASSERT_TRUE(bob->send(messageTo("ann", "\"for the real ann\"")));
  auto got = ann->recvOp("message");
  ASSERT_TRUE(got);

  auto again = join("a", "ann", "page-1");  // the same page after a network drop
  ASSERT_TRUE(ann->waitClosed());
  EXPECT_EQ(static_cast<int>(ann->closeReason().code), 1001);
  ASSERT_TRUE(bob->send(messageTo("ann", "\"welcome back\"")));
  auto back = again->recvOp("message");
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)["p"], "welcome back");
}

// PROTOCOL.md §4.2: a socket cut with no close frame keeps its member's place for the rejoin grace (10 s by
// default). The others see no leave; what they send it waits and comes after "peers" when the same page is back.
TEST_F(Signaling, APageWhoseSocketIsCutComesBackToItsPlaceAndWhatWasSentMeanwhile) {
  auto ann = join("a", "ann", "page-1");
  auto bob = join("a", "bob", "page-2");
  ann->drop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server reads the reset
  ASSERT_TRUE(bob->send(messageTo("ann", "\"while you were away\"")));
  ASSERT_TRUE(bob->send(R"({"t":"u","m":{"o":"message","t":null},"p":"to the room"})"));
  bob->setTimeout(500);
  EXPECT_FALSE(bob->recv()) << "bob was told something: ann left, or an error";
  std::string during = metrics();
  EXPECT_NE(during.find("\nimroom_away_members 1\n"), std::string::npos) << during;
  EXPECT_NE(during.find("\nimroom_room_members 2\n"), std::string::npos) << during;
  auto again = std::make_unique<WsClient>();
  ASSERT_EQ(again->connect(server_->port(), "/v2/" + token("a", "ann", "page-1")), 101);
  auto peers = again->recvOp("peers");
  ASSERT_TRUE(peers);
  EXPECT_EQ((*peers)["p"]["users"], json({"ann", "bob"}));
  auto first = again->recvOp("message");
  auto second = again->recvOp("message");
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)["p"], "while you were away");
  EXPECT_EQ((*first)["m"]["f"], "/imroom/a/bob");
  EXPECT_EQ((*second)["p"], "to the room");
  EXPECT_FALSE(bob->recv()) << "bob was told ann joined";
  ASSERT_TRUE(again->send(messageTo("bob", "\"back\"")));
  auto back = bob->recvOp("message");
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)["p"], "back");
}

TEST_F(Signaling, AFullRoomSaysSo) {
  auto a = join("full", "a");
  auto b = join("full", "b");
  auto c = join("full", "c");
  WsClient d;
  ASSERT_EQ(d.connect(server_->port(), "/v2/" + token("full", "d")), 101);
  auto err = d.recvOp("error");
  ASSERT_TRUE(err);
  EXPECT_EQ((*err)["p"]["code"], "room_full");
}

TEST_F(Signaling, ShutdownSendsCloseFramesToEveryone) {
  auto ann = join("a", "ann");
  auto bob = join("b", "bob");
  stopServer();
  server_.reset();  // as when the process exits: the sockets close after the close frames went out
  for (auto* c : {ann.get(), bob.get()}) {
    ASSERT_TRUE(c->waitClosed());
    EXPECT_EQ(static_cast<int>(c->closeReason().code), 1001);
    EXPECT_EQ(c->closeReason().reason, "server shutting down");
  }
}

TEST_F(Signaling, MetricsCountConnectionsRoomsRelayedAndRejectedFrames) {
  auto ann = join("a", "ann");
  auto bob = join("a", "bob");
  ann->recvOp("peer_connected");
  ASSERT_TRUE(ann->send(messageTo("bob", "1")));
  ASSERT_TRUE(bob->recvOp("message"));
  ASSERT_TRUE(ann->send("{oops"));
  ASSERT_TRUE(ann->recvOp("error"));
  std::string text = metrics();
  EXPECT_NE(text.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << text;
  EXPECT_NE(text.find("\nimroom_ws_connections 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nimroom_rooms 1\n"), std::string::npos);
  EXPECT_NE(text.find("\nimroom_frames_relayed_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("imroom_frames_rejected_total{reason=\"bad_json\"} 1"), std::string::npos);
  EXPECT_EQ(text.find(kSecret), std::string::npos);
}

class SignalingTimeouts : public Signaling {
 protected:
  void SetUp() override {
    ServerConfig cfg;
    cfg.idle_timeout = std::chrono::seconds(2);
    cfg.max_frames_per_second = 10000;
    cfg.max_queued_bytes = 64 * 1024;
    cfg.max_frame_bytes = 256 * 1024;
    startServer(cfg);
  }
};

TEST_F(SignalingTimeouts, ASilentSocketIsDroppedAndTheRoomIsTold) {
  auto bob = join("a", "bob");
  auto ann = join("a", "ann");  // ann never reads again, so she never answers the server's pings
  bob->setTimeout(6000);
  auto started = std::chrono::steady_clock::now();
  auto left = bob->recvOp("peer_removed");
  ASSERT_TRUE(left) << "the silent socket was never dropped";
  EXPECT_EQ((*left)["p"], "ann");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  // bob has sent nothing either, but his client reads and so answers the pings: he stays, well past the timeout.
  bob->setTimeout(3000);
  EXPECT_FALSE(bob->recvOp("message"));
  ASSERT_TRUE(bob->send(messageTo("nobody", "1")));
  auto err = bob->recvOp("error");
  ASSERT_TRUE(err) << "bob was dropped: " << bob->lastError().message();
  EXPECT_EQ((*err)["p"]["code"], "unknown_recipient");
}

class SignalingShortGrace : public Signaling {
 protected:
  void SetUp() override {
    ServerConfig cfg;
    cfg.rejoin_grace_seconds = 1;
    cfg.idle_timeout = std::chrono::seconds(2);  // ticks every 0.5 s
    startServer(cfg);
  }
};

TEST_F(SignalingShortGrace, APageThatDoesNotComeBackIsGoneWhenTheGraceEnds) {
  auto ann = join("a", "ann", "page-1");
  auto bob = join("a", "bob", "page-2");
  auto cut = std::chrono::steady_clock::now();
  ann->drop();
  bob->setTimeout(4000);
  auto left = bob->recvOp("peer_removed");
  ASSERT_TRUE(left) << "ann never left";
  EXPECT_EQ((*left)["p"], "ann");
  EXPECT_GE(std::chrono::steady_clock::now() - cut, std::chrono::milliseconds(900)) << "no grace at all";
  auto thief = join("a", "ann", "page-9");  // the name is free again
  auto joined = bob->recvOp("peer_connected");
  ASSERT_TRUE(joined);
  EXPECT_EQ((*joined)["p"], "ann");
}

class SignalingSlowReader : public Signaling {
 protected:
  void SetUp() override {
    ServerConfig cfg;  // default idle timeout: only the slow reader should be cut off
    cfg.max_frames_per_second = 10000;
    cfg.max_queued_bytes = 64 * 1024;
    cfg.max_frame_bytes = 256 * 1024;
    startServer(cfg);
  }
};

TEST_F(SignalingSlowReader, AReaderThatNeverReadsIsClosedWithoutStallingTheRoom) {
  auto ann = join("a", "ann");  // does not read
  auto bob = join("a", "bob");
  auto cat = join("a", "cat");
  ann->recvOp("peer_connected");
  std::string big = "\"" + std::string(200 * 1024, 'z') + "\"";
  for (int i = 0; i < 60; ++i) bob->send(messageTo("ann", big));  // ~12 MB towards a reader that does not read
  cat->setTimeout(8000);
  auto left = cat->recvOp("peer_removed", 200);
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["p"], "ann");
  ASSERT_TRUE(bob->send(messageTo("cat", "\"still fine\"")));
  auto got = cat->recvOp("message");
  ASSERT_TRUE(got) << cat->lastError().message();
  EXPECT_EQ((*got)["p"], "still fine");
}

class SignalingBacklog : public Signaling {
 protected:
  void SetUp() override {
    ServerConfig cfg;
    cfg.max_frames_per_second = 100000;
    cfg.max_queued_bytes = 8 * 1024 * 1024;
    startServer(cfg);
  }
};

// A reader that falls far behind (a phone on a slow link) and then catches up gets every frame, in order. Its
// tiny receive buffer keeps the kernel from absorbing the backlog, so thousands of frames wait in the server's
// queue, which drains 32 frames per write and compacts itself as it goes.
TEST_F(SignalingBacklog, AReaderFarBehindCatchesUpInOrder) {
  constexpr int kFrames = 4000;
  net::io_context ioc;
  tcp::socket slow(ioc);
  slow.open(tcp::v4());
  int small = 4096;
  ::setsockopt(slow.native_handle(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  slow.connect({net::ip::make_address("127.0.0.1"), server_->port()});
  net::write(slow, net::buffer("GET /v2/" + token("a", "ann") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n"));
  std::string in;
  char buf[4096];
  while (in.find("\"peers\"") == std::string::npos) in.append(buf, slow.read_some(net::buffer(buf)));
  in.erase(0, in.find("\r\n\r\n") + 4);
  auto bob = join("a", "bob");
  const std::string pad(100, 'p');
  for (int i = 0; i < kFrames; ++i) ASSERT_TRUE(bob->send(messageTo("ann", "[" + std::to_string(i) + ",\"" + pad + "\"]")));
  // The last frame is relayed once bob's echo of a ping comes back: everything before it is queued by then.
  ASSERT_TRUE(bob->send(messageTo("bob", "\"sync\"")));
  ASSERT_TRUE(bob->recvOp("message"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the backlog sits there for a while
  // Now read it all: server frames are unmasked text frames; "peers" was already consumed above.
  timeval limit{5, 0};
  ::setsockopt(slow.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  int next = 0;
  std::size_t pos = 0;
  while (next < kFrames) {
    while (in.size() - pos >= 4) {
      auto b1 = static_cast<unsigned char>(in[pos + 1]);
      std::size_t header = 2, n = b1 & 0x7F;
      ASSERT_NE(n, 127u) << "no frame here is that large";
      if (n == 126) {
        n = (static_cast<unsigned char>(in[pos + 2]) << 8) | static_cast<unsigned char>(in[pos + 3]);
        header = 4;
      }
      if (in.size() - pos < header + n) break;
      json frame = json::parse(in.substr(pos + header, n), nullptr, false);
      pos += header + n;
      if (frame.is_discarded() || frame["m"]["o"] != "message") continue;
      ASSERT_EQ(frame["p"][0], next) << "out of order, lost or doubled";
      ++next;
    }
    in.erase(0, pos);
    pos = 0;
    if (next == kFrames) break;
    ssize_t n = ::recv(slow.native_handle(), buf, sizeof buf, 0);
    ASSERT_GT(n, 0) << "the stream ended after " << next << " of " << kFrames << " frames";
    in.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(next, kFrames);
}

}  // namespace
}  // namespace imroom::server
