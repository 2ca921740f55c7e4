#include "room_panel.hpp"

#include "clusters.hpp"
#include "theme.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cctype>
#include <ctime>

#include "tile_layout.hpp"

namespace imroom::ui {

namespace {

// A panel inside "side" or "chat", which are filled with ChildBg already: where that colour is opaque, the panel's
// own fill would cover the same pixels with the same colour — one more layer for software WebGL to blend over
// the whole panel every time it is redrawn (a chat line scrolls the whole log). The parent's fill shows instead.
void beginInnerChild(const char* id, const ImVec2& size, bool border, ImGuiWindowFlags flags = 0) {
  const bool covered = ImGui::GetStyle().Colors[ImGuiCol_ChildBg].w >= 1.0f;
  if (covered) ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 0));
  ImGui::BeginChild(id, size, border, flags);
  if (covered) ImGui::PopStyleColor();
}

const ImVec4 kGreen(0.36f, 0.80f, 0.45f, 1.0f);
const ImVec4 kAmber(0.98f, 0.76f, 0.30f, 1.0f);
const ImVec4 kRed(1.00f, 0.45f, 0.42f, 1.0f);
const ImVec4 kGrey(0.58f, 0.61f, 0.68f, 1.0f);
const ImVec4 kAccent(0.45f, 0.65f, 1.00f, 1.0f);

struct Words {
  ImVec4 colour;
  const char* text;
};

// A peer's state in colour and words, as a person reads it.
Words describe(const core::PeerView& p) {
  if (p.connection == "connected") return {kGreen, p.channel == "open" ? "connected" : "connected, opening chat…"};
  if (p.connection == "failed") return {kRed, "unreachable directly (chat via server)"};
  if (p.connection == "disconnected") return {kAmber, "connection interrupted…"};
  if (p.connection == "closed") return {kGrey, "closed"};
  if (!p.present) return {kGrey, "away"};
  return {kAmber, "connecting…"};
}

Words describe(core::SignalingState s) {
  switch (s) {
    case core::SignalingState::kConnected: return {kGreen, "connected"};
    case core::SignalingState::kConnecting: return {kAmber, "connecting…"};
    case core::SignalingState::kReconnecting: return {kAmber, "reconnecting…"};
    case core::SignalingState::kClosed: return {kGrey, "closed"};
    case core::SignalingState::kIdle: break;
  }
  return {kGrey, "idle"};
}

// "HH:MM" in local time. Every line in view asks at every frame, and in the browser localtime_r and strftime are
// JavaScript that allocates: the last minute asked is kept (a whole UTC minute is one local minute: time zones
// are whole minutes away from UTC).
std::string clock(double ts_ms) {
  static long long cached_minute = -1;
  static std::string cached;
  const auto t = static_cast<std::time_t>(ts_ms / 1000.0);
  const long long minute = static_cast<long long>(t) / 60;
  if (minute != cached_minute || t < 0) {
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
    cached = buf;
    cached_minute = minute;
  }
  return cached;
}

void dot(const ImVec4& colour) {
  const float r = ImGui::GetTextLineHeight() * 0.28f;
  ImVec2 p = ImGui::GetCursorScreenPos();
  p.y += ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset;  // on a line of buttons: level with their text
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + r, p.y + ImGui::GetTextLineHeight() * 0.5f), r,
                                              ImGui::GetColorU32(colour));
  ImGui::Dummy(ImVec2(r * 2, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
}

void badge(int n) {
  if (n <= 0) return;
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
  ImGui::Text("(%d new)", n);
  ImGui::PopStyleColor();
}

std::string keyOf(const core::ChatMessage& m) { return m.from + '\x1f' + m.id; }

}  // namespace

