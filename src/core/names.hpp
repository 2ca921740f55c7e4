// User and room names (DESIGN.md §5). The same rules are enforced by the client (a clear message before joining)
// and by the server (tokens, the Xirsys endpoints, the hub).
//
// A user name is 1 to 64 characters: letters, ASCII digits, '-' and '_'. Letters may be Latin (with accents),
// Greek, Cyrillic, Armenian, Georgian, Chinese, Japanese (kana) or Korean (hangul) — scripts drawn correctly
// without text shaping or right-to-left layout, which the UI does not have yet. A name's letters come from one
// script (Latin may go with Chinese, Japanese or Korean), so that no name mixes look-alikes from two scripts.
//
// A room name is 1 to 64 Latin letters (a-z, A-Z), ASCII digits, '-' and '_': it goes into URLs and the Xirsys
// channel path.
#pragma once

#include <string>
#include <string_view>

namespace imroom::core {

inline constexpr std::size_t kMaxNameLength = 64;                 // characters (code points)
inline constexpr std::size_t kMaxNameBytes = 4 * kMaxNameLength;  // UTF-8 bytes a user name can take

bool isValidUserName(std::string_view name);
bool isValidRoomName(std::string_view room);

// A message for a person when the name is not valid ("" when it is).
std::string userNameProblem(std::string_view name);
std::string roomNameProblem(std::string_view room);

// What a name looks like, for telling apart two members of a room: case folded, and letters that look alike
// across scripts mapped to one (Cyrillic "а" and Latin "a", Greek "Ο", Latin "O" and "0", "I", "l" and "1",
// "rn" and "m"). Two names with the same skeleton cannot be told apart on the screen. For a valid user name.
std::string nameSkeleton(std::string_view name);

}  // namespace imroom::core
