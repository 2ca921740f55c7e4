#include "video_textures.hpp"

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>

#include <cstdint>
#include <set>

#include "event_router.hpp"

namespace imroom::app {

using emscripten::val;

namespace {
double presentedFrames(const val& video) {
  val n = video["imroomFrames"];
  return n.isNumber() ? n.as<double>() : -1;
}
}  // namespace

namespace {
unsigned newTexture() {
  unsigned name = 0;
  glGenTextures(1, &name);
  glBindTexture(GL_TEXTURE_2D, name);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return name;
}
void deleteTextures(unsigned name, const YuvTexture& planes) {
  const unsigned all[3] = {name, planes.u, planes.v};
  glDeleteTextures(3, all);
}
}  // namespace

void VideoTextures::release() {
  for (auto& [k, t] : textures_) deleteTextures(t.name, t.planes);
  textures_.clear();
}

const YuvTexture* VideoTextures::yuv(unsigned texture) const {
  for (const auto& [k, t] : textures_)
    if (t.name == texture) return t.yuv ? &t.planes : nullptr;
  return nullptr;
}

bool VideoTextures::hasNewFrames(const std::vector<Source>& sources) const {
  for (const Source& s : sources) {
    if (s.video.isNull() || s.video.isUndefined()) continue;
    const double presented = presentedFrames(s.video);
    auto it = textures_.find(key(s));
    if (presented < 0 || it == textures_.end() || it->second.presented != presented) return true;
  }
  return false;
}

std::vector<ui::VideoTile> VideoTextures::update(const std::vector<Source>& sources) {
  const double started = emscripten_get_now();
  std::vector<ui::VideoTile> tiles;
  std::set<std::string> alive;
  changed_.clear();
  val upload = bridge::helper("imroomUploadVideo");
  for (const Source& s : sources) {
    if (s.video.isNull() || s.video.isUndefined()) {
      tiles.push_back(ui::VideoTile{s.user, nullptr, 4.0f / 3.0f, s.self, true, s.speaking, s.muted, s.link});  // camera off
      continue;
    }
    const std::string k = key(s);
    alive.insert(k);
    Texture& t = textures_[k];
    if (!t.name) {
      t.name = newTexture();
      t.planes.u = newTexture();
      t.planes.v = newTexture();
    }
    const double presented = presentedFrames(s.video);
    if (presented < 0 || presented != t.presented) {
      // {width, height, yuv, bt709, fullRange}, or null when there is no frame yet.
      val got = upload(t.name, t.planes.u, t.planes.v, s.video, t.width, t.height, t.yuv);
      if (!got.isNull() && !got.isUndefined()) {
        t.width = got["width"].as<int>();
        t.height = got["height"].as<int>();
        t.yuv = got["yuv"].isTrue();
        t.planes.bt709 = got["bt709"].isTrue();
        t.planes.full_range = got["fullRange"].isTrue();
        t.presented = presented;
        ++t.uploads;
        changed_.insert(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t.name)));
      }
    }
    if (t.width > 0 && t.height > 0) {
      tiles.push_back(ui::VideoTile{s.user, reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(t.name)),
                                    static_cast<float>(t.width) / static_cast<float>(t.height), s.self, false,
                                    s.speaking, s.muted, s.link});
    } else {
      tiles.push_back(ui::VideoTile{s.user, nullptr, 4.0f / 3.0f, s.self, false, s.speaking, s.muted, s.link});  // no frame yet
    }
  }
  for (auto it = textures_.begin(); it != textures_.end();) {
    if (alive.count(it->first)) {
      ++it;
      continue;
    }
    deleteTextures(it->second.name, it->second.planes);  // the member left or turned the camera off
    it = textures_.erase(it);
  }
  last_upload_ms_ = emscripten_get_now() - started;
  return tiles;
}

long VideoTextures::framesDrawn(const std::string& user) const {
  auto it = textures_.find("peer:" + user);
  return it == textures_.end() ? 0 : it->second.uploads;
}

}  // namespace imroom::app
