#include "gl_renderer.hpp"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace imroom::app {

namespace {

const char* kVertexShader = R"(#version 300 es
uniform mat4 projection;
layout(location = 0) in vec2 position;
layout(location = 1) in vec2 uv;
layout(location = 2) in vec4 colour;
out vec2 frag_uv;
out vec4 frag_colour;
void main() {
  frag_uv = uv;
  frag_colour = colour;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

const char* kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D tex;
in vec2 frag_uv;
in vec4 frag_colour;
layout(location = 0) out vec4 out_colour;
void main() { out_colour = frag_colour * texture(tex, frag_uv); }
)";

// The same, for YUV pictures: three planes, the colour matrix and offsets as uniforms.
const char* kYuvFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D tex_y;
uniform sampler2D tex_u;
uniform sampler2D tex_v;
uniform mat3 yuv_to_rgb;
uniform vec3 yuv_offset;
in vec2 frag_uv;
in vec4 frag_colour;
layout(location = 0) out vec4 out_colour;
void main() {
  vec3 yuv = vec3(texture(tex_y, frag_uv).r, texture(tex_u, frag_uv).r, texture(tex_v, frag_uv).r) - yuv_offset;
  out_colour = frag_colour * vec4(clamp(yuv_to_rgb * yuv, 0.0, 1.0), 1.0);
}
)";

unsigned compile(GLenum kind, const char* source) {
  GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);  // once, at start: a round trip is fine here
  if (!ok) {
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

unsigned link(const char* vertex, const char* fragment) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex);
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragment);
  if (!vs || !fs) {
    if (vs) glDeleteShader(vs);
    if (fs) glDeleteShader(fs);
    return 0;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint linked = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &linked);  // once, at start
  if (!linked) {
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

// Y'CbCr → R'G'B' (column-major for glUniformMatrix3fv), for 8-bit planes read as 0..1.
void yuvMatrix(bool bt709, bool full_range, float m[9], float offset[3]) {
  const float ys = full_range ? 1.0f : 255.0f / 219.0f, cs = full_range ? 1.0f : 255.0f / 224.0f;
  const float kr = bt709 ? 0.2126f : 0.299f, kb = bt709 ? 0.0722f : 0.114f, kg = 1.0f - kr - kb;
  const float rv = 2.0f * (1.0f - kr) * cs, bu = 2.0f * (1.0f - kb) * cs;
  const float gu = -2.0f * (1.0f - kb) * kb / kg * cs, gv = -2.0f * (1.0f - kr) * kr / kg * cs;
  const float columns[9] = {ys, ys, ys, 0.0f, gu, bu, rv, gv, 0.0f};  // Y column, U column, V column
  for (int i = 0; i < 9; ++i) m[i] = columns[i];
  offset[0] = full_range ? 0.0f : 16.0f / 255.0f;
  offset[1] = offset[2] = 128.0f / 255.0f;
}

}  // namespace

GlRenderer::~GlRenderer() { shutdown(); }

bool GlRenderer::init() {
  program_ = link(kVertexShader, kFragmentShader);
  if (!program_) return false;
  projection_ = glGetUniformLocation(program_, "projection");
  sampler_ = glGetUniformLocation(program_, "tex");
  yuv_program_ = link(kVertexShader, kYuvFragmentShader);  // without it, YUV pictures are not drawn
  if (yuv_program_) {
    yuv_projection_ = glGetUniformLocation(yuv_program_, "projection");
    yuv_matrix_ = glGetUniformLocation(yuv_program_, "yuv_to_rgb");
    yuv_offset_ = glGetUniformLocation(yuv_program_, "yuv_offset");
    glUseProgram(yuv_program_);
    glUniform1i(glGetUniformLocation(yuv_program_, "tex_y"), 0);
    glUniform1i(glGetUniformLocation(yuv_program_, "tex_u"), 1);
    glUniform1i(glGetUniformLocation(yuv_program_, "tex_v"), 2);
  }

  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glGenBuffers(1, &ebo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);  // recorded in the vertex array
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(offsetof(ImDrawVert, col)));
  glBindVertexArray(0);

  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "imroom_webgl2";
  reloadFonts();
  return true;
}

void GlRenderer::reloadFonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  if (!font_texture_) glGenTextures(1, &font_texture_);
  glBindTexture(GL_TEXTURE_2D, font_texture_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(font_texture_)));
  io.Fonts->ClearTexData();  // the pixels live on the GPU now
}