std::string firstLink(std::string_view text) {
  std::size_t at = std::string_view::npos;
  for (const char* scheme : {"https://", "http://"}) at = std::min(at, text.find(scheme));
  if (at == std::string_view::npos) return {};
  std::size_t end = at;
  while (end < text.size() && static_cast<unsigned char>(text[end]) > ' ') ++end;
  std::string link(text.substr(at, end - at));
  while (!link.empty() && std::string_view(".,;:!?)]}'\"").find(link.back()) != std::string_view::npos)
    link.pop_back();  // the sentence's punctuation, not the link's
  return link;
}

SwitchWords microphoneSwitch(const core::AppState& state) {
  if (state.microphone) return {"Mute", "Turn your microphone off"};
  if (!state.has_microphone) return {"Start microphone", "Let the room hear you (asks for the microphone)"};
  return {"Unmute", "Turn your microphone on"};
}

void RoomPanel::draw(const core::AppState& state, const std::vector<VideoTile>& tiles,
                     std::vector<core::Intent>& out, Backdrops& backdrops) {
  // A private conversation with someone who left falls back to the room.
  if (!conversation_.empty() &&
      std::none_of(state.peers.begin(), state.peers.end(), [&](const core::PeerView& p) { return p.username == conversation_; }))
    conversation_.clear();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float bar = std::max(ImGui::GetFrameHeight() + style.ItemSpacing.y, status_height_);  // as last drawn
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::clamp(avail.x * 0.28f, 190.0f, 300.0f);
  const float body = std::max(100.0f, avail.y - bar);
  const bool narrow = avail.x < 560.0f;  // phones: the chat alone, members in a collapsible strip above

  if (!narrow) {
    beginBackdropChild("side", ImVec2(side, body), 0, backdrops);
    drawPeers(state, out, body * 0.55f);
    drawEvents(state);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  beginBackdropChild("chat", ImVec2(0, body), 0, backdrops);
  if (narrow && ImGui::CollapsingHeader("Members and events")) {
    drawPeers(state, out, body * 0.35f);
  }
  if (state.sound_blocked) {
    // Browsers start sound only after the user acted on the page: one click here is that act.
    ImGui::PushStyleColor(ImGuiCol_Button, kAmber);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(1.0f, 0.84f, 0.45f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.1f, 0.1f, 0.1f, 1.0f));
    if (ImGui::Button("Sound is off: the browser waits for a click. Click here to hear the room.",
                      ImVec2(ImGui::GetContentRegionAvail().x, 0)))
      out.push_back(core::EnableSound{});
    ImGui::PopStyleColor(3);
  }
  if (!state.mesh_notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
    ImGui::TextWrapped("%s", state.mesh_notice.c_str());
    ImGui::PopStyleColor();
  }
  if (!tiles.empty()) {
    // Video takes most of the height, but the chat keeps a few readable lines and its input (small widgets).
    const float left = ImGui::GetContentRegionAvail().y;
    const float chat_min = ImGui::GetTextLineHeightWithSpacing() * 4.0f + ImGui::GetFrameHeightWithSpacing() +
                           style.WindowPadding.y * 2.0f;
    drawVideo(tiles, std::max(std::min(left * 0.6f, left - chat_min), 90.0f));
  }
  drawChat(state, out);
  ImGui::EndChild();
  drawStatusBar(state, out);

  if (viewing_sent_ != conversation_) {
    viewing_sent_ = conversation_;
    out.push_back(core::ViewConversation{conversation_, true});
  }
}

