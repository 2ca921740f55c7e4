#include "app.hpp"

#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "browser_page.hpp"
#include "fonts.hpp"
#include "rehearsal.hpp"
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
  io.ConfigInputTextCursorBlink = false;  // a steady cursor needs no frames while nothing happens
  applied_look_ = controller_.state().look;
  ui::applyTheme(applied_look_.theme, applied_look_.font_scale, applied_look_.touch);
  font_.load(static_cast<float>(metrics_.pixel_ratio), applied_look_.font_scale);
  ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_);
  // After the SDL backend, which installs its own (SDL has no clipboard in the browser).
  io.SetClipboardTextFn = [](void*, const char* text) { bridge::copyToClipboard(text); };
  controller_.setPageUrl(bridge::pageUrl());
  controller_.setFramePolicy(bridge::framePolicy());
  // The mirror first: both go right after the canvas, and the text input belongs next to it.
  mirror_ = std::make_unique<bridge::A11yMirror>();
  mirror_->on_intent = [this](const core::Intent& intent) {
    controller_.apply(intent);
    syncMirror();  // a control used through the mirror shows its new state at once (aria-pressed)
  };
  announcer_.update(controller_.state());
  mirror_->sync(controller_.state(), {});
  text_input_ = std::make_unique<bridge::TextInput>();
  text_input_->on_typed = [this] { wake(); };
  if (!renderer_.init()) return "This browser cannot draw the interface (WebGL2 shaders failed to build).";
  renderer_.setYuvLookup([this](unsigned texture) { return videos_.yuv(texture); });
  imgui_ready_ = true;

  running_ = true;
  // Timers (reconnection, keep-alive, resending) run on an interval, not on animation frames, which a
  // background tab does not get.
  tick_timer_ = emscripten_set_interval(&App::tickThunk, 200, this);
  // Wake-ups: every SDL event (pointer, keys, wheel, focus), a resize of the canvas, a new video frame.
  SDL_AddEventWatch(&App::sdlEventWatch, this);
  bridge::helper("imroomObserveCanvas")();
  wake();
  return {};
}

void App::stop() {
  if (running_) {
    emscripten_clear_interval(tick_timer_);
    if (frame_request_) emscripten_cancel_animation_frame(frame_request_);
    if (retry_timer_) emscripten_clear_timeout(retry_timer_);
    frame_request_ = retry_timer_ = 0;
    SDL_DelEventWatch(&App::sdlEventWatch, this);
    running_ = false;
  }
  text_input_.reset();
  mirror_.reset();
  if (imgui_ready_) {
    videos_.release();  // before the GL context goes: a texture deleted later would find no context
    renderer_.shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    imgui_ready_ = false;
  }
  if (gl_context_) SDL_GL_DeleteContext(gl_context_);
  gl_context_ = nullptr;
  if (window_) SDL_DestroyWindow(window_);
  window_ = nullptr;
}

