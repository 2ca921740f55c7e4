#include "app.hpp"

#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <vector>

#include "browser_page.hpp"
#include "fonts.hpp"
#include "theme.hpp"

namespace imroom::app {

App::App(core::JoinForm form, std::string server) : controller_(std::move(form), &ports_, std::move(server)) {
  ports_.setController(&controller_);
}

App::~App() { stop(); }

std::string App::start() {
  // Keys go to this instance's canvas only (when it has focus), so two widgets on a page never both type.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return std::string("Cannot start video: ") + SDL_GetError();
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
  metrics_ = canvas_.read();
  window_ = SDL_CreateWindow("imroom", 0, 0, std::max(1, metrics_.css_width), std::max(1, metrics_.css_height),
                             SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window_) return std::string("Cannot create the window: ") + SDL_GetError();
  gl_context_ = SDL_GL_CreateContext(window_);
  if (!gl_context_) return "This browser cannot draw with WebGL2, which imroom needs.";
  SDL_GL_MakeCurrent(window_, gl_context_);
  canvas_.resizeBuffer(metrics_);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no file system in the browser build; layout is code
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ui::applyTheme();
  ui::loadFonts(static_cast<float>(metrics_.pixel_ratio));
  ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_);
  // After the SDL backend, which installs its own (SDL has no clipboard in the browser).
  io.SetClipboardTextFn = [](void*, const char* text) { bridge::copyToClipboard(text); };
  controller_.setPageUrl(bridge::pageUrl());
  ImGui_ImplOpenGL3_Init("#version 300 es");
  imgui_ready_ = true;

  running_ = true;
  // Timers (reconnection, keep-alive, resending) run on an interval, not on animation frames, which a
  // background tab does not get.
  tick_timer_ = emscripten_set_interval(&App::tickThunk, 200, this);
  // 0 fps = the browser's animation frames; false = return to the caller (create() must resolve).
  emscripten_set_main_loop_arg(&App::frameThunk, this, 0, false);
  return {};
}

void App::stop() {
  if (running_) {
    emscripten_clear_interval(tick_timer_);
    emscripten_cancel_main_loop();
    running_ = false;
  }
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    imgui_ready_ = false;
  }
  if (gl_context_) SDL_GL_DeleteContext(gl_context_);
  gl_context_ = nullptr;
  if (window_) SDL_DestroyWindow(window_);
  window_ = nullptr;
}

void App::frameThunk(void* self) { static_cast<App*>(self)->frame(); }
void App::tickThunk(void* self) { static_cast<App*>(self)->controller_.tick(); }

// Follows the canvas' CSS size (window resizes, a container that changes size) and the pixel ratio
// (HiDPI screens, zoom, moving the window to another screen). Fonts are re-rasterized for a new ratio.
bool App::followCanvas() {
  bridge::CanvasMetrics now = canvas_.read();
  if (now == metrics_) return false;
  bool ratio_changed = now.pixel_ratio != metrics_.pixel_ratio;
  metrics_ = now;
  SDL_SetWindowSize(window_, std::max(1, now.css_width), std::max(1, now.css_height));
  canvas_.resizeBuffer(now);
  if (ratio_changed) {
    ui::loadFonts(static_cast<float>(now.pixel_ratio));
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  return true;
}

void App::frame() {
  double started = bridge::CanvasView::now();
  // A new screen counts as input: its first frames move the keyboard focus, which must be in place at once.
  const bool new_screen = controller_.state().screen != drawn_screen_;
  drawn_screen_ = controller_.state().screen;
  const bool input =
      followCanvas() || new_screen || !held_key_ups_.empty() || SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
  if (input) input_frames_ = kInputFrames;
  const double since = started - last_drawn_;
  if (input_frames_ > 0) {
    --input_frames_;
  } else if (dirty_frames_ > 0 && since >= std::max(kStateFrameMs, 10.0 * stats_.last_frame_cpu_ms)) {
    // Passive updates take at most ~10% of the main thread, however slow drawing is on this machine.
    --dirty_frames_;
  } else if (since < kIdleFrameMs) {
    return;  // nothing new to show: save the CPU (and the battery)
  }
  last_drawn_ = started;
  // ImGui 1.86 reads keys as "down now or not": a key pressed and released between two frames (a quick tap
  // on a slow frame) would never be seen. Such a release is held back to the next frame.
  std::vector<SDL_Event> held = std::move(held_key_ups_);
  held_key_ups_.clear();
  for (SDL_Event& e : held) ImGui_ImplSDL2_ProcessEvent(&e);
  std::vector<SDL_Scancode> pressed;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    if (event.type == SDL_KEYDOWN) pressed.push_back(event.key.keysym.scancode);
    if (event.type == SDL_KEYUP &&
        std::find(pressed.begin(), pressed.end(), event.key.keysym.scancode) != pressed.end()) {
      held_key_ups_.push_back(event);
      continue;
    }
    ImGui_ImplSDL2_ProcessEvent(&event);
  }

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  for (const core::Intent& intent : ui_.draw(controller_.state())) controller_.apply(intent);
  ImGui::Render();
  const double ui_done = bridge::CanvasView::now();

  int fb_w = 0, fb_h = 0;
  SDL_GL_GetDrawableSize(window_, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(window_);
  const double gl_done = bridge::CanvasView::now();
  stats_.last_ui_ms = ui_done - started;
  stats_.last_gl_ms = gl_done - ui_done;

  ++stats_.frames;
  stats_.last_frame_cpu_ms = bridge::CanvasView::now() - started;
  if (stats_.frames == 1) {
    stats_.first_frame_ms = bridge::CanvasView::now();
    if (onFirstFrame) onFirstFrame();
  }
}

}  // namespace imroom::app
