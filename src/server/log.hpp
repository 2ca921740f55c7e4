// One-line log records on stderr, safe to call from any thread. Never given secrets.
#pragma once

#include <string>
#include <string_view>

namespace imroom::server {

enum class LogLevel { kInfo, kWarn, kError };

void logLine(LogLevel level, std::string_view text);

// Makes untrusted text (request targets, client-sent names) safe for a single log line:
// control characters become '?', and it is cut to max_len with an ellipsis.
std::string logSafe(std::string_view text, std::size_t max_len = 200);

}  // namespace imroom::server
