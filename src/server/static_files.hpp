// Static files of the web app: safe path resolution, MIME types, precompressed gzip variants and ETags.
// Pure filesystem logic (no sockets), so every traversal trick can be tested in a table.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace imroom::server {

// Longest request target we accept; longer ones get 414 before any decoding work.
inline constexpr std::size_t kMaxTargetLength = 2048;

// Why a target could not be mapped to a path under the root.
enum class PathError { kBadRequest, kTooLong, kNotFound };

// Decodes %XX escapes. Fails on malformed escapes and on any NUL byte, escaped or not.
std::optional<std::string> percentDecode(std::string_view in);

// Percent-encodes every byte but RFC 3986's unreserved ones (A-Z a-z 0-9 - _ . ~).
std::string percentEncode(std::string_view in);

// Maps a request target (path + optional query) to a relative path under the root.
// Rejects anything that is not origin-form, contains NUL, backslashes, ".." segments or dot-files.
// "/" and "/dir/" map to index.html.
struct ResolvedPath {
  std::string relative;  // e.g. "index.html", "assets/app.js"
  std::optional<PathError> error;
};
ResolvedPath resolveTarget(std::string_view target);

// The Content-Type for a file name (by extension); "application/octet-stream" when unknown.
std::string_view mimeType(std::string_view file_name);

// True when an Accept-Encoding header value allows gzip (honours "q=0" and "*").
bool acceptsGzip(std::string_view accept_encoding);

// True when an If-None-Match header value matches the entity tag (weak comparison, "*" matches).
bool etagMatches(std::string_view if_none_match, std::string_view etag);

class StaticFiles {
 public:
  // root: the folder served. A root that does not exist makes every request 404 (the server warns at start).
  explicit StaticFiles(std::filesystem::path root);

  // GET/HEAD of a static file; the response names the file to send (or carries an error/304).
  HttpResponse serve(const HttpRequest& req) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
};

}  // namespace imroom::server