void RoomPanel::drawVideo(const std::vector<VideoTile>& tiles, float height) {
  beginInnerChild("video", ImVec2(0, height), false, ImGuiWindowFlags_NoScrollbar);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 area = ImGui::GetContentRegionAvail();
  core::TileLayoutOptions options;
  options.gap = ImGui::GetStyle().ItemSpacing.x;
  for (std::size_t i = 0; i < tiles.size(); ++i)
    if (!pinned_.empty() && tiles[i].user == pinned_) options.pinned = static_cast<int>(i);
  std::vector<core::TileRect> rects = core::layoutTiles(static_cast<int>(tiles.size()), area.x, area.y, options);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < tiles.size() && i < rects.size(); ++i) {
    const VideoTile& t = tiles[i];
    const core::TileRect& r = rects[i];
    const ImVec2 a(origin.x + r.x, origin.y + r.y), b(a.x + r.w, a.y + r.h);
    draw->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg), 6.0f);
    // The picture keeps its own aspect ratio inside the tile (letterboxed), never stretched.
    float w = r.w, h = r.w / std::max(0.1f, t.aspect);
    if (h > r.h) {
      h = r.h;
      w = r.h * t.aspect;
    }
    const ImVec2 pa(a.x + (r.w - w) * 0.5f, a.y + (r.h - h) * 0.5f);
    if (t.texture) {
      draw->AddImageRounded(t.texture, pa, ImVec2(pa.x + w, pa.y + h), ImVec2(0, 0), ImVec2(1, 1), IM_COL32_WHITE,
                            6.0f);
    } else {
      // No picture (camera off, or the first frame still on its way): the member's initial in a circle.
      const ImVec2 c(a.x + r.w * 0.5f, a.y + r.h * 0.45f);
      const float radius = std::min(r.w, r.h) * 0.18f;
      draw->AddCircleFilled(c, radius, ImGui::GetColorU32(kAccent), 32);
      const char initial[2] = {t.user.empty() ? '?' : static_cast<char>(std::toupper(static_cast<unsigned char>(t.user[0]))), 0};
      const ImVec2 is = ImGui::CalcTextSize(initial);
      draw->AddText(ImVec2(c.x - is.x * 0.5f, c.y - is.y * 0.5f), IM_COL32_WHITE, initial);
      const char* note = t.camera_off ? "camera off" : "connecting…";
      const ImVec2 ns = ImGui::CalcTextSize(note);
      const float note_y = c.y + radius + 6;
      // A small tile has no room for it above the name label.
      if (note_y + ns.y < b.y - ImGui::GetFrameHeight()) draw->AddText(ImVec2(c.x - ns.x * 0.5f, note_y), ImGui::GetColorU32(kGrey), note);
    }
    if (t.speaking) draw->AddRect(a, b, ImGui::GetColorU32(kGreen), 6.0f, 0, 3.0f);
    if (t.link.level != core::LinkQuality::kUnknown) {
      // Three bars in the top right corner: as many lit as the link is good, in its colour.
      const int lit = t.link.level == core::LinkQuality::kGood ? 3 : t.link.level == core::LinkQuality::kFair ? 2 : 1;
      const ImU32 on = ImGui::GetColorU32(lit == 3 ? kGreen : lit == 2 ? kAmber : kRed);
      const float bw = 4, step = 6, base = a.y + 20;
      const float x0 = b.x - 10 - 3 * step;
      draw->AddRectFilled(ImVec2(x0 - 4, a.y + 4), ImVec2(b.x - 6, base + 4), IM_COL32(0, 0, 0, 150), 4.0f);
      for (int k = 0; k < 3; ++k) {
        const float x = x0 + k * step, top = base - 5 - 5 * k;
        draw->AddRectFilled(ImVec2(x, top), ImVec2(x + bw, base), k < lit ? on : IM_COL32(255, 255, 255, 60));
      }
    }
    const std::string label = (t.self ? t.user + " (you)" : t.user) + (t.muted ? "  · muted" : "");
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    const ImVec2 la(a.x + 8, b.y - size.y - 12);
    draw->AddRectFilled(ImVec2(la.x - 4, la.y - 2), ImVec2(la.x + size.x + 4, la.y + size.y + 2), IM_COL32(0, 0, 0, 150), 4.0f);
    draw->AddText(la, IM_COL32_WHITE, label.c_str());
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(t.user.c_str());
    if (ImGui::InvisibleButton("tile", ImVec2(std::max(1.0f, r.w), std::max(1.0f, r.h))))
      pinned_ = pinned_ == t.user ? std::string() : t.user;  // click: pin large, click again: back to the grid
    if (ImGui::IsItemHovered()) {
      const char* click = pinned_ == t.user ? "Click to unpin" : "Click to show large";
      if (t.link.level == core::LinkQuality::kUnknown) {
        ImGui::SetTooltip("%s", click);
      } else {
        const std::string level(core::toString(t.link.level));
        ImGui::SetTooltip("Connection: %s%s%s%s\n%s", level.c_str(), t.link.why.empty() ? "" : " (",
                          t.link.why.c_str(), t.link.why.empty() ? "" : ")", click);
      }
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
}

