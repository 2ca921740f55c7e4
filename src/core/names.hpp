// Room and user names: Latin letters (a-z, A-Z), digits, '-' and '_', 1 to 64 characters (DESIGN.md §5).
// The same rule is enforced by the client (clear message before joining) and by the server.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imroom::core {

inline constexpr std::size_t kMaxNameLength = 64;

bool isValidName(std::string_view name);

// A message for a person when `name` is not valid ("" when it is); `what` is "name" or "room".
std::string nameProblem(std::string_view name, std::string_view what);

}  // namespace imroom::core
