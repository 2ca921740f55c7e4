// The page around the app: its address and the clipboard.
#pragma once

#include <string>

namespace imroom::bridge {

// location.origin + location.pathname ("" when unknown).
std::string pageUrl();
// navigator.clipboard.writeText; failures (no permission, insecure origin) are ignored — the link is also
// shown in a tooltip.
void copyToClipboard(const std::string& text);

}  // namespace imroom::bridge
