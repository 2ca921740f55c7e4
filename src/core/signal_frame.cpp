#include "signal_frame.hpp"

namespace imroom::core {

using nlohmann::json;

std::string_view errorCode(FrameError e) {
  switch (e) {
    case FrameError::kBadJson: return "bad_json";
    case FrameError::kNotObject: return "not_object";
    case FrameError::kBadField: return "bad_field";
  }
  return "bad_json";
}

namespace {
ParsedFrame fail(FrameError e, std::string detail) { return ParsedFrame{std::nullopt, e, std::move(detail)}; }
}  // namespace

ParsedFrame parseFrame(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(FrameError::kBadJson, "the frame is not valid JSON");
  if (!doc.is_object()) return fail(FrameError::kNotObject, "the frame must be a JSON object");
  auto t = doc.find("t");
  if (t == doc.end() || !t->is_string() || t->get_ref<const std::string&>() != "u")
    return fail(FrameError::kBadField, "\"t\" must be \"u\"");
  auto m = doc.find("m");
  if (m == doc.end() || !m->is_object()) return fail(FrameError::kBadField, "\"m\" must be an object");
  auto o = m->find("o");
  if (o == m->end() || !o->is_string()) return fail(FrameError::kBadField, "\"m.o\" must be a string");
  SignalFrame frame;
  frame.op = o->get<std::string>();
  auto to = m->find("t");
  if (to != m->end() && !to->is_null()) {
    if (!to->is_string()) return fail(FrameError::kBadField, "\"m.t\" must be a user name or null");
    frame.to = to->get<std::string>();
  }
  auto f = m->find("f");
  if (f != m->end() && f->is_string()) frame.from = f->get<std::string>();
  auto p = doc.find("p");
  if (p != doc.end()) frame.payload = std::move(*p);
  return ParsedFrame{std::move(frame), FrameError::kBadJson, {}};
}

std::string printFrame(const SignalFrame& frame) {
  json m = json::object();
  m["f"] = frame.from;
  m["o"] = frame.op;
  m["t"] = frame.to ? json(*frame.to) : json(nullptr);
  json doc = json::object();
  doc["t"] = "u";
  doc["m"] = std::move(m);
  doc["p"] = frame.payload;
  // Invalid UTF-8 in a payload is replaced, never thrown about.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string_view userOf(std::string_view from) {
  std::size_t slash = from.rfind('/');
  return slash == std::string_view::npos ? from : from.substr(slash + 1);
}

}  // namespace imroom::core
