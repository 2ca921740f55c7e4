// Any request target: resolution never escapes the root (no "..", no NUL, no backslash survives) and the
// static file handler answers with a status, never a crash.
#include <cstdlib>
#include <filesystem>

#include "static_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imroom::server;
  std::string target(reinterpret_cast<const char*>(data), size);
  ResolvedPath r = resolveTarget(target);
  if (!r.error) {
    std::string segments = "/" + r.relative + "/";
    if (segments.find("/../") != std::string::npos || segments.find("//") != std::string::npos) std::abort();
    for (char c : r.relative) {
      if (c == '\0' || c == '\\') std::abort();
    }
    if (!r.relative.empty() && r.relative.front() == '/') std::abort();
  }
  static StaticFiles files(std::filesystem::temp_directory_path());
  HttpRequest req;
  req.method = "GET";
  req.target = target;
  req.accept_encoding = "gzip";
  HttpResponse res = files.serve(req);
  if (res.status < 200 || res.status > 599) std::abort();
  return 0;
}
