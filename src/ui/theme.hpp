// imroom's look: a calm dark theme with rounded controls, scaled for the pixel ratio's sake by ImGui itself.
#pragma once

namespace imroom::ui {

void applyTheme();

}  // namespace imroom::ui
