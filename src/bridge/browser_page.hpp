// The page around the app: its address, the clipboard, what its <iframe> (if any) allows.
#pragma once

#include <string>

#include "embedding.hpp"

namespace imroom::bridge {

// location.origin + location.pathname ("" when unknown).
std::string pageUrl();
// navigator.clipboard.writeText; failures (no permission, insecure origin) are ignored — the link is also
// shown in a tooltip.
void copyToClipboard(const std::string& text);
// What the page may use (Permissions Policy: an <iframe>'s allow list); all allowed when the browser cannot say.
core::FramePolicy framePolicy();

}  // namespace imroom::bridge