// Text and editing keys from the hidden textarea (phones, input methods), in typing order. ImGui 1.86 sees a
// key press as "up last frame, down now", and handles a frame's keys before its text: so a frame carries either
// some text or one key, a key is released at the next frame, and the same key twice waits a frame between.
void App::feedTextInput() {
  ImGuiIO& io = ImGui::GetIO();
  int released = -1;
  for (int code : injected_downs_) {
    io.KeysDown[code] = false;
    released = code;
  }
  if (!injected_downs_.empty()) io.KeyShift = io.KeyCtrl = io.KeyAlt = false;
  injected_downs_.clear();
  if (!text_input_) return;
  // Tab moves the keyboard to the next field, which becomes active only in this frame: what was typed after the
  // Tab waits a frame for it (else the first letter would reach no field).
  if (released == SDL_SCANCODE_TAB) return;
  // Between a chat line sent and the field taking the focus back, what is typed waits for the field.
  if (!text_field_active_ && text_input_->idleFrames() < bridge::TextInput::kGraceFrames) return;
  static const std::pair<const char*, SDL_Scancode> kKeys[] = {
      {"Enter", SDL_SCANCODE_RETURN}, {"Backspace", SDL_SCANCODE_BACKSPACE}, {"Delete", SDL_SCANCODE_DELETE},
      {"Tab", SDL_SCANCODE_TAB}, {"Escape", SDL_SCANCODE_ESCAPE}, {"ArrowLeft", SDL_SCANCODE_LEFT},
      {"ArrowRight", SDL_SCANCODE_RIGHT}, {"ArrowUp", SDL_SCANCODE_UP}, {"ArrowDown", SDL_SCANCODE_DOWN},
      {"Home", SDL_SCANCODE_HOME}, {"End", SDL_SCANCODE_END}, {"PageUp", SDL_SCANCODE_PAGEUP},
      {"PageDown", SDL_SCANCODE_PAGEDOWN}, {"a", SDL_SCANCODE_A}, {"c", SDL_SCANCODE_C}, {"x", SDL_SCANCODE_X},
      {"y", SDL_SCANCODE_Y}, {"z", SDL_SCANCODE_Z}};
  std::deque<bridge::Typed>& queue = text_input_->queue();
  bool fed_text = false;
  while (!queue.empty()) {
    bridge::Typed& t = queue.front();
    if (!t.text.empty()) {
      io.AddInputCharactersUTF8(t.text.c_str());
      fed_text = true;
      queue.pop_front();
      continue;
    }
    if (fed_text) break;  // the key goes in the next frame, after this text
    int code = -1;
    for (const auto& [name, sc] : kKeys)
      if (t.key == name) code = sc;
    if (code == released) break;  // the same key again: up for one frame first
    if (code >= 0) {
      io.KeysDown[code] = true;
      io.KeyShift = t.shift;
      io.KeyCtrl = t.ctrl;
      io.KeyAlt = t.alt;
      injected_downs_.push_back(code);
    }
    queue.pop_front();
    break;  // one key per frame
  }
}

// The videos to show: this member's camera first, then each member's camera that arrives.
std::vector<VideoTextures::Source> App::videoSources() {
  std::vector<VideoTextures::Source> out;
  const core::AppState& s = controller_.state();
  if (s.screen != core::Screen::kRoom) return out;
  const bool any_video = s.camera || std::any_of(s.peers.begin(), s.peers.end(), [](const core::PeerView& p) {
                           return p.video || p.camera_off;
                         });
  if (!any_video) return out;  // a text room: no video area at all
  // Off cameras stay in the grid as placeholders (a null video).
  out.push_back({s.joined.username, s.camera ? ports_.localVideo() : emscripten::val::null(), true, false,
                 !s.microphone, {}});
  for (const core::PeerView& p : s.peers) {
    const bool speaking = p.audio && p.peer_id && ports_.audioLevel(p.peer_id) > kSpeakingLevel;
    if (p.video && p.peer_id) out.push_back({p.username, ports_.remoteVideo(p.peer_id), false, speaking, p.muted, link(p)});
    else if (p.camera_off) out.push_back({p.username, emscripten::val::null(), false, speaking, p.muted, link(p)});
  }
  return out;
}

// A member's connection quality; the frame rate counts only while their camera is on (an off camera sends
// almost no frames, which is not a bad link).
core::LinkVerdict App::link(const core::PeerView& p) const {
  if (!p.peer_id) return {};
  core::LinkStats stats = ports_.linkStats(p.peer_id);
  if (!p.video) stats.fps = -1;
  return core::judgeLink(stats);
}

void App::stateChanged() {
  markDirty();
  glyphs_due_ = true;
  if (!mirror_) return;
  // What to say is worked out at every change (a status shown only briefly is still said); the DOM is
  // touched later, with the frames. A new screen too: its DOM work (style and layout, 4-8 ms here) landed in the
  // middle of the join's negotiations; the keyboard moves to the new screen's field with the frame that shows it.
  for (std::string& line : announcer_.update(controller_.state())) announcements_.push_back(std::move(line));
  if (!mirror_due_) {
    mirror_due_ = true;
    mirror_since_ = bridge::CanvasView::now();
  }
}

void App::syncMirror() {
  if (!mirror_due_ || !mirror_) return;
  mirror_due_ = false;
  mirror_->sync(controller_.state(), announcements_);
  announcements_.clear();
}

void App::markDirty() {
  const double now = bridge::CanvasView::now();
  if (dirty_frames_ == 0) dirty_since_ = now;
  if (now - last_change_ >= core::kQuietMs) burst_since_ = now;  // the changes had paused: a new burst
  last_change_ = now;
  dirty_frames_ = kStateFrames;
  scheduleStateFrame(now);
}

