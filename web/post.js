// Linked into imroom-app.js after the Emscripten runtime (--post-js).
// SDL2 always addresses its canvas as "#canvas": point that at this instance's own canvas, so several
// instances on one page each draw into, and listen on, their own element.
specialHTMLTargets["#canvas"] = Module["canvas"];
