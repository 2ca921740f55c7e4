// One imroom instance on one canvas: SDL2 window + WebGL2 context + ImGui, the controller and the UI,
// driven by the browser's animation frames. Several instances can live on one page (one wasm module each).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "browser_ports.hpp"
#include "canvas_view.hpp"
#include "controller.hpp"
#include "ui.hpp"

#include <SDL_events.h>

namespace imroom::app {

// Counters the JS API reports in state().ui, for tests and benchmarks.
struct FrameStats {
  unsigned long frames = 0;     // ImGui frames rendered
  double first_frame_ms = -1;   // performance.now() when the first frame was drawn
  double last_frame_cpu_ms = 0; // main-thread time spent on the last frame
};

class App {
 public:
  // `server`: base URL of imroom-server ("" = the page's own origin).
  App(core::JoinForm form, std::string server);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Creates the window, GL context and ImGui; starts the frame loop. Returns "" or an error for the user.
  std::string start();
  void stop();

  core::Controller& controller() { return controller_; }
  const core::Controller& controller() const { return controller_; }
  const FrameStats& stats() const { return stats_; }
  const bridge::CanvasMetrics& metrics() const { return metrics_; }

  // Called once after the first frame is on screen.
  std::function<void()> onFirstFrame;

 private:
  static void frameThunk(void* self);
  static void tickThunk(void* self);
  void frame();
  void followCanvas();

  bridge::BrowserPorts ports_;  // before the controller, which uses it
  core::Controller controller_;
  ui::Ui ui_;
  bridge::CanvasView canvas_;
  bridge::CanvasMetrics metrics_;
  FrameStats stats_;
  std::vector<SDL_Event> held_key_ups_;  // key releases held back one frame (see frame())
  SDL_Window* window_ = nullptr;
  void* gl_context_ = nullptr;
  bool imgui_ready_ = false;
  bool running_ = false;
  long tick_timer_ = 0;
};

}  // namespace imroom::app
