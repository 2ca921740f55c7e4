// Linked into imroom-app.js after the Emscripten runtime (--post-js).
// SDL2 always addresses its canvas as "#canvas": point that at this instance's own canvas, so several
// instances on one page each draw into, and listen on, their own element.
specialHTMLTargets["#canvas"] = Module["canvas"];

// Bridge helpers (src/bridge). JS closures capture an integer id, never a C++ object: an event for an object the
// C++ side has dropped finds no one and is ignored. Constructors and calls that can throw are turned into values,
// because a JS exception must never unwind through wasm frames.
Module["imroomHandler"] = function (target, id, kind) {
  return function (ev) {
    const dispatch = Module["imroomDispatch"];
    if (dispatch) dispatch(target, id, kind, ev === undefined ? null : ev);
  };
};
Module["imroomConstruct"] = function (name, a, b) {
  try {
    return b === undefined ? new globalThis[name](a) : new globalThis[name](a, b);
  } catch (e) {
    return String((e && e.message) || e);
  }
};
// Calls obj[method](...args); "" on success, else the error's message.
Module["imroomCall"] = function (obj, method, a, b) {
  try {
    if (a === undefined) obj[method]();
    else if (b === undefined) obj[method](a);
    else obj[method](a, b);
    return "";
  } catch (e) {
    return String((e && e.message) || e) || "error";
  }
};
Module["imroomParse"] = function (text) {
  try { return JSON.parse(text); } catch (e) { return null; }
};
// POST JSON with a timeout; always completes with {status, body} (status 0: no answer).
Module["imroomPost"] = function (id, url, body, timeoutMs) {
  const done = Module["imroomHandler"](2, id, "done");
  const abort = typeof AbortController === "function" ? new AbortController() : null;
  const timer = setTimeout(() => abort && abort.abort(), timeoutMs);
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, signal: abort && abort.signal,
               credentials: "same-origin" })
    .then((res) => res.text().then((text) => ({ status: res.status, body: text })))
    .catch((e) => ({ status: 0, body: "", error: String((e && e.message) || e) }))
    .then((result) => { clearTimeout(timer); done(result); });
};
