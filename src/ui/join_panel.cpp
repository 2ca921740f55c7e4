#include "join_panel.hpp"
#include "theme.hpp"

#include <imgui.h>

#include <cmath>
#include <cstring>
#include <utility>

namespace imroom::ui {

namespace {

ImVec4 statusColour(core::StatusKind kind) {
  switch (kind) {
    case core::StatusKind::kError: return ImVec4(1.00f, 0.45f, 0.42f, 1.0f);
    case core::StatusKind::kBusy: return ImVec4(0.98f, 0.80f, 0.35f, 1.0f);
    case core::StatusKind::kInfo: break;
  }
  return ImGui::GetStyle().Colors[ImGuiCol_TextDisabled];
}

template <std::size_t N>
void copyInto(std::array<char, N>& buf, const std::string& text) {
  std::size_t n = std::min(text.size(), buf.size() - 1);
  std::memcpy(buf.data(), text.data(), n);
  buf[n] = '\0';
}

bool sameForm(const core::JoinForm& a, const core::JoinForm& b) {
  return a.username == b.username && a.room == b.room && a.media == b.media;
}

}  // namespace

void JoinPanel::syncFrom(const core::JoinForm& form) {
  copyInto(username_, form.username);
  copyInto(room_, form.room);
  last_seen_ = form;
  synced_ = true;
}

void JoinPanel::draw(const core::AppState& state, std::vector<core::Intent>& out) {
  if (!synced_ || !sameForm(state.form, last_seen_)) syncFrom(state.form);
  core::JoinForm form = state.form;

  const float width = std::min(ImGui::GetFontSize() * 26.0f, ImGui::GetContentRegionAvail().x);  // follows text size
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool needs_media = state.form.media != core::MediaKind::kText;
  const bool frame_blocks = needs_media && !core::framePolicyProblem(state.frame, true, true).empty();
  // As tall as its contents measured last frame (first, an estimate), within the window.
  const float wanted = content_height_ > 0 ? content_height_
                                            : ImGui::GetTextLineHeightWithSpacing() * (frame_blocks ? 23.0f : 18.0f);
  const float height = std::min(avail.y, wanted);
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (avail.x - width) * 0.5f,
                             ImGui::GetCursorPosY() + std::max(0.0f, (avail.y - height) * 0.4f)));
  // A scrollbar only when the window is too short for the card. ImGui decides on one from the frame before, so a
  // card that just grew to fit a longer message would otherwise keep the scrollbar its growing frame showed.
  ImGui::BeginChild("join", ImVec2(width, height), false,
                    ImGuiWindowFlags_AlwaysUseWindowPadding | (height < wanted ? 0 : ImGuiWindowFlags_NoScrollbar));

  ImGui::SetWindowFontScale(1.6f);
  ImGui::TextUnformatted("imroom");
  ImGui::SetWindowFontScale(1.0f);
  ImGui::TextDisabled("Text and video rooms in your browser");
  ImGui::Spacing();

  bool submit = false;
  const ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CharsNoBlank;
  ImGui::TextUnformatted("Your name");
  ImGui::SetNextItemWidth(-1.0f);
  if (!focus_requested_ && username_[0] == '\0') ImGui::SetKeyboardFocusHere();
  focus_requested_ = true;
  submit |= ImGui::InputTextWithHint("##name", "e.g. ann", username_.data(), username_.size(), flags);
  ImGui::TextUnformatted("Room");
  ImGui::SetNextItemWidth(-1.0f);
  submit |= ImGui::InputTextWithHint("##room", "e.g. lobby", room_.data(), room_.size(), flags);

  int media = static_cast<int>(form.media);
  // On one line where they fit; a narrow form (a phone, large text, the touch theme) wraps them.
  const std::pair<const char*, core::MediaKind> kinds[] = {
      {"Text chat", core::MediaKind::kText},
      {"Video call", core::MediaKind::kVideo},
      {"Audio only", core::MediaKind::kAudio}};
  for (const auto& [label, kind] : kinds) {
    const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
    if (kind != core::MediaKind::kText) {
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + w > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
    }
    ImGui::RadioButton(label, &media, static_cast<int>(kind));
  }
  // Inside an <iframe> that forbids the camera or microphone: say so before the person tries, with the fix.
  const core::MediaKind chosen = static_cast<core::MediaKind>(media);
  const bool video = chosen == core::MediaKind::kVideo, audio = chosen != core::MediaKind::kText;
  const std::string blocked = core::framePolicyProblem(state.frame, video, audio);
  if (!blocked.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, statusColour(core::StatusKind::kBusy));
    ImGui::TextWrapped("%s", blocked.c_str());
    ImGui::PopStyleColor();
    copyInto(allow_, "allow=\"" + std::string(core::kIframeAllow) + "\"");  // selectable, to copy
    ImGui::SetNextItemWidth(-1.0f);
    ImGui::InputText("##allow", allow_.data(), allow_.size(), ImGuiInputTextFlags_ReadOnly);
  }
  ImGui::Spacing();
  submit |= ImGui::Button("Join", ImVec2(-1.0f, 0.0f));

  form.username = username_.data();
  form.room = room_.data();
  form.media = chosen;
  if (!sameForm(form, state.form)) {
    last_seen_ = form;
    out.push_back(core::EditForm{form});
  }
  if (submit) out.push_back(core::Join{});

  ImGui::PushStyleColor(ImGuiCol_Text, statusColour(state.status.kind));
  ImGui::TextWrapped("%s", state.status.text.c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
  drawDisplaySettings(state.look, out);
  const float measured = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().WindowPadding.y;
  settling_ = std::fabs(measured - content_height_) >= 1.0f;
  content_height_ = measured;
  ImGui::EndChild();
}

}  // namespace imroom::ui
