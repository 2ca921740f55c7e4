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

// A visually hidden <textarea> beside the canvas that takes the keyboard while an ImGui text field is active, so
// that phones show their on-screen keyboard and input methods (IME composition, dictation, paste) work: committed
// text and editing keys go to the C++ side as (target 4) events.
Module["imroomTextInput"] = function () {
  const canvas = Module["canvas"];
  const ta = document.createElement("textarea");
  ta.className = "imroom-text-input";
  const attributes = { autocapitalize: "off", autocomplete: "off", autocorrect: "off", spellcheck: "false",
                       tabindex: "-1", "aria-label": "Text for the focused field" };
  Object.keys(attributes).forEach((k) => ta.setAttribute(k, attributes[k]));
  Object.assign(ta.style, { position: "fixed", left: "0", top: "0", width: "1px", height: "1px", opacity: "0",
                            border: "0", padding: "0", margin: "0", resize: "none", overflow: "hidden",
                            fontSize: "16px", pointerEvents: "none", zIndex: "-1" });
  canvas.insertAdjacentElement("afterend", ta);
  const text = Module["imroomHandler"](4, 0, "text");
  const key = Module["imroomHandler"](4, 0, "key");
  const flush = () => { if (ta.value) { const v = ta.value; ta.value = ""; text({ text: v }); } };
  ta.addEventListener("input", (e) => { if (!e.isComposing) flush(); });
  ta.addEventListener("compositionend", flush);
  const EDITING = new Set(["Enter", "Backspace", "Delete", "Tab", "Escape", "ArrowLeft", "ArrowRight", "ArrowUp",
                           "ArrowDown", "Home", "End", "PageUp", "PageDown"]);
  const SHORTCUTS = new Set(["a", "c", "x", "y", "z"]);
  ta.addEventListener("keydown", (e) => {
    if (e.isComposing || e.keyCode === 229) return;  // the input method is busy with this key
    const shortcut = (e.ctrlKey || e.metaKey) && SHORTCUTS.has(e.key.toLowerCase());  // paste comes as text
    if (!EDITING.has(e.key) && !shortcut) return;
    e.preventDefault();
    key({ key: e.key.length === 1 ? e.key.toLowerCase() : e.key, shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey,
          alt: e.altKey });
  });
  return ta;
};