// When a pending state change may be drawn: at most every `interval` after the last frame, and (unless a new
// video frame comes with it) as core::stateWaitMs says (after a pause in its burst; later while joining).
double App::stateDueIn(double now, double interval, bool new_video) const {
  const double wait = core::stateWaitMs(controller_.state(), shown_, now - last_change_, now - dirty_since_,
                                        last_drawn_ >= burst_since_);
  return std::max(interval - (now - last_drawn_), new_video ? 0.0 : wait);
}

// Until a state change is due, a timer waits for it. An animation frame asked for and not drawn in still
// costs the page a whole browser frame (style, layout, commit; 1-4 ms here): one per chat message before.
// Input and video frames are asked for at once, as before.
void App::scheduleStateFrame(double now) {
  if (!running_ || frame_request_) return;
  const double due_in = input_frames_ > 0 || drew_video_ ? 0.0 : stateDueIn(now, kStateFrameMs, false);
  if (due_in <= 0) return wake();
  armRetry(due_in);
}

// One timer for a frame due later: the earliest of what is waiting (a state change, a busy GPU, a long press).
// A later deadline keeps the timer there is; an earlier one replaces it.
void App::armRetry(double in_ms) {
  if (!running_) return;
  const double at = bridge::CanvasView::now() + in_ms;
  if (retry_timer_) {
    if (retry_at_ <= at) return;
    emscripten_clear_timeout(retry_timer_);
  }
  retry_at_ = at;
  // Whole ms and one more: a browser timer may fire up to a ms before a fractional delay.
  retry_timer_ = emscripten_set_timeout(&App::retryThunk, std::ceil(std::max(1.0, in_ms)) + 1.0, this);
}

void App::wake() {
  if (!running_ || frame_request_) return;
  frame_request_ = emscripten_request_animation_frame(&App::frameThunk, this);
}

// One animation frame: draw if due, and ask for the next one while more frames are wanted (input settling, a
// state change not drawn yet, the GPU still busy, a video frame not uploaded yet).
int App::frameThunk(double, void* self) {
  App& app = *static_cast<App*>(self);
  app.frame_request_ = 0;
  app.retry_in_ms_ = 0;
  app.frame();
  if (app.retry_in_ms_ > 0) {
    // Due later (changes are drawn at most so often, or the GPU is still busy): a timer, not animation frames
    // spent waiting.
    app.armRetry(app.retry_in_ms_);
  } else if (app.input_frames_ > 0 || app.videos_.hasNewFrames(app.videoSources())) {
    app.wake();
  } else if (app.dirty_frames_ > 0) {
    app.scheduleStateFrame(bridge::CanvasView::now());
  }
  return 0;  // one frame: the next is asked for explicitly
}

void App::retryThunk(void* self) {
  App& app = *static_cast<App*>(self);
  app.retry_timer_ = 0;
  if (app.running_ && app.renderer_.busy() && bridge::CanvasView::now() - app.last_drawn_ < kMaxWaitMs) {
    app.armRetry(kBusyPollMs);  // the GPU: not yet
    return;
  }
  // Changes since the timer was set may have put the frame off again.
  if (app.dirty_frames_ > 0 && app.input_frames_ == 0) return app.scheduleStateFrame(bridge::CanvasView::now());
  app.wake();
}

void App::rehearse() {
  if (!imgui_ready_ || controller_.state().signaling != core::SignalingState::kIdle) return;
  const core::RehearsalResult r = core::rehearseJoin();
  // The first room frame ran ~150 functions for the first time (20-70 ms here, while the other members were
  // still connecting); drawn once in a scratch context that shares the font atlas, the real one finds them
  // compiled. The scratch context has its own windows, focus and style: nothing of the real UI changes.
  ImGuiContext* real = ImGui::GetCurrentContext();
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  ImGuiContext* scratch = ImGui::CreateContext(ImGui::GetIO().Fonts);
  ImGui::SetCurrentContext(scratch);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = size;
  io.DeltaTime = 1.0f / 60;
  ui::applyTheme(applied_look_.theme, applied_look_.font_scale, applied_look_.touch);
  ui::Ui ui;
  for (int i = 0; i < 2; ++i) {  // a window appears in its second frame
    ImGui::NewFrame();
    ui.draw(r.room);
    ImGui::Render();
  }
  ImGui::DestroyContext(scratch);
  ImGui::SetCurrentContext(real);
}

