// The app's <canvas> as the browser lays it out: CSS size and device pixel ratio, and its drawing buffer.
// Emscripten-only. "#canvas" is mapped to this module instance's own canvas by web/post.js.
#pragma once

namespace imroom::bridge {

struct CanvasMetrics {
  int css_width = 0;   // CSS pixels
  int css_height = 0;
  double pixel_ratio = 1.0;  // window.devicePixelRatio (HiDPI screens, browser zoom)

  bool operator==(const CanvasMetrics& o) const {
    return css_width == o.css_width && css_height == o.css_height && pixel_ratio == o.pixel_ratio;
  }
  bool operator!=(const CanvasMetrics& o) const { return !(*this == o); }
};

class CanvasView {
 public:
  // Current layout of the canvas (cheap enough to call once per frame).
  CanvasMetrics read() const;
  // Sizes the drawing buffer to CSS size × pixel ratio, so one buffer pixel is one screen pixel.
  void resizeBuffer(const CanvasMetrics& m) const;
  // Milliseconds since navigation start (performance.now()).
  static double now();
};

}  // namespace imroom::bridge
