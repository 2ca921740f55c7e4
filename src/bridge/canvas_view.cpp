#include "canvas_view.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <cmath>

namespace imroom::bridge {

CanvasMetrics CanvasView::read() const {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  CanvasMetrics m;
  m.css_width = static_cast<int>(std::lround(w));
  m.css_height = static_cast<int>(std::lround(h));
  m.pixel_ratio = emscripten_get_device_pixel_ratio();
  if (!(m.pixel_ratio > 0.0)) m.pixel_ratio = 1.0;
  return m;
}

void CanvasView::resizeBuffer(const CanvasMetrics& m) const {
  int w = static_cast<int>(std::lround(m.css_width * m.pixel_ratio));
  int h = static_cast<int>(std::lround(m.css_height * m.pixel_ratio));
  emscripten_set_canvas_element_size("#canvas", w > 0 ? w : 1, h > 0 ? h : 1);
}

double CanvasView::now() { return emscripten_get_now(); }

}  // namespace imroom::bridge
