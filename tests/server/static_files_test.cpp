#include "static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_tmp.hpp"

namespace imroom::server {
namespace {
namespace fs = std::filesystem;

void writeFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// A web root with an app, a gzip twin, a dot-file, a subfolder, and a secret outside the root.
class StaticFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = testTmp("static_files");
    fs::remove_all(base_);
    writeFile(base_ / "root/index.html", "<!doctype html>hello");
    writeFile(base_ / "root/app.js", "console.log(1)");
    writeFile(base_ / "root/app.wasm", std::string("\0asm", 4));
    writeFile(base_ / "root/app.wasm.gz", "gzipped-bytes");
    writeFile(base_ / "root/.env", "SECRET=1");
    writeFile(base_ / "root/docs/index.html", "docs");
    writeFile(base_ / "root/img/logo.svg", "<svg/>");
    writeFile(base_ / "root/data.bin", "x");
    writeFile(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", base_ / "root/link.txt");
  }
  static void TearDownTestSuite() { fs::remove_all(base_); }
  static HttpResponse get(const std::string& target, const std::string& accept = "",
                          const std::string& inm = "") {
    StaticFiles files(base_ / "root");
    HttpRequest req;
    req.method = "GET";
    req.target = target;
    req.accept_encoding = accept;
    req.if_none_match = inm;
    return files.serve(req);
  }
  static inline fs::path base_;
};

struct RouteCase {
  std::string target;
  int status;
  std::string file;  // expected file name under root ("" for none)
  std::string content_type;
  friend void PrintTo(const RouteCase& c, std::ostream* os) { *os << '"' << c.target.substr(0, 40) << '"'; }
};

class StaticRouteTest : public StaticFilesTest, public ::testing::WithParamInterface<RouteCase> {};

TEST_P(StaticRouteTest, MapsTargetsSafely) {
  const RouteCase& c = GetParam();
  HttpResponse res = get(c.target);
  EXPECT_EQ(res.status, c.status) << c.target;
  if (c.file.empty()) {
    EXPECT_TRUE(res.file_path.empty()) << res.file_path;
  } else {
    EXPECT_EQ(fs::path(res.file_path), fs::canonical(base_ / "root" / c.file));
  }
  if (!c.content_type.empty()) {
    ASSERT_NE(res.header("Content-Type"), nullptr);
    EXPECT_EQ(*res.header("Content-Type"), c.content_type);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, StaticRouteTest,
    ::testing::Values(
        RouteCase{"/", 200, "index.html", "text/html; charset=utf-8"},
        RouteCase{"/index.html", 200, "index.html", "text/html; charset=utf-8"},
        RouteCase{"/app.js?v=3#x", 200, "app.js", "text/javascript; charset=utf-8"},
        RouteCase{"/app.wasm", 200, "app.wasm", "application/wasm"},
        RouteCase{"/img/logo.svg", 200, "img/logo.svg", "image/svg+xml"},
        RouteCase{"/data.bin", 200, "data.bin", "application/octet-stream"},
        RouteCase{"/docs/", 200, "docs/index.html", ""},
        RouteCase{"//app.js", 200, "app.js", ""},
        RouteCase{"/./app.js", 200, "app.js", ""},
        RouteCase{"/%61pp.js", 200, "app.js", ""},
        RouteCase{"/missing.js", 404, "", ""},
        RouteCase{"/docs", 404, "", ""},  // a folder is not a file
        RouteCase{"/../secret.txt", 400, "", ""},
        RouteCase{"/img/../../secret.txt", 400, "", ""},
        RouteCase{"/%2e%2e/secret.txt", 400, "", ""},
        RouteCase{"/%2E%2E%2Fsecret.txt", 400, "", ""},
        RouteCase{"/..%5csecret.txt", 400, "", ""},
        RouteCase{"/img\\..\\..\\secret.txt", 400, "", ""},
        RouteCase{"/app.js%00.html", 400, "", ""},
        RouteCase{std::string("/app.js\0.html", 13), 400, "", ""},
        RouteCase{"/%zz", 400, "", ""},
        RouteCase{"/%4", 400, "", ""},
        RouteCase{"/etc/passwd", 404, "", ""},
        RouteCase{"///etc/passwd", 404, "", ""},
        RouteCase{"http://evil/etc/passwd", 400, "", ""},
        RouteCase{"etc/passwd", 400, "", ""},
        RouteCase{"*", 400, "", ""},
        RouteCase{"/.env", 404, "", ""},
        RouteCase{"/%2eenv", 404, "", ""},
        RouteCase{"/link.txt", 404, "", ""},  // symlink escaping the root
        RouteCase{"/" + std::string(5000, 'a'), 414, "", ""}));

TEST_F(StaticFilesTest, ServesThePrecompressedTwinOnlyToGzipClients) {
  HttpResponse plain = get("/app.wasm", "br");
  EXPECT_EQ(plain.header("Content-Encoding"), nullptr);
  EXPECT_EQ(plain.file_size, 4u);
  HttpResponse gz = get("/app.wasm", "gzip, deflate, br");
  ASSERT_NE(gz.header("Content-Encoding"), nullptr);
  EXPECT_EQ(*gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(*gz.header("Content-Type"), "application/wasm");  // the type of what it decodes to
  EXPECT_EQ(*gz.header("Vary"), "Accept-Encoding");
  EXPECT_NE(*gz.header("ETag"), *plain.header("ETag"));
  EXPECT_EQ(get("/app.wasm", "gzip;q=0").header("Content-Encoding"), nullptr);
  EXPECT_NE(get("/app.wasm", "*").header("Content-Encoding"), nullptr);
  EXPECT_EQ(get("/app.js", "gzip").header("Content-Encoding"), nullptr);  // no twin on disk
}

TEST_F(StaticFilesTest, MatchingEtagGives304WithoutABody) {
  HttpResponse first = get("/app.js");
  ASSERT_EQ(first.status, 200);
  std::string etag = *first.header("ETag");
  HttpResponse again = get("/app.js", "", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.file_path.empty());
  EXPECT_EQ(*again.header("ETag"), etag);
  EXPECT_EQ(get("/app.js", "", "\"other\", " + etag).status, 304);
  EXPECT_EQ(get("/app.js", "", "W/" + etag).status, 304);
  EXPECT_EQ(get("/app.js", "", "*").status, 304);
  EXPECT_EQ(get("/app.js", "", "\"stale\"").status, 200);
}

TEST_F(StaticFilesTest, EtagChangesWhenTheFileChanges) {
  std::string before = *get("/data.bin").header("ETag");
  writeFile(base_ / "root/data.bin", "longer content");
  EXPECT_NE(*get("/data.bin").header("ETag"), before);
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  StaticFiles files(base_ / "root");
  HttpRequest req;
  req.method = "POST";
  req.target = "/index.html";
  HttpResponse res = files.serve(req);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(*res.header("Allow"), "GET, HEAD");
  req.method = "HEAD";
  EXPECT_EQ(files.serve(req).status, 200);
}

TEST(PercentDecode, DecodesAndRejects) {
  EXPECT_EQ(percentDecode("a%20b%2F"), "a b/");
  EXPECT_FALSE(percentDecode("%"));
  EXPECT_FALSE(percentDecode("%2"));
  EXPECT_FALSE(percentDecode("%g0"));
  EXPECT_FALSE(percentDecode("%00"));
}

TEST(PercentEncode, KeepsUnreservedBytesAndRoundTrips) {
  EXPECT_EQ(percentEncode("a-Z_0.~"), "a-Z_0.~");
  EXPECT_EQ(percentEncode("a b&k=/?"), "a%20b%26k%3D%2F%3F");
  const std::string boris = "\xd0\x91\xd0\xbe\xd1\x80\xd0\xb8\xd1\x81";
  EXPECT_EQ(percentEncode(boris), "%D0%91%D0%BE%D1%80%D0%B8%D1%81");
  EXPECT_EQ(percentDecode(percentEncode(boris)), boris);
}

TEST(MimeType, KnowsTheAppsFileTypes) {
  EXPECT_EQ(mimeType("a.WASM"), "application/wasm");
  EXPECT_EQ(mimeType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mimeType("dir.js/file"), "application/octet-stream");
  EXPECT_EQ(mimeType("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace imroom::server