void RoomPanel::drawPeers(const core::AppState& state, std::vector<core::Intent>& out, float height) {
  beginInnerChild("peers", ImVec2(0, height), true);
  ImGui::TextDisabled("ROOM");
  ImGui::SameLine();
  ImGui::TextUnformatted(state.joined.room.c_str());
  std::string everyone = "Everyone (" + std::to_string(state.peers.size() + 1) + ")";
  if (ImGui::Selectable(everyone.c_str(), conversation_.empty())) {
    conversation_.clear();
    focus_input_ = true;
  }
  badge(conversation_.empty() ? 0 : state.chat.unread(""));
  ImGui::Separator();
  dot(kGreen);
  ImGui::Text("%s (you)", state.joined.username.c_str());
  if (state.peers.empty()) ImGui::TextDisabled("Nobody else is here yet.\nShare the link below.");
  for (const core::PeerView& p : state.peers) {
    ImGui::PushID(p.username.c_str());
    Words w = describe(p);
    dot(w.colour);
    if (ImGui::Selectable(p.username.c_str(), conversation_ == p.username)) {
      conversation_ = p.username;
      focus_input_ = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Send %s a private message", p.username.c_str());
    badge(conversation_ == p.username ? 0 : state.chat.unread(p.username));
    ImGui::Indent(ImGui::GetTextLineHeight() * 0.56f + ImGui::GetStyle().ItemSpacing.x);
    ImGui::PushStyleColor(ImGuiCol_Text, w.colour);
    ImGui::TextUnformatted(w.text);
    ImGui::PopStyleColor();
    if (p.pending > 0) {
      ImGui::SameLine();
      ImGui::TextDisabled("· %d waiting", p.pending);
    }
    ImGui::Unindent(ImGui::GetTextLineHeight() * 0.56f + ImGui::GetStyle().ItemSpacing.x);
    ImGui::PopID();
  }
  ImGui::Spacing();
  if (ImGui::Button("Leave room", ImVec2(-1, 0))) out.push_back(core::Leave{});
  ImGui::EndChild();
}

// Variable-height rows in a scrolling child, culled by hand: only the rows on screen are laid out (`draw`), the
// others stand as empty space of their heights.
template <class Height, class Draw>
void culledRows(std::size_t count, Height height, Draw draw) {
  const float top = ImGui::GetScrollY();
  const float bottom = top + ImGui::GetWindowHeight();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float y = 0;
  std::size_t i = 0;
  for (; i < count; ++i) {
    const float h = height(i);
    if (y + h >= top) break;
    y += h;
  }
  if (y > 0) ImGui::Dummy(ImVec2(1, y - spacing));
  for (; i < count && y <= bottom; ++i) {
    y += height(i);
    draw(i);
  }
  float rest = 0;
  for (; i < count; ++i) rest += height(i);
  if (rest > 0) ImGui::Dummy(ImVec2(1, rest - spacing));
}

// Long lines (an error's whole explanation, a long member name) wrap under their own start, as chat lines do:
// no sideways scrolling to read one. Rows have variable heights, cached by text, and only those on screen are
// laid out.
void RoomPanel::drawEvents(const core::AppState& state) {
  ImGui::TextDisabled("EVENTS");
  beginInnerChild("events", ImVec2(0, 0), true);
  const float width = ImGui::GetContentRegionAvail().x;
  const float indent = ImGui::CalcTextSize("00:00  ").x;
  const auto& events = state.events;
  event_heights_.begin(width, events.size());
  auto height = [&](std::size_t i) {
    return event_heights_.get(events[i].text, [&] {
      const ImVec2 text = ImGui::CalcTextSize(events[i].text.c_str(), nullptr, false, std::max(40.0f, width - indent));
      return std::max(ImGui::GetTextLineHeight(), text.y) + ImGui::GetStyle().ItemSpacing.y;
    });
  };
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
  culledRows(events.size(), height, [&](std::size_t i) {
    const core::LogLine& l = events[i];
    const float x0 = ImGui::GetCursorPosX();
    ImGui::TextDisabled("%s", clock(l.ts).c_str());
    ImGui::SameLine(x0 + indent);
    if (l.kind == core::StatusKind::kError) ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(l.text.c_str());
    ImGui::PopTextWrapPos();
    if (l.kind == core::StatusKind::kError) ImGui::PopStyleColor();
  });
  // Follows new lines while at the bottom. Only when there are new ones: a scroll asked for is applied in the
  // next frame, which the app then draws (App::frame), so asking every frame would cost a frame every time.
  if (at_bottom && state.events_added != last_events_) ImGui::SetScrollHereY(1.0f);
  last_events_ = state.events_added;
  ImGui::EndChild();
}

float RoomPanel::lineHeight(const core::ChatMessage& m, float width) {
  return heights_.get(keyOf(m), [&] {
    const float indent = ImGui::CalcTextSize("00:00  ").x;
    ImVec2 name = ImGui::CalcTextSize((m.from + ":  ").c_str());
    const std::string shown = withClusters(m.text);
    ImVec2 text = ImGui::CalcTextSize(shown.c_str(), nullptr, false, std::max(40.0f, width - indent - name.x));
    return std::max(ImGui::GetTextLineHeight(), text.y) + ImGui::GetStyle().ItemSpacing.y;
  });
}

void RoomPanel::drawLog(const core::AppState& state, std::vector<core::Intent>& out) {
  const auto& all = state.chat.messages();
  std::vector<const core::ChatMessage*> rows;
  rows.reserve(all.size());
  for (const core::ChatMessage& m : all)
    if (core::ChatLog::conversationOf(m) == conversation_) rows.push_back(&m);

  const float width = ImGui::GetContentRegionAvail().x;
  heights_.begin(width, all.size());
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f;
  if (rows.empty()) {
    ImGui::TextDisabled(conversation_.empty() ? "No messages yet. Say hello!"
                                              : "No private messages with this member yet.");
  }
  const float indent = ImGui::CalcTextSize("00:00  ").x;
  culledRows(rows.size(), [&](std::size_t i) { return lineHeight(*rows[i], width); }, [&](std::size_t i) {
    const core::ChatMessage& m = *rows[i];
    const float x0 = ImGui::GetCursorPosX();
    const ImVec2 row_top = ImGui::GetCursorScreenPos();
    ImGui::TextDisabled("%s", clock(m.ts).c_str());
    ImGui::SameLine(x0 + indent);
    ImGui::PushStyleColor(ImGuiCol_Text, m.own ? kAccent : kGreen);
    ImGui::TextUnformatted(m.from.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(":");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(withClusters(m.text).c_str());  // an emoji with a skin tone, a flag: one character
    ImGui::PopTextWrapPos();
    // A right click (or a long press) on a line offers to copy it (ImGui text cannot be selected). The line's
    // area reaches down to the next line: no gap between lines where a finger would find nothing.
    const ImVec2 row_end(row_top.x + width, ImGui::GetItemRectMax().y + ImGui::GetStyle().ItemSpacing.y);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(row_top, row_end) &&
        ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      menu_text_ = m.text;
      ImGui::OpenPopup("chat line");
    }
  });
  if (ImGui::BeginPopup("chat line")) {
    if (ImGui::MenuItem("Copy message")) ImGui::SetClipboardText(menu_text_.c_str());
    const std::string link = firstLink(menu_text_);
    if (!link.empty() && ImGui::MenuItem("Open link")) out.push_back(core::OpenLink{link});
    if (!link.empty() && ImGui::MenuItem("Copy link")) ImGui::SetClipboardText(link.c_str());
    ImGui::EndPopup();
  }
  // Sticky scrolling: follow new lines while at the bottom; stay put while reading older ones.
  if (all.size() != last_count_ && (at_bottom || (!all.empty() && all.back().own))) ImGui::SetScrollHereY(1.0f);
  last_count_ = all.size();
}

void RoomPanel::drawChat(const core::AppState& state, std::vector<core::Intent>& out) {
  if (conversation_.empty()) {
    ImGui::Text("Room %s", state.joined.room.c_str());
  } else {
    ImGui::Text("Private with %s", conversation_.c_str());
    ImGui::SameLine();
    if (smallButton("Back to the room")) conversation_.clear();
  }
  const float input_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  beginInnerChild("log", ImVec2(0, -input_h), true);
  drawLog(state, out);
  ImGui::EndChild();

  // Recipient, input, send.
  std::string label = conversation_.empty() ? "Everyone" : conversation_;
  // As wide as its label needs (text size included), within limits.
  const float label_w = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2.0f;
  ImGui::SetNextItemWidth(std::min(std::max(label_w, ImGui::GetFontSize() * 6.0f), ImGui::GetContentRegionAvail().x * 0.4f));
  if (ImGui::BeginCombo("##to", label.c_str())) {
    if (ImGui::Selectable("Everyone", conversation_.empty())) conversation_.clear();
    for (const core::PeerView& p : state.peers)
      if (ImGui::Selectable(p.username.c_str(), conversation_ == p.username)) conversation_ = p.username;
    ImGui::EndCombo();
    focus_input_ = true;
  }
  ImGui::SameLine();
  const float send_w = ImGui::CalcTextSize("Send").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - send_w - ImGui::GetStyle().ItemSpacing.x);
  if (focus_input_) {
    ImGui::SetKeyboardFocusHere();
    focus_input_ = false;
  }
  std::string hint = conversation_.empty() ? "Message everyone" : "Message " + conversation_ + " privately";
  bool submit = ImGui::InputTextWithHint("##message", hint.c_str(), input_.data(), input_.size(),
                                         ImGuiInputTextFlags_EnterReturnsTrue);
  // Esc clears the message being typed (ImGui deactivates the field on Esc; it gets the focus back).
  if (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    input_[0] = '\0';
    focus_input_ = true;
  }
  ImGui::SameLine();
  submit |= ImGui::Button("Send");
  if (submit) {
    if (input_[0] != '\0') out.push_back(core::SendChat{input_.data(), conversation_});
    input_[0] = '\0';
    focus_input_ = true;  // keep typing
  }
}

