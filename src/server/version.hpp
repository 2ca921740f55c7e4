#pragma once

namespace imroom::server {
inline constexpr const char* kVersion = "0.1.0";
}