// SDL turns a finger into mouse events marked SDL_TOUCH_MOUSEID (and FINGER events ImGui ignores). Those go to
// the gestures, not to ImGui; a real mouse's events make it the pointer again.
bool App::touchEvent(const SDL_Event& e) {
  Uint32 which = 0;
  float x = 0, y = 0;
  switch (e.type) {
    case SDL_MOUSEMOTION: which = e.motion.which; x = e.motion.x; y = e.motion.y; break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: which = e.button.which; x = e.button.x; y = e.button.y; break;
    case SDL_MOUSEWHEEL: which = e.wheel.which; break;
    default: return false;
  }
  if (which != SDL_TOUCH_MOUSEID) {
    if (touch_.owning()) touch_.mouseUsed();
    return false;
  }
  const ImVec2 pos(x, y);
  // When it happened (SDL's clock, moved onto ours): the moves of one frame come together, and the speed of a
  // flick is measured between them.
  const double clock = bridge::CanvasView::now();
  const double ago = static_cast<double>(SDL_GetTicks()) - static_cast<double>(e.common.timestamp);
  const double now = clock - std::max(0.0, ago);
  if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT) touch_.down(pos, now);
  if (e.type == SDL_MOUSEMOTION && (e.motion.state & SDL_BUTTON_LMASK)) touch_.move(pos, now);
  if (e.type == SDL_MOUSEBUTTONUP && e.button.button == SDL_BUTTON_LEFT) touch_.up(pos, now);
  return true;
}

int App::sdlEventWatch(void* self, SDL_Event*) {
  static_cast<App*>(self)->wake();
  return 0;
}

void App::tickThunk(void* self) { static_cast<App*>(self)->tick(); }

// A few times a second: the controller's timers; the idle frame; the speaking rings of members whose picture
// does not already redraw the screen (a camera-off tile, an audio-only member).
void App::tick() {
  controller_.tick();
  std::vector<bool> speaking;
  for (const core::PeerView& p : controller_.state().peers)
    speaking.push_back(p.audio && p.peer_id && ports_.audioLevel(p.peer_id) > kSpeakingLevel);
  if (speaking != speaking_) {
    speaking_ = std::move(speaking);
    markDirty();
  }
  const double now = bridge::CanvasView::now();
  // No frames (a hidden tab): still in step, as late as a frame would have been.
  if (mirror_due_ && core::stateWaitMs(controller_.state(), shown_, 0, now - mirror_since_) <= 0) syncMirror();
  if (now - last_drawn_ >= kIdleFrameMs) wake();
}

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
    font_.load(static_cast<float>(now.pixel_ratio), applied_look_.font_scale);
    renderer_.reloadFonts();
    damage_.invalidate();
  }
  return true;
}

void App::followLook() {
  const core::Look& look = controller_.state().look;
  if (look == applied_look_) return;
  const bool new_size = look.font_scale != applied_look_.font_scale;
  applied_look_ = look;
  ui::applyTheme(look.theme, look.font_scale, look.touch);
  if (new_size) {
    font_.load(static_cast<float>(metrics_.pixel_ratio), look.font_scale);
    renderer_.reloadFonts();
  }
  damage_.invalidate();
}

// Characters the atlas lacks (a message in another script, a name with an accent the baked font has not, an
// emoji typed): drawn by the browser's fonts and added before this frame lays out its text, so none shows as "?".
void App::followText() {
  if (glyphs_due_) {
    glyphs_due_ = false;
    font_.noteState(controller_.state());
  }
  const ImVector<ImWchar>& typed = ImGui::GetIO().InputQueueCharacters;
  if (!typed.empty()) font_.note(std::vector<char32_t>(typed.begin(), typed.end()));
  const ui::UiFont::Change change = font_.update();
  if (font_.pending()) markDirty();  // more than one frame's share of new characters: the rest next frame
  switch (change) {
    case ui::UiFont::Change::kNone: return;
    case ui::UiFont::Change::kGlyphsAdded:
      for (const ui::UiFont::Patch& p : font_.patches()) renderer_.updateFonts(p.x, p.y, p.width, p.height, p.rgba);
      break;
    case ui::UiFont::Change::kRebuilt: renderer_.reloadFonts(); break;
  }
  // No damage to mark: text whose glyphs moved or came has new texture coordinates, which the tracker sees.
}

