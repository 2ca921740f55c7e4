// imroom loader and public API: defines the global `ImRoom` (DESIGN.md §5).
// Loads imroom-app.js and compiles imroom-app.wasm once per page; every ImRoom.create() instantiates
// its own module on its own canvas, so several rooms can live on one page.
(function (global) {
  "use strict";

  const WASM_BYTES = Number("__IMROOM_WASM_BYTES__") || 0; // filled in by the build (make_dist.cmake)
  const scriptSrc = (document.currentScript && document.currentScript.src) || global.location.href;
  // The shape of a name; src/core/names.cpp has the whole rule (which scripts, one script per name), and join()
  // rejects with its message.
  const ROOM_RE = /^[A-Za-z0-9_-]{1,64}$/;
  const USER_RE = /^[\p{L}0-9_-]{1,64}$/u;
  const MEDIA = ["text", "video", "audio"];
  const THEMES = ["dark", "high-contrast"];

  let appPromise = null; // { factory, wasmModule }
  let created = 0; // instances created on this page: the default name of each one's saved session

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = resolve;
      s.onerror = () => reject(new Error("Could not load " + url + ": is the imroom server reachable?"));
      document.head.appendChild(s);
    });
  }

  // Downloads the wasm, reporting {loaded, total} (total 0 when unknown), then compiles it.
  async function fetchWasm(url, onProgress) {
    const res = await fetch(url, { credentials: "same-origin" });
    if (!res.ok) throw new Error("Could not download the app (" + res.status + " for " + url + ")");
    const encoded = res.headers.get("Content-Encoding");
    const total = WASM_BYTES || (!encoded && Number(res.headers.get("Content-Length"))) || 0;
    if (!res.body || !res.body.getReader) return WebAssembly.compile(await res.arrayBuffer());
    const reader = res.body.getReader();
    const chunks = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress({ loaded, total });
    }
    const bytes = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.byteLength; }
    return WebAssembly.compile(bytes);
  }

  function load(options) {
    const onProgress = (options && options.onProgress) || (() => {});
    if (!appPromise) {
      const base = new URL((options && options.server) || ".", scriptSrc);
      const wasmUrl = new URL("imroom-app.wasm", base).href;
      const jsUrl = new URL("imroom-app.js", base).href;
      const script = typeof global.createImRoomModule === "function" ? Promise.resolve() : loadScript(jsUrl);
      appPromise = Promise.all([script, fetchWasm(wasmUrl, onProgress)]).then(([, wasmModule]) => {
        if (typeof global.createImRoomModule !== "function") throw new Error("imroom-app.js did not load");
        return { factory: global.createImRoomModule, wasmModule };
      });
      appPromise.catch(() => { appPromise = null; }); // a later create() may retry
    }
    return appPromise;
  }

  function missingFeature() {
    if (typeof WebAssembly !== "object") return "This browser cannot run WebAssembly, which imroom needs.";
    const probe = document.createElement("canvas");
    if (!probe.getContext("webgl2")) {
      return "This browser cannot draw with WebGL2, which imroom needs. Turn on hardware acceleration " +
             "or try a current Chrome, Edge, Firefox or Safari.";
    }
    return null;
  }

  function resolveCanvas(opts) {
    if (opts.canvas instanceof HTMLCanvasElement) return opts.canvas;
    if (opts.container instanceof HTMLElement) {
      const c = document.createElement("canvas");
      c.style.width = "100%";
      c.style.height = "100%";
      c.style.display = "block";
      opts.container.appendChild(c);
      return c;
    }
    throw new Error("ImRoom.create needs a `canvas` (HTMLCanvasElement) or a `container` (HTMLElement)");
  }

  // A name written with combining accents (as some systems paste it) in the one form the name rule accepts.
  const nfc = (v) => (typeof v === "string" && v.normalize ? v.normalize("NFC") : v);

  function checkOptions(opts) {  // opts: the caller's options copied; names come back normalized
    if (opts.username !== undefined) opts.username = nfc(opts.username);
    const rules = [["room", ROOM_RE, "Latin letters (a-z, A-Z)"], ["username", USER_RE, "letters"]];
    for (const [key, re, letters] of rules) {
      const v = opts[key];
      if (v !== undefined && v !== "" && (typeof v !== "string" || !re.test(v))) {
        throw new Error("ImRoom.create: `" + key + "` must be 1-64 " + letters + ", digits, - or _");
      }
    }
    if (opts.media !== undefined && !MEDIA.includes(opts.media)) {
      throw new Error("ImRoom.create: `media` must be one of " + MEDIA.join(", "));
    }
    if (opts.theme !== undefined && opts.theme !== "" && !THEMES.includes(opts.theme)) {
      throw new Error("ImRoom.create: `theme` must be one of " + THEMES.join(", "));
    }
    if (opts.fontScale !== undefined && !(typeof opts.fontScale === "number" && opts.fontScale >= 0.75 && opts.fontScale <= 2)) {
      throw new Error("ImRoom.create: `fontScale` must be a number from 0.75 to 2");
    }
    if (opts.session !== undefined && opts.session !== false && !(typeof opts.session === "string" && ROOM_RE.test(opts.session))) {
      throw new Error("ImRoom.create: `session` must be false or 1-64 Latin letters, digits, - or _");
    }
  }

  // What a reload of the tab (or a phone discarding it in the background) would lose — the room this instance
  // was in, its chat, what is still on its way, the tickets that make it the same page to the others — is kept
  // in the tab's sessionStorage when the page is hidden, and taken back when the instance is made again.
  function readSession(key) {
    try { return key ? global.sessionStorage.getItem(key) : null; } catch (e) { return null; }
  }
  function writeSession(key, value) {
    try { global.sessionStorage.setItem(key, value); } catch (e) {
      // Full, or storage refused: an older session must not be taken back in its place (a room left since).
      try { global.sessionStorage.removeItem(key); } catch (ignored) { /* no storage at all */ }
      console.warn("imroom: the chat could not be kept for a reload of this tab", e);
    }
  }

  class Room {
    constructor(core, canvas) {
      this._core = core;
      this._canvas = canvas;
      this._listeners = new Map();
    }
    // A JSON-serialisable snapshot (DESIGN.md §5).
    state() {
      if (!this._core) throw new Error("this room was destroyed");
      return this._core.state();
    }
    // Subscribes to "ready" | "state" | "joined" | "peer" | "message" | "error" | "left";
    // returns a function that unsubscribes.
    on(type, cb) {
      if (!this._listeners.has(type)) this._listeners.set(type, new Set());
      this._listeners.get(type).add(cb);
      return () => this._listeners.get(type).delete(cb);
    }
    // Joins the room given to create() (or {room, username} here). Resolves with {room, username, peers}
    // once the signaling socket is open and the member list arrived; rejects with a clear message when the
    // name or room is invalid, the name is taken, the room is full. An unreachable server is retried meanwhile
    // (see the "error" events); `timeoutMs` (default 30 s) bounds the wait.
    join(options) {
      const core = this._live();
      const opts = Object.assign({}, options);
      checkOptions(opts);
      const now = core.state();
      if (now.signaling === "connected") {
        return Promise.resolve({ room: now.self.room, username: now.self.username,
                                 peers: now.peers.map((p) => p.username) });
      }
      return new Promise((resolve, reject) => {
        let timer = 0;
        const offs = [];
        const finish = (fn, value) => { clearTimeout(timer); offs.forEach((off) => off()); fn(value); };
        offs.push(this.on("joined", (d) => finish(resolve, d)));
        offs.push(this.on("error", (e) => { if (e.fatal) finish(reject, new Error(e.message)); }));
        timer = setTimeout(() => {
          const errors = this._core ? this._core.state().errors : [];
          const last = errors.length ? " Last problem: " + errors[errors.length - 1].message : "";
          finish(reject, new Error("Could not join within " + Math.round((opts.timeoutMs || 30000) / 1000) + " s." + last));
        }, opts.timeoutMs || 30000);
        if (now.signaling === "connecting" || now.signaling === "reconnecting") return;  // already under way
        const problem = core.join({ room: opts.room || "", username: opts.username || "" });
        if (problem) finish(reject, new Error(problem));
      });
    }
    // Sends a chat message to everyone, or to one member with {to: "bob"}. Returns the message's id.
    // Delivery is guaranteed while both stay in the room (resent until acknowledged, shown once).
    send(text, options) {
      const core = this._live();
      if (typeof text !== "string") throw new Error("send: text must be a string");
      const to = (options && options.to) || "";
      const result = core.send(text, to);
      if (result.error) throw new Error(result.error);
      return result.id;
    }
    // Camera and microphone on or off. Turning the camera on in a room joined as text asks for it and adds it
    // to every connection; off keeps the connection's place for it and shows the others a placeholder.
    setCamera(on) { this._live().setCamera(!!on); }
    setMicrophone(on) { this._live().setMicrophone(!!on); }
    // Another camera or microphone, by id from state().devices (known once the browser granted one): it replaces
    // the current one on every connection without renegotiating; the old one is released.
    useDevice(kind, id) {
      if (kind !== "camera" && kind !== "microphone") throw new Error("useDevice: kind is 'camera' or 'microphone'");
      if (typeof id !== "string" || !id) throw new Error("useDevice: id must be a device id from state().devices");
      this._live().useDevice(kind === "camera", id);
    }
    // Display settings: {theme: "dark" | "high-contrast", fontScale: 0.75..2}; either may be left out.
    setLook(look) {
      const l = look || {};
      checkOptions({ theme: l.theme, fontScale: l.fontScale });
      const problem = this._live().setLook(l.theme || "", l.fontScale || 0);
      if (problem) throw new Error(problem);
    }
    // Starts the room's sound when the browser blocked it (state().soundBlocked): call it from a user gesture
    // (a click handler), as browsers require.
    enableSound() { this._live().enableSound(); }
    // Leaves the room (the instance stays and can join again).
    leave() {
      this._live().leave();
      return Promise.resolve();
    }
    _live() {
      if (!this._core) throw new Error("this room was destroyed");
      return this._core;
    }
    _emit(type, detail) {
      for (const cb of this._listeners.get(type) || []) {
        try { cb(detail); } catch (e) { console.error("imroom: a '" + type + "' listener threw", e); }
      }
    }
    // Stops drawing and frees the instance; the canvas stays in the page.
    destroy() {
      if (!this._core) return;
      if (this._unhook) this._unhook();
      this._core.destroy();
      this._core.delete();
      this._core = null;
    }
  }

  async function create(options) {
    const opts = Object.assign({ server: "", room: "", username: "", media: "text" }, options || {});
    checkOptions(opts);
    const canvas = resolveCanvas(opts);
    const missing = missingFeature();
    if (missing) throw new Error(missing);
    if (!canvas.hasAttribute("tabindex")) canvas.tabIndex = 0; // focus decides which instance gets keys
    canvas.addEventListener("contextmenu", (e) => e.preventDefault());

    const { factory, wasmModule } = await load(opts);
    const module = await factory({
      canvas,
      // Instantiate the already-compiled module: one download and compile for every instance on the page.
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule),
          (e) => console.error("imroom: could not start the app", e));
        return {};
      },
      print: (t) => console.log("imroom:", t),
      printErr: (t) => console.warn("imroom:", t),
    });
    // People who asked their system for more contrast get the high-contrast theme unless the page chose one.
    const contrast = global.matchMedia && global.matchMedia("(prefers-contrast: more)").matches;
    const theme = opts.theme || (contrast ? "high-contrast" : "dark");
    // A phone or a tablet (the main pointer is a finger): controls sized for fingers.
    const touch = !!(global.matchMedia && global.matchMedia("(pointer: coarse)").matches);
    const core = new module.RoomCore({ room: opts.room, username: opts.username, media: opts.media, theme, touch,
                                       fontScale: opts.fontScale || 1,
                                       server: opts.server ? new URL(opts.server, global.location.href).href : "" });
    const room = new Room(core, canvas);
    const index = created++;
    const sessionKey = opts.session === false ? "" : "imroom.session:" +
      (typeof opts.session === "string" ? opts.session : (canvas.id || "") + ":" + index);
    const saved = readSession(sessionKey);
    const rejoin = saved ? core.restoreSession(saved) : false;
    if (sessionKey) {
      let later = 0;
      const save = () => {
        clearTimeout(later);
        later = 0;
        if (room._core) writeSession(sessionKey, room._core.saveSession());
      };
      const hidden = () => { if (document.visibilityState === "hidden") save(); };
      // A hidden page still gets messages, and acknowledges them: kept too (the tab may be discarded next).
      const changed = () => { if (!later && document.visibilityState === "hidden") later = setTimeout(save, 1000); };
      global.addEventListener("pagehide", save);
      document.addEventListener("visibilitychange", hidden);
      document.addEventListener("freeze", save); // a background tab about to be frozen (and maybe discarded)
      const offs = ["message", "peer"].map((type) => room.on(type, changed));
      room._unhook = () => {
        clearTimeout(later);
        global.removeEventListener("pagehide", save);
        document.removeEventListener("visibilitychange", hidden);
        document.removeEventListener("freeze", save);
        offs.forEach((off) => off());
      };
    }
    const ready = new Promise((resolve) => {
      core.setListener((type, detail) => {
        if (type === "ready") resolve();
        if (type === "state") {
          // A snapshot only for those who listen: the chat log can be long.
          const listeners = room._listeners.get("state");
          if (listeners && listeners.size) room._emit("state", core.state());
          return;
        }
        room._emit(type, detail === "null" ? undefined : JSON.parse(detail));
      });
    });
    const error = core.start();
    if (error) {
      room.destroy();
      throw new Error(error);
    }
    await ready; // resolves once the first frame is on screen
    // In the room before the reload: back in it (a failure shows on the page and in "error" events).
    if (rejoin) room.join().catch(() => {});
    return room;
  }

  // The shapes create() accepts, for pages that prefill it from their own URL.
  const namePatterns = Object.freeze({ room: ROOM_RE, username: USER_RE });
  global.ImRoom = Object.freeze({ version: "0.1.0", create, load, missingFeature, namePatterns });
})(window);
