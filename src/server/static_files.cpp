#include "static_files.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <system_error>

namespace imroom::server {
namespace fs = std::filesystem;

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Calls fn(item) for each comma-separated item of a header value, trimmed.
template <typename Fn>
void forEachListItem(std::string_view list, Fn fn) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Strong validator from size and modification time; the gzip variant gets its own tag.
std::string makeEtag(std::uint64_t size, fs::file_time_type mtime, bool gz) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "\"%llx-%llx%s\"", static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(ns), gz ? "-gz" : "");
  return buf.data();
}

bool isCompressible(std::string_view mime) {
  return mime.rfind("text/", 0) == 0 || mime.find("javascript") != std::string_view::npos ||
         mime.find("json") != std::string_view::npos || mime == "application/wasm" || mime == "image/svg+xml";
}

// Regular file under root (after resolving symlinks), or nullopt.
std::optional<fs::path> regularFileUnder(const fs::path& root, const fs::path& candidate) {
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);
  if (ec || !fs::is_regular_file(real, ec) || ec) return std::nullopt;
  auto r = real.begin();
  for (auto it = root.begin(); it != root.end(); ++it, ++r) {
    if (r == real.end() || *r != *it) return std::nullopt;
  }
  return real;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

std::string percentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' ||
        b == '.' || b == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

ResolvedPath resolveTarget(std::string_view target) {
  if (target.size() > kMaxTargetLength) return {{}, PathError::kTooLong};
  // Only origin-form ("/path?query"): absolute-form and authority-form are not for us.
  if (target.empty() || target.front() != '/') return {{}, PathError::kBadRequest};
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  auto decoded = percentDecode(path);
  if (!decoded) return {{}, PathError::kBadRequest};

  std::string relative;
  std::string_view rest = *decoded;
  bool trailing_slash = rest.back() == '/';
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." || seg.find('\\') != std::string_view::npos) return {{}, PathError::kBadRequest};
    if (seg.front() == '.') return {{}, PathError::kNotFound};  // .git, .env, ...: never served
    if (!relative.empty()) relative.push_back('/');
    relative.append(seg);
  }
  if (relative.empty() || trailing_slash) relative += relative.empty() ? "index.html" : "/index.html";
  return {relative, std::nullopt};
}

std::string_view mimeType(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".ttf", "font/ttf"},
      {".woff2", "font/woff2"},
      {".webp", "image/webp"},
  }};
  std::size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && file_name.find('/', dot) == std::string_view::npos) {
    std::string_view ext = file_name.substr(dot);
    for (const auto& [e, type] : kTypes) {
      if (iequals(e, ext)) return type;
    }
  }
  return "application/octet-stream";
}

bool acceptsGzip(std::string_view accept_encoding) {
  bool gzip = false, star = false, gzip_listed = false;
  forEachListItem(accept_encoding, [&](std::string_view item) {
    std::size_t semi = item.find(';');
    std::string_view coding = trim(item.substr(0, semi));
    bool refused = false;
    if (semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        std::string_view q = param.substr(2);
        refused = q.find_first_not_of("0.") == std::string_view::npos;  // q=0, q=0.0, q=0.000
      }
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip_listed = true;
      gzip = !refused;
    } else if (coding == "*") {
      star = !refused;
    }
  });
  return gzip || (!gzip_listed && star);
}

bool etagMatches(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view t) { return t.rfind("W/", 0) == 0 ? t.substr(2) : t; };
  bool match = false;
  forEachListItem(if_none_match, [&](std::string_view item) {
    if (item == "*" || opaque(item) == opaque(etag)) match = true;
  });
  return match;
}

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  root_ = ec ? fs::absolute(root, ec) : canonical;
}

HttpResponse StaticFiles::serve(const HttpRequest& req) const {
  if (req.method != "GET" && req.method != "HEAD") {
    HttpResponse res = textResponse(405, "method not allowed");
    res.set("Allow", "GET, HEAD");
    return res;
  }
  ResolvedPath resolved = resolveTarget(req.target);
  if (resolved.error == PathError::kTooLong) return textResponse(414, "request target too long");
  if (resolved.error == PathError::kBadRequest) return textResponse(400, "bad request target");
  if (resolved.error) return textResponse(404, "not found");

  auto file = regularFileUnder(root_, root_ / resolved.relative);
  if (!file) return textResponse(404, "not found");

  std::string_view mime = mimeType(resolved.relative);
  bool compressible = isCompressible(mime);
  fs::path chosen = *file;
  bool gz = false;
  if (compressible && acceptsGzip(req.accept_encoding)) {
    std::error_code ec;
    auto variant = regularFileUnder(root_, fs::path(file->string() + ".gz"));
    if (variant && fs::last_write_time(*variant, ec) >= fs::last_write_time(*file, ec) && !ec) {
      chosen = *variant;
      gz = true;
    }
  }
  std::error_code ec;
  std::uint64_t size = fs::file_size(chosen, ec);
  auto mtime = fs::last_write_time(chosen, ec);
  if (ec) return textResponse(404, "not found");

  HttpResponse res;
  std::string etag = makeEtag(size, mtime, gz);
  res.set("Content-Type", std::string(mime));
  res.set("ETag", etag);
  res.set("Cache-Control", "no-cache");  // names are not content-hashed: always revalidate (cheap 304s)
  res.set("X-Content-Type-Options", "nosniff");
  if (compressible) res.set("Vary", "Accept-Encoding");
  if (gz) res.set("Content-Encoding", "gzip");
  if (!req.if_none_match.empty() && etagMatches(req.if_none_match, etag)) {
    res.status = 304;
    return res;
  }
  res.file_path = chosen.string();
  res.file_size = size;
  return res;
}

}  // namespace imroom::server