bool App::layoutSettling() const {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool windows = std::any_of(g.Windows.begin(), g.Windows.end(), [](const ImGuiWindow* w) {
    return w->Active && (w->ScrollTarget.x != FLT_MAX || w->ScrollTarget.y != FLT_MAX || w->AutoFitFramesX > 0 ||
                         w->AutoFitFramesY > 0 || w->HiddenFramesCannotSkipItems > 0);
  });
  // A focus move (SetKeyboardFocusHere, Tab) or a window's first item to focus is applied at the next NewFrame.
  return windows || g.NavMoveSubmitted || g.NavInitResultId != 0 || ui_.settling(controller_.state());
}

// One ImGui frame laid out and not drawn, with no new input and time standing still (DeltaTime ~0).
void App::layOut(const std::vector<ui::VideoTile>& tiles) {
  ImGui::GetIO().DeltaTime = kLayoutPassSeconds;
  ImGui::NewFrame();
  for (const core::Intent& intent : ui_.draw(controller_.state(), tiles)) controller_.apply(intent);
  ImGui::Render();
  ++stats_.layout_passes;
}

void App::settle(const std::vector<ui::VideoTile>& tiles) {
  for (int pass = 0; pass < kLayoutPasses && layoutSettling(); ++pass) layOut(tiles);
}

