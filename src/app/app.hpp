// One imroom instance on one canvas: SDL2 window + WebGL2 context + ImGui, the controller and the UI,
// drawn at the browser's animation frames when there is something new to show. Several instances can live on one page (one wasm module each).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "a11y_mirror.hpp"
#include "announcer.hpp"
#include "browser_ports.hpp"
#include "canvas_view.hpp"
#include "fonts.hpp"
#include "glyph_canvas.hpp"
#include "gl_renderer.hpp"
#include "text_input.hpp"
#include "video_textures.hpp"
#include "controller.hpp"
#include "damage.hpp"
#include "frame_pacing.hpp"
#include "touch.hpp"
#include "ui.hpp"

#include <SDL_events.h>

namespace imroom::app {

// Counters the JS API reports in state().ui, for tests and benchmarks.
struct FrameStats {
  unsigned long frames = 0;     // ImGui frames rendered
  double first_frame_ms = -1;   // performance.now() when the first frame was drawn
  double last_frame_cpu_ms = 0; // main-thread time spent on the last frame
  double last_ui_ms = 0;        // of which: events, ImGui widgets and layout
  double last_gl_ms = 0;        // of which: WebGL calls
  std::vector<double> recent_ms;  // the last frames' main-thread times (at most 120), oldest first
  double last_damage = 0;  // the share of the screen the last frame drew again (0..1)
  unsigned long presented = 0;      // frames that drew something (the others changed nothing on screen)
  unsigned long layout_passes = 0;  // ImGui frames laid out again, undrawn, while it settled
  std::vector<double> recent_upload_ms;  // the same frames' video upload times (0: no video on screen)
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
  const VideoTextures& videos() const { return videos_; }
  const ui::UiFont& font() const { return font_; }
  bool textFieldActive() const { return text_field_shown_; }  // keys typed now go into a text field on screen
  double audioLevel(int peer_id) const { return ports_.audioLevel(peer_id); }
  core::LinkStats linkStats(int peer_id) const { return ports_.linkStats(peer_id); }
  core::LinkVerdict link(const core::PeerView& p) const;

  // The controller's state changed: draw again soon, bring the accessibility mirror in line, say what happened.
  void stateChanged();
  // Something the UI shows changed: draw again when due (core/frame_pacing.hpp).
  void markDirty();
  // Asks for an animation frame, unless one is already asked for. Frames are drawn on demand only: input, a
  // state change, a new video frame, a resize, or the idle timer ask for one (an animation-frame loop that
  // runs while nothing changes costs a page ~65 ms of CPU per second here; BENCHMARKS.md).
  void wake();
  void armRetry(double in_ms);
  bool touchEvent(const SDL_Event& e);  // a touch-made mouse event, taken by touch_

  // Called once after the first frame is on screen.
  std::function<void()> onFirstFrame;

  // A join rehearsed in memory, and the room it ends in drawn once off screen (its ImGui frame in a scratch
  // context, nothing rendered): the code a first join and its first room frame run is compiled before the person
  // joins (core/rehearsal.hpp). Not once a join has begun: it compiles its code itself, and needs the CPU.
  void rehearse();

 private:
  static int frameThunk(double now, void* self);
  static void tickThunk(void* self);
  static void retryThunk(void* self);
  // A state change not drawn yet waits for its frame on a timer, not on animation frames (scheduleStateFrame).
  void scheduleStateFrame(double now);
  double stateDueIn(double now, double interval, bool new_video) const;  // ms until a state change may be drawn
  void syncMirror();                    // the accessibility mirror, brought in line with the state
  static int sdlEventWatch(void* self, SDL_Event* event);
  void tick();
  void frame();
  void layOut(const std::vector<ui::VideoTile>& tiles);  // an ImGui frame laid out, not drawn
  void settle(const std::vector<ui::VideoTile>& tiles);  // laid out again while ImGui settles (layoutSettling)
  bool layoutSettling() const;  // ImGui applies something asked for in this frame at the next NewFrame
  void feedTextInput();
  std::vector<VideoTextures::Source> videoSources();
  bool followCanvas();  // true when the size or pixel ratio changed
  void followLook();    // the theme and text size of the state, applied (fonts rebuilt for a new size)
  void followText();    // characters about to be shown that the font atlas lacks, added to it

