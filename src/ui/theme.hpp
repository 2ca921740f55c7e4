// imroom's looks: a calm dark theme with rounded controls, and a high-contrast one (black, white, yellow focus,
// bordered controls) for low vision; sizes follow the text size setting.
#pragma once

#include <vector>

#include "app_state.hpp"

namespace imroom::ui {

void applyTheme(core::Theme theme = core::Theme::kDark, float scale = 1.0f);

// A "Display" button whose popup chooses the theme and the text size (pushes SetLook).
void drawDisplaySettings(const core::Look& look, std::vector<core::Intent>& out);

}  // namespace imroom::ui
