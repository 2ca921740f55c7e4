#include "names.hpp"

namespace imroom::core {

namespace {
bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
}  // namespace

bool isValidName(std::string_view name) { return nameProblem(name, "name").empty(); }

std::string nameProblem(std::string_view name, std::string_view what) {
  std::string w(what);
  if (name.empty()) return "Enter a " + w + ".";
  if (name.size() > kMaxNameLength) return "The " + w + " is too long (at most 64 characters).";
  for (char c : name) {
    if (!isNameChar(c)) {
      if (c == ' ') return "The " + w + " cannot contain spaces: use - or _ instead.";
      return "The " + w + " may only use Latin letters (a-z, A-Z), digits, - and _.";
    }
  }
  return {};
}

}  // namespace imroom::core