void App::frame() {
  double started = bridge::CanvasView::now();
  followLook();
  const bool new_screen = controller_.state().screen != shown_.screen;
  const bool typed = text_input_ && !text_input_->queue().empty();
  const std::vector<VideoTextures::Source> sources = videoSources();
  const bool video = videos_.hasNewFrames(sources);
  if (video) dirty_frames_ = std::max(dirty_frames_, 1);  // video: at its frame rate
  const double touch_due = touch_.frameDueIn(started);
  const bool input = followCanvas() || typed || !held_key_ups_.empty() || !injected_downs_.empty() ||
                     SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT) || touch_due == 0;
  if (input) input_frames_ = kInputFrames;
  const double since = started - last_drawn_;
  // Video: new frames from several streams are gathered into one drawn frame at most every kVideoFrameMs.
  const double state_interval = sources.empty() ? kStateFrameMs : kVideoFrameMs;
  // State changes (and the new screen a join or a leave brings) wait for a pause in the burst they came in.
  const bool pending = dirty_frames_ > 0 || new_screen;
  const double due_in = stateDueIn(started, state_interval, video);
  const bool due = input_frames_ > 0 || (pending && due_in <= 0) || (!pending && since >= kIdleFrameMs);
  if (!due) {  // nothing new to show yet: save the CPU (and the battery)
    if (pending) retry_in_ms_ = std::max(1.0, due_in);
    if (touch_due > 0) retry_in_ms_ = retry_in_ms_ > 0 ? std::min(retry_in_ms_, touch_due) : touch_due;
    return;
  }
  if (renderer_.busy() && since < kMaxWaitMs) {  // the GPU is behind: look again in a moment
    retry_in_ms_ = kBusyPollMs;
    return;
  }
  shown_.screen = controller_.state().screen;
  drew_video_ = !sources.empty();
  if (input_frames_ > 0) {
    --input_frames_;
  } else if (dirty_frames_ > 0) {
    --dirty_frames_;
  }
  last_drawn_ = started;
  shown_.chat = controller_.state().chat.added();
  const std::vector<ui::VideoTile> tiles = videos_.update(sources);
  // A new screen is laid out once before this frame reads its input: the field it gives the keyboard focus to
  // (the room's chat input) has it when the keys pressed meanwhile arrive, in this very frame.
  if (new_screen) {
    layOut(tiles);
    settle(tiles);
  }
  // ImGui 1.86 reads keys as "down now or not": a key pressed and released between two frames (a quick tap
  // on a slow frame) would never be seen. Such a release is held back to the next frame.
  std::vector<SDL_Event> held = std::move(held_key_ups_);
  held_key_ups_.clear();
  for (SDL_Event& e : held) ImGui_ImplSDL2_ProcessEvent(&e);
  std::vector<SDL_Scancode> pressed;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    if (touchEvent(event)) continue;
    if (event.type == SDL_KEYDOWN) pressed.push_back(event.key.keysym.scancode);
    if (event.type == SDL_KEYUP &&
        std::find(pressed.begin(), pressed.end(), event.key.keysym.scancode) != pressed.end()) {
      held_key_ups_.push_back(event);
      continue;
    }
    ImGui_ImplSDL2_ProcessEvent(&event);
  }

  feedTextInput();
  followText();
  ImGui_ImplSDL2_NewFrame();
  touch_.beforeNewFrame(ImGui::GetIO(), started);
  ImGui::NewFrame();
  touch_.afterNewFrame(started);
  for (const core::Intent& intent : ui_.draw(controller_.state(), tiles)) controller_.apply(intent);
  ImGui::Render();
  // ImGui applies some things in the frame after they were asked for: a scroll (a log following its new lines),
  // a window appearing (hidden in its first frame) or fitting itself to new contents, the keyboard focus moving
  // to a new screen's field. Those frames are laid out again at once, without drawing them: each drawn frame
  // costs far more than its layout (a WebGL frame composited in software is read back whole, ~20 ms here), and
  // a chat message or a new screen then shows in one drawn frame, not two or three. No input is read again:
  // what was pressed stays pressed (not pressed twice), and time stands still (DeltaTime ~0).
  settle(tiles);
  // Still settling (more than the passes allow): one more frame, drawn.
  if (layoutSettling()) dirty_frames_ = std::max(dirty_frames_, 1);
  // Is a text field active now, at the end of this frame? (io.WantTextInput lags a frame behind.)
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  // A gesture that needs frames of its own: a tap's release, momentum (input frames), a long press (a timer).
  const double touch_next = touch_.frameDueIn(bridge::CanvasView::now());
  if (touch_next == 0) input_frames_ = std::max(input_frames_, 1);
  if (touch_next > 0) armRetry(touch_next);
  text_field_active_ = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId;
  // Shown: submitted this frame too. A field left behind on the previous screen stays ActiveId until the next
  // NewFrame (the hidden input keeps the keyboard meanwhile, so a phone's stays up), but until the new screen's
  // field takes the focus a frame later, what is typed reaches no field.
  text_field_shown_ = text_field_active_ && g.ActiveIdIsAlive == g.ActiveId;
  if (text_input_) {
    text_input_->follow(text_field_active_);
    text_input_->arm(touch_.mayTap() && ImGui::GetMouseCursor() == ImGuiMouseCursor_TextInput);
  }
  const double ui_done = bridge::CanvasView::now();

  int fb_w = 0, fb_h = 0;
  SDL_GL_GetDrawableSize(window_, &fb_w, &fb_h);
  // Only what changed is drawn again; a frame that changes nothing on screen draws nothing.
  const ui::Damage damage = damage_.update(ImGui::GetDrawData(), videos_.changedTextures());
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  stats_.last_damage = damage.empty() || display.x <= 0 || display.y <= 0
                           ? 0.0
                           : damage.area() / (display.x * display.y);
  if (!damage.empty()) {
    renderer_.render(ImGui::GetDrawData(), fb_w, fb_h, damage, ImGui::GetStyle().Colors[ImGuiCol_WindowBg],
                     ui_.backdrops());
    SDL_GL_SwapWindow(window_);
    ++stats_.presented;
  }
  const double gl_done = bridge::CanvasView::now();
  stats_.last_ui_ms = ui_done - started;
  stats_.last_gl_ms = gl_done - ui_done;

  syncMirror();  // what a screen reader hears follows what is drawn
  ++stats_.frames;
  stats_.last_frame_cpu_ms = bridge::CanvasView::now() - started;
  if (stats_.recent_ms.size() >= 120) {
    stats_.recent_ms.erase(stats_.recent_ms.begin());
    stats_.recent_upload_ms.erase(stats_.recent_upload_ms.begin());
  }
  stats_.recent_ms.push_back(stats_.last_frame_cpu_ms);
  stats_.recent_upload_ms.push_back(sources.empty() ? 0 : videos_.lastUploadMs());
  if (stats_.frames == 1) {
    stats_.first_frame_ms = bridge::CanvasView::now();
    if (onFirstFrame) onFirstFrame();
    bridge::helper("imroomWarmUp")();  // when the page is idle: a first join then finds its code compiled
  }
}

}  // namespace imroom::app
