#include "http_types.hpp"

#include <strings.h>

namespace imroom::server {

const std::string* HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return &value;
  }
  return nullptr;
}

HttpResponse textResponse(int status, std::string body, std::string content_type) {
  HttpResponse res;
  res.status = status;
  if (!body.empty() && body.back() != '\n') body.push_back('\n');
  res.body = std::move(body);
  res.set("Content-Type", std::move(content_type));
  res.set("Cache-Control", "no-store");
  return res;
}

}  // namespace imroom::server