// "Devices": a popup with the cameras and microphones to choose from (once the browser granted one).
void RoomPanel::drawDevices(const core::AppState& state, std::vector<core::Intent>& out) {
  const bool camera = !state.camera_device.empty(), microphone = !state.microphone_device.empty();
  if (!ImGui::BeginPopup("devices")) return;
  auto choose = [&out](const char* title, const std::vector<core::MediaDevice>& list, const std::string& current,
                       bool video) {
    std::string shown = "(unknown)";
    for (const core::MediaDevice& d : list)
      if (d.id == current) shown = d.label;
    ImGui::TextDisabled("%s", title);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 20.0f);
    if (!ImGui::BeginCombo(video ? "##camera" : "##microphone", shown.c_str())) return;
    for (const core::MediaDevice& d : list) {
      ImGui::PushID(d.id.c_str());
      if (ImGui::Selectable(d.label.c_str(), d.id == current) && d.id != current)
        out.push_back(core::ChooseDevice{video, d.id});
      ImGui::PopID();
    }
    ImGui::EndCombo();
  };
  if (camera) choose("CAMERA", state.cameras, state.camera_device, true);
  if (microphone) choose("MICROPHONE", state.microphones, state.microphone_device, false);
  ImGui::EndPopup();
}

void RoomPanel::drawStatusBar(const core::AppState& state, std::vector<core::Intent>& out) {
  const float top = ImGui::GetCursorPosY();
  // Items flow: each goes on the line so far if it fits, else starts the next (narrow widgets, big text).
  bool first = true;
  auto place = [&first](float width) {
    if (!first) {
      const float right = ImGui::GetWindowContentRegionMax().x;
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + width > right) ImGui::NewLine();
    }
    first = false;
  };
  const float pad = ImGui::GetStyle().FramePadding.x * 2.0f;
  auto button = [&](const char* label) {
    place(ImGui::CalcTextSize(label).x + pad);
    return smallButton(label);
  };
  auto text = [&](const ImVec4* colour, const std::string& t) {
    const float width = ImGui::CalcTextSize(t.c_str()).x;
    const bool wraps = width > ImGui::GetContentRegionAvail().x;  // longer than a whole line: on lines of its own
    place(wraps ? ImGui::GetContentRegionAvail().x + 1.0f : width);
    if (colour) ImGui::PushStyleColor(ImGuiCol_Text, *colour);
    if (wraps) ImGui::TextWrapped("%s", t.c_str());
    else ImGui::TextUnformatted(t.c_str());
    if (colour) ImGui::PopStyleColor();
  };
  // Microphone and camera switches (a text-only member can start them mid-call).
  const SwitchWords mic = microphoneSwitch(state);
  if (button(mic.label)) out.push_back(core::SetMicrophone{!state.microphone});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", mic.tooltip);
  if (button(state.camera ? "Stop camera" : "Start camera")) out.push_back(core::SetCamera{!state.camera});
  if (!state.camera_device.empty() || !state.microphone_device.empty()) {
    if (button("Devices")) ImGui::OpenPopup("devices");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Choose your camera and microphone");
    drawDevices(state, out);
  }
  place(ImGui::CalcTextSize("Display").x + pad);
  drawDisplaySettings(state.look, out);
  Words w = describe(state.signaling);
  place(ImGui::CalcTextSize(w.text).x + ImGui::GetTextLineHeight());
  dot(w.colour);
  ImGui::PushStyleColor(ImGuiCol_Text, w.colour);
  ImGui::TextUnformatted(w.text);
  ImGui::PopStyleColor();
  if (ImGui::GetContentRegionAvail().x > 560.0f) {  // a narrow widget keeps only what matters
    text(nullptr, "· room " + state.joined.room + " · you are " + state.joined.username);
  }
  if (!state.share_link.empty()) {
    if (button("Copy room link")) {
      ImGui::SetClipboardText(state.share_link.c_str());
      copied_at_ = ImGui::GetTime();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", state.share_link.c_str());
    if (ImGui::GetTime() - copied_at_ < 2.0) text(nullptr, "copied");
  }
  if (state.pending > 0) {
    text(&kAmber, "· " + std::to_string(state.pending) + " message" + (state.pending == 1 ? "" : "s") +
                      " waiting for delivery");
  }
  if (state.status.kind != core::StatusKind::kInfo) {
    text(state.status.kind == core::StatusKind::kError ? &kRed : &kAmber, state.status.text);
  }
  status_height_ = ImGui::GetCursorPosY() - top;
}

}  // namespace imroom::ui