  bridge::BrowserPorts ports_;  // before the controller, which uses it
  core::Controller controller_;
  ui::Ui ui_;
  bridge::CanvasView canvas_;
  bridge::CanvasMetrics metrics_;
  GlRenderer renderer_;
  bridge::GlyphCanvas glyph_canvas_;
  ui::UiFont font_{&glyph_canvas_};
  bool glyphs_due_ = true;  // the state changed since its text was scanned for characters the atlas lacks
  VideoTextures videos_;
  ui::DamageTracker damage_;
  ui::TouchGestures touch_;  // fingers: scroll, tap, long press (ImGui sees touch as a held mouse button)
  FrameStats stats_;
  std::vector<SDL_Event> held_key_ups_;  // key releases held back one frame (see frame())
  std::unique_ptr<bridge::TextInput> text_input_;
  std::unique_ptr<bridge::A11yMirror> mirror_;
  core::Announcer announcer_;
  core::Look applied_look_;  // the theme and text size ImGui has now
  std::vector<int> injected_downs_;      // keys from the text input, released at the next frame
  bool text_field_active_ = false;       // an ImGui text field was active at the end of the last frame
  bool text_field_shown_ = false;        // ... and drawn in it
  SDL_Window* window_ = nullptr;
  void* gl_context_ = nullptr;
  bool imgui_ready_ = false;
  bool running_ = false;
  long tick_timer_ = 0;
  long frame_request_ = 0;  // the pending animation frame's id (0 = none)
  long retry_timer_ = 0;    // a timer for a frame due later (0 = none)
  double retry_at_ = 0;     // when it fires (CanvasView::now)
  double retry_in_ms_ = 0;  // set by frame(): not drawn, due in this many ms
  std::vector<bool> speaking_;  // the speaking rings last drawn
  // Frames are drawn only when there is something new to show. Input: at once, and a few frames more (ImGui
  // settles focus and layout over a frame or two). A state change (a message, a peer's state): one frame, and a
  // second when ImGui asks for one (a log scrolling to a new line), at most one every kStateFrameMs — a burst of messages then costs a few
  // frames, not sixty a second. Otherwise one frame every kIdleFrameMs (the text cursor does not blink).
  // And never while the GPU is still busy with the previous frame (GlRenderer::busy).
  static constexpr double kSpeakingLevel = 0.02;  // RTP audio level (0..1) above which a tile shows speech
  static constexpr int kInputFrames = 3;
  static constexpr int kLayoutPasses = 3;  // ImGui frames laid out again, undrawn, while it settles
  static constexpr float kLayoutPassSeconds = 1e-5f;  // ImGui needs a positive DeltaTime
  static constexpr int kStateFrames = 1;  // and one more while ImGui settles (a scroll applies a frame later)
  static constexpr double kStateFrameMs = 100;
  static constexpr double kVideoFrameMs = 1000.0 / 30;  // video frames of all streams, gathered: ≤ 30 drawn/s
  static constexpr double kIdleFrameMs = 2000;
  // State changes come in bursts when the network is busy (a join: member list, offers, answers, candidates,
  // channels opening). A state change is drawn once its burst paused, or a while after it began
  // (core/frame_pacing.hpp); input and video are drawn as before.
  double last_change_ = 0;  // the last state change (CanvasView::now)
  double dirty_since_ = 0;  // the first state change not drawn yet
  double burst_since_ = 0;  // the first state change after a pause (core::kQuietMs)
  static constexpr double kMaxWaitMs = 1000;  // a GPU that seems stuck does not stop the UI for longer
  static constexpr double kBusyPollMs = 16;    // how often a busy GPU is asked again (a timer: no browser frame)
  int input_frames_ = kInputFrames;
  int dirty_frames_ = 0;
  core::Shown shown_;  // the screen and chat the last drawn frame showed
  double last_drawn_ = 0;
  bool drew_video_ = false;   // the last drawn frame had video tiles: state changes are drawn with the video
  // The accessibility mirror follows the state with the frames (or as late as they may come): a DOM change
  // per chat message cost the page a browser frame of its own (style, layout, paint, commit) each time.
  bool mirror_due_ = false;
  double mirror_since_ = 0;
  std::vector<std::string> announcements_;  // said at the next sync
};

}  // namespace imroom::app
