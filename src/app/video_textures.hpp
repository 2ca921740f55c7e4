// The WebGL textures behind the video tiles: one per hidden <video> element (the local preview and each
// member's camera), filled straight from the element (texImage2D at a new size, texSubImage2D after) and only
// when the element has presented a new frame. Textures go when their video goes.
#pragma once

#include <emscripten/val.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gl_renderer.hpp"
#include "room_panel.hpp"

namespace imroom::app {

class VideoTextures {
 public:
  struct Source {
    std::string user;
    emscripten::val video;
    bool self = false;
    bool speaking = false;
    bool muted = false;
    core::LinkVerdict link;
  };

  ~VideoTextures() { release(); }
  // Frees every texture; call while the GL context still exists (App::stop).
  void release();
  // True when any source has a frame not uploaded yet (the app then draws a frame).
  bool hasNewFrames(const std::vector<Source>& sources) const;
  // Uploads new frames, frees textures of sources that went, and returns the tiles to draw.
  std::vector<ui::VideoTile> update(const std::vector<Source>& sources);
  // The U and V planes of a texture that holds a YUV picture's Y plane (null for RGBA pictures and others).
  const YuvTexture* yuv(unsigned texture) const;
  // Frames uploaded for a user's tile ("" = none yet).
  long framesDrawn(const std::string& user) const;
  double lastUploadMs() const { return last_upload_ms_; }
  // The textures whose pixels the last update() changed.
  const std::set<ImTextureID>& changedTextures() const { return changed_; }

 private:
  struct Texture {
    unsigned name = 0;  // RGBA, or the Y plane
    YuvTexture planes;  // U and V (and the colour matrix) when `yuv`
    bool yuv = false;
    int width = 0, height = 0;
    double presented = -2;  // the element's frame counter at the last upload
    long uploads = 0;
  };
  static std::string key(const Source& s) { return (s.self ? "self:" : "peer:") + s.user; }

  std::map<std::string, Texture> textures_;
  double last_upload_ms_ = 0;
  std::set<ImTextureID> changed_;
};

}  // namespace imroom::app