void GlRenderer::updateFonts(int x, int y, int width, int height, const unsigned char* rgba) {
  if (!font_texture_) return;
  glBindTexture(GL_TEXTURE_2D, font_texture_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
}

bool GlRenderer::busy() {
  if (!fence_) return false;
  GLsync fence = static_cast<GLsync>(fence_);
  if (glClientWaitSync(fence, 0, 0) == GL_TIMEOUT_EXPIRED) return true;
  glDeleteSync(fence);
  fence_ = nullptr;
  return false;
}

void GlRenderer::shutdown() {
  if (fence_) glDeleteSync(static_cast<GLsync>(fence_));
  fence_ = nullptr;
  if (font_texture_) glDeleteTextures(1, &font_texture_);
  if (vbo_) glDeleteBuffers(1, &vbo_);
  if (ebo_) glDeleteBuffers(1, &ebo_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (program_) glDeleteProgram(program_);
  if (yuv_program_) glDeleteProgram(yuv_program_);
  font_texture_ = vbo_ = ebo_ = vao_ = program_ = yuv_program_ = 0;
}

void GlRenderer::render(const ImDrawData* data, int fb_width, int fb_height, const ui::Damage& damage,
                        const ImVec4& clear, const ui::Backdrops& backdrops) {
  if (!data || fb_width <= 0 || fb_height <= 0 || !program_ || damage.empty()) return;
  const ImVec2 off = data->DisplayPos;
  const ImVec2 scale = data->FramebufferScale;
  // The damaged regions in framebuffer pixels (rounded outwards; top-down here, bottom-up for GL calls). Rounding
  // can make neighbours share a row of pixels: Damage merges them, so each pixel is still drawn once.
  ui::Damage pixels;
  for (const ui::DamageRect& d : damage.rects()) {
    pixels.add({std::floor((d.x0 - off.x) * scale.x), std::floor((d.y0 - off.y) * scale.y),
                std::ceil((d.x1 - off.x) * scale.x), std::ceil((d.y1 - off.y) * scale.y)});
  }
  pixels.clipTo({0, 0, static_cast<float>(fb_width), static_cast<float>(fb_height)});
  if (pixels.empty()) return;
  glViewport(0, 0, fb_width, fb_height);
  glEnable(GL_SCISSOR_TEST);
  // Each region is cleared to what lies beneath it. Where it crosses the solid part of a panel's fill, that part
  // becomes a region of its own, cleared to the fill's colour, and the fills' draw list is not drawn there; the
  // rest of the region (strips along the panel's edges, or beyond it) is cleared to the window colour and drawn
  // whole. A chat line changes commands as wide as their column, so the damage reaches the column's edges.
  regions_.clear();
  const float unit = std::max(scale.x, scale.y);
  for (const ui::DamageRect& p : pixels.rects()) {
    ui::DamageRect solid;
    ImU32 colour = 0;
    for (const ui::Backdrop& fill : backdrops.fills) {
      if (!backdrops.list) break;
      const ui::Backdrop fb{{(fill.rect.x0 - off.x) * scale.x, (fill.rect.y0 - off.y) * scale.y,
                             (fill.rect.x1 - off.x) * scale.x, (fill.rect.y1 - off.y) * scale.y},
                            fill.rounding * unit, fill.colour};
      // Its antialiased edge is a display pixel wide; one more for rounding to whole pixels.
      ui::DamageRect core = fb.solid(2.0f * unit);
      core = {std::max(std::ceil(core.x0), p.x0), std::max(std::ceil(core.y0), p.y0),
              std::min(std::floor(core.x1), p.x1), std::min(std::floor(core.y1), p.y1)};
      // A fill above the one found, reaching into its part, is drawn as it comes: nothing is cleared.
      if (!solid.empty() && fb.rect.overlaps(solid)) solid = {};
      if (!core.empty()) {
        solid = core;
        colour = fill.colour;
      }
    }
    if (solid.empty()) {
      regions_.push_back({p, false, 0});
      continue;
    }
    regions_.push_back({solid, true, colour});
    const ui::DamageRect strips[4] = {{p.x0, p.y0, p.x1, solid.y0},
                                      {p.x0, solid.y1, p.x1, p.y1},
                                      {p.x0, solid.y0, solid.x0, solid.y1},
                                      {solid.x1, solid.y0, p.x1, solid.y1}};
    for (const ui::DamageRect& strip : strips)
      if (!strip.empty()) regions_.push_back({strip, false, 0});
  }
  for (const Region& region : regions_) {
    const ImVec4 colour = region.backdrop ? ImGui::ColorConvertU32ToFloat4(region.colour) : clear;
    glClearColor(colour.x, colour.y, colour.z, 1.0f);
    const ui::DamageRect& p = region.rect;
    glScissor(static_cast<int>(p.x0), fb_height - static_cast<int>(p.y1), static_cast<int>(p.x1 - p.x0),
              static_cast<int>(p.y1 - p.y0));
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  const float l = data->DisplayPos.x, r = data->DisplayPos.x + data->DisplaySize.x;
  const float t = data->DisplayPos.y, b = data->DisplayPos.y + data->DisplaySize.y;
  const float ortho[4][4] = {
      {2.0f / (r - l), 0.0f, 0.0f, 0.0f},
      {0.0f, 2.0f / (t - b), 0.0f, 0.0f},
      {0.0f, 0.0f, -1.0f, 0.0f},
      {(r + l) / (l - r), (t + b) / (b - t), 0.0f, 1.0f},
  };
  if (yuv_program_) {
    glUseProgram(yuv_program_);
    glUniformMatrix4fv(yuv_projection_, 1, GL_FALSE, &ortho[0][0]);
  }
  glUseProgram(program_);
  glUniformMatrix4fv(projection_, 1, GL_FALSE, &ortho[0][0]);
  glUniform1i(sampler_, 0);
  bool yuv_in_use = false;
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);

  // A command's clip rectangle in framebuffer pixels, top-down.
  const auto clipOf = [&](const ImDrawCmd& cmd) {
    return ui::DamageRect{std::floor((cmd.ClipRect.x - off.x) * scale.x), std::floor((cmd.ClipRect.y - off.y) * scale.y),
                          std::floor((cmd.ClipRect.z - off.x) * scale.x), std::floor((cmd.ClipRect.w - off.y) * scale.y)};
  };
  std::vector<ui::DamageRect> parts;  // one command's clip rectangle within each damaged region
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    // A window wholly outside the damage is not uploaded at all; nor are the backdrops where they were cleared.
    const bool backdrop_list = list == backdrops.list;
    bool touches = false;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      const ui::DamageRect clip = clipOf(cmd);
      for (const Region& region : regions_)
        touches = touches || (!(backdrop_list && region.backdrop) && clip.overlaps(region.rect));
    }
    if (!touches) continue;
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (int c = 0; c < list->CmdBuffer.Size; ++c) {
      const ImDrawCmd& cmd = list->CmdBuffer[c];
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      // The command's clip rectangle within the damage: nothing outside it is drawn.
      const ui::DamageRect clip = clipOf(cmd);
      parts.clear();
      for (const Region& region : regions_) {
        if (backdrop_list && region.backdrop) continue;
        const ui::DamageRect& p = region.rect;
        const ui::DamageRect in{std::max(clip.x0, p.x0), std::max(clip.y0, p.y0), std::min(clip.x1, p.x1),
                                std::min(clip.y1, p.y1)};
        if (!in.empty()) parts.push_back(in);
      }
      if (parts.empty()) continue;
      const GLuint texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(cmd.GetTexID()));
      const YuvTexture* yuv = yuv_lookup_ ? yuv_lookup_(texture) : nullptr;
      if (yuv && !yuv_program_) continue;
      if (yuv) {
        float m[9], offset[3];
        yuvMatrix(yuv->bt709, yuv->full_range, m, offset);
        glUseProgram(yuv_program_);
        glUniformMatrix3fv(yuv_matrix_, 1, GL_FALSE, m);
        glUniform3fv(yuv_offset_, 1, offset);
        glActiveTexture(GL_TEXTURE1);
        glBindTexture(GL_TEXTURE_2D, yuv->u);
        glActiveTexture(GL_TEXTURE2);
        glBindTexture(GL_TEXTURE_2D, yuv->v);
        glActiveTexture(GL_TEXTURE0);
        yuv_in_use = true;
      } else if (yuv_in_use) {
        glUseProgram(program_);
        yuv_in_use = false;
      }
      glBindTexture(GL_TEXTURE_2D, texture);
      for (const ui::DamageRect& in : parts) {
        glScissor(static_cast<int>(in.x0), fb_height - static_cast<int>(in.y1), static_cast<int>(in.x1 - in.x0),
                  static_cast<int>(in.y1 - in.y0));
        glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                       sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                       reinterpret_cast<void*>(static_cast<std::intptr_t>(cmd.IdxOffset * sizeof(ImDrawIdx))));
      }
    }
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
  if (fence_) glDeleteSync(static_cast<GLsync>(fence_));
  fence_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
}

}  // namespace imroom::app
