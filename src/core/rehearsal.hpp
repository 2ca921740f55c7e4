// A join rehearsed in memory, so that the browser has compiled a join's code before the person joins.
//
// V8 compiles WebAssembly lazily: a function is compiled the first time it is called, on the thread that calls
// it. A page's first join called ~130 of the app's functions for the first time (the signaling client, the
// controller, the negotiator, JSON), 10-20 ms of compiling on the main thread while the join's peer connections
// negotiated; a page that had joined once before joined as fast as the plain JavaScript reference
// (BENCHMARKS.md, text rooms). rehearseJoin() runs two controllers through a join, a call, a chat and a leave,
// over in-memory ports: no socket, no peer connection, no state shared with the app. The app runs it once, when
// the page is idle after its first frame, and draws the room it ends in once, off screen (App::rehearse).
//
// Then V8 compiles again what runs often: a function called enough is recompiled by its optimising tier, on
// background threads (dynamic tiering). A chat's hot path (JSON, the chat log, acknowledgements) got there at
// about its twentieth round trip, and that round trip took 4-9 ms instead of 1-2 while two cores compiled;
// the rehearsal's chat is long enough that this too happens while the page is idle.
#pragma once

#include "app_state.hpp"

namespace imroom::core {

// What the rehearsal got through; everything true when the code it runs works.
struct RehearsalResult {
  bool joined = false;        // both members were let in and saw each other
  bool connected = false;     // their chat channels opened (offer, answer, candidates)
  bool chatted = false;       // every message each way arrived, once, and was acknowledged
  bool left = false;          // a leave reached the other member
  int steps = 0;              // in-memory events run
  AppState room;              // what one member's screen showed in the room, after the chat (to rehearse drawing it)
};

// Lines each member sends the other after the greetings: enough calls for the optimising tier (two members'
// worth of calls in one module; the tier-up came at about twenty round trips of one page).
inline constexpr int kRehearsedExchanges = 20;

RehearsalResult rehearseJoin();

}  // namespace imroom::core
