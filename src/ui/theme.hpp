// imroom's looks: a calm dark theme with rounded controls, and a high-contrast one (black, white, yellow focus,
// bordered controls) for low vision; sizes follow the text size setting.
#pragma once

#include <vector>

#include "app_state.hpp"

namespace imroom::ui {

// `touch`: the main pointer is a finger — taller controls and rows (at least ~40 px at text size 100 %), wider
// scrollbars, and the small buttons as tall as the others.
void applyTheme(core::Theme theme = core::Theme::kDark, float scale = 1.0f, bool touch = false);

// ImGui::SmallButton, or a full-height button when the theme is for touch.
bool smallButton(const char* label);

// A "Display" button whose popup chooses the theme and the text size (pushes SetLook).
void drawDisplaySettings(const core::Look& look, std::vector<core::Intent>& out);

}  // namespace imroom::ui
