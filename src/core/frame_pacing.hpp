// When a state change may be drawn. Drawing is not free where WebGL is software (a frame costs this machine's
// browser 20-35 ms of CPU, BENCHMARKS.md), and a room's network events come in bursts: a join brings member
// lists, offers, answers, candidates and channels opening for every pair. A frame drawn in the middle of a burst
// takes the CPU that the browser's network and WebRTC threads need to finish it. So a change waits for a pause
// in its burst, or until it has waited kMaxDeferMs; a burst that goes on after that (a flood of messages) is
// drawn once every kMaxDeferFloodMs. Input (typing, pointer) and video frames never wait.
#pragma once

#include <cstdint>

#include "app_state.hpp"

namespace imroom::core {

constexpr double kQuietMs = 60;              // a pause this long ends a burst
constexpr double kMaxDeferMs = 300;          // a change waits at most this long...
constexpr double kMaxDeferFloodMs = 1000;    // ...once the burst it came in was drawn in its course, this long...
constexpr double kMaxDeferFormingMs = 1000;  // ...or this long while connections to members are being set up

// True while this member is joining a room: from the join (token, host, socket) through the server's member
// list to the last connection to a member there (its chat channel open, or the connection failed). A reconnect
// is not a join, and a join that met a problem (the server unreachable) is not quiet progress: what they bring is
// drawn as usual.
bool joining(const AppState& s);

// What the last drawn frame showed, as far as pacing goes.
struct Shown {
  Screen screen = Screen::kJoin;
  std::uint64_t chat = 0;  // the chat log's added() then
};

// Milliseconds until the state changes not drawn yet may be drawn (≤ 0: now), given how long the events have
// been quiet and how long the first undrawn change has waited. While joining (eight members joining at once
// fetch their tokens, connect and negotiate 28 connections in half a second or more, with pauses between the
// steps) the pauses do not count: the join's progress, the members' states and the room screen itself are drawn
// when the mesh is complete or after kMaxDeferFormingMs. A chat message not shown yet never waits for that.
// `drawn_in_burst`: a frame was drawn since the burst began (its first kMaxDeferMs is over and it goes on).
double stateWaitMs(const AppState& s, const Shown& shown, double quiet_for_ms, double waiting_for_ms,
                   bool drawn_in_burst = false);

}  // namespace imroom::core
