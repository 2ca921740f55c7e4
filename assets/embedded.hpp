// Files baked into the binary at build time (see assets/CMakeLists.txt).
#pragma once

namespace imroom::assets {
extern const unsigned char kUiFontTtf[];  // DejaVu Sans, subset to the UI's glyph ranges
extern const unsigned kUiFontTtfSize;
}  // namespace imroom::assets
