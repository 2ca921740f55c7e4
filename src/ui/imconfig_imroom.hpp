// ImGui build configuration for imroom (IMGUI_USER_CONFIG).
#pragma once

// Native builds (tests): an ImGui assertion aborts loudly even in release builds, so a panel that
// misuses ImGui fails its headless test. In the browser ImGui's asserts stay compiled out.
#ifndef __EMSCRIPTEN__
#include <cstdio>
#include <cstdlib>
#define IM_ASSERT(expr)                                                                     \
  ((expr) ? (void)0                                                                        \
          : (std::fprintf(stderr, "ImGui assertion failed: %s (%s:%d)\n", #expr, __FILE__, \
                          __LINE__),                                                       \
             std::abort()))
#endif

// Characters beyond the Basic Multilingual Plane (emoji, many CJK ideographs) are ImWchar too: typed text keeps
// them and the font atlas can hold their glyphs (src/ui/fonts.hpp).
#define IMGUI_USE_WCHAR32
