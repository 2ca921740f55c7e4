// imroom widget loader: defines the global `ImRoomEmbed` (README "Embed it").
//
//   <script src="https://rooms.example.com/embed.js"></script>
//   const widget = await ImRoomEmbed.mount(document.getElementById("chat"), { room: "lobby", username: "ann" });
//
// Two ways to put a room into any page, sized by its container, several per page:
// - mode "iframe" (default): an <iframe src="<server>/embed?room=…" allow="camera; microphone; autoplay;
//   display-capture">, driven through a versioned postMessage API that checks origins both ways. The returned
//   widget has join, leave, send, mute, setCamera, setLook, state (all returning promises) and on(event).
// - mode "direct": the canvas straight in the element, through the same ImRoom API as the full app
//   (ImRoom.create({container})); the server must list this page's origin in --allow-origin (CORS, sockets).
//
// The widget page itself (shell/embed.html) calls ImRoomEmbed.serveFrame(room) to answer its embedding page.
(function (global) {
  "use strict";

  const VERSION = 1; // the postMessage protocol's version: every message carries {imroom: VERSION}
  const ALLOW = "camera; microphone; autoplay; display-capture";
  const EVENTS = ["joined", "peer", "message", "error", "left"];
  const READY_TIMEOUT_MS = 30000;
  const CALL_TIMEOUT_MS = 35000; // longer than join's own 30 s bound, so join reports its own reason
  const scriptSrc = (document.currentScript && document.currentScript.src) || global.location.href;

  function serverBase(options) {
    return new URL(options.server || ".", scriptSrc).href.replace(/[^/]*$/, "");
  }

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

  // ---- the embedding page's side of an iframe widget ------------------------------------------------------

  class FrameWidget {
    constructor(iframe, origin) {
      this.iframe = iframe;
      this.origin = origin;
      this._listeners = new Map();
      this._calls = new Map();
      this._next = 1;
      this._onMessage = (e) => this._receive(e);
      global.addEventListener("message", this._onMessage);
    }
    // Only the widget's own window, from the server's origin, speaking this version, is listened to.
    _receive(e) {
      if (!this.iframe.contentWindow || e.source !== this.iframe.contentWindow || e.origin !== this.origin) return;
      const d = e.data;
      if (!d || typeof d !== "object" || d.imroom !== VERSION) return;
      if (d.kind === "reply" && this._calls.has(d.id)) {
        const { resolve, reject, timer } = this._calls.get(d.id);
        this._calls.delete(d.id);
        clearTimeout(timer);
        if (d.ok) resolve(d.result);
        else reject(new Error(d.error || "the widget refused"));
      } else if (d.kind === "event" && EVENTS.includes(d.event)) {
        for (const cb of this._listeners.get(d.event) || []) {
          try { cb(d.detail); } catch (err) { console.error("imroom: a '" + d.event + "' listener threw", err); }
        }
      } else if (d.kind === "ready" && this._ready) {
        this._ready(d);
      }
    }
    _call(method, args) {
      if (!this.iframe.contentWindow) return Promise.reject(new Error("this widget was destroyed"));
      const id = this._next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this._calls.delete(id);
          reject(new Error("The imroom widget did not answer '" + method + "'."));
        }, CALL_TIMEOUT_MS);
        this._calls.set(id, { resolve, reject, timer });
        this.iframe.contentWindow.postMessage({ imroom: VERSION, kind: "call", id, method, args }, this.origin);
      });
    }
    join(options) { return this._call("join", [options || {}]); }
    leave() { return this._call("leave", []); }
    send(text, options) { return this._call("send", [text, options || {}]); }
    mute(muted) { return this._call("setMicrophone", [muted === false]); }
    setMicrophone(on) { return this._call("setMicrophone", [!!on]); }
    setCamera(on) { return this._call("setCamera", [!!on]); }
    setLook(look) { return this._call("setLook", [look || {}]); }
    state() { return this._call("state", []); }
    // "joined" | "peer" | "message" | "error" | "left"; returns a function that unsubscribes.
    on(type, cb) {
      if (!EVENTS.includes(type)) throw new Error("ImRoomEmbed: no event '" + type + "' (" + EVENTS.join(", ") + ")");
      if (!this._listeners.has(type)) this._listeners.set(type, new Set());
      this._listeners.get(type).add(cb);
      return () => this._listeners.get(type).delete(cb);
    }
    destroy() {
      global.removeEventListener("message", this._onMessage);
      for (const { reject, timer } of this._calls.values()) { clearTimeout(timer); reject(new Error("this widget was destroyed")); }
      this._calls.clear();
      this.iframe.remove();
    }
  }

  function mountFrame(element, options) {
    const base = serverBase(options);
    const src = new URL("embed", base);
    const params = { room: options.room, name: options.username, media: options.media, theme: options.theme,
                     fontScale: options.fontScale };
    Object.keys(params).forEach((k) => { if (params[k] !== undefined && params[k] !== "") src.searchParams.set(k, params[k]); });
    src.searchParams.set("parent", global.location.origin);  // for browsers without location.ancestorOrigins
    const iframe = document.createElement("iframe");
    iframe.src = src.href;
    iframe.setAttribute("allow", options.allow === undefined ? ALLOW : options.allow);
    iframe.title = options.title || "imroom room" + (options.room ? " " + options.room : "");
    iframe.style.cssText = "width:100%;height:100%;border:0;display:block;";
    const widget = new FrameWidget(iframe, src.origin);
    const ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        widget.destroy();
        reject(new Error("The imroom widget at " + src.origin + " did not start within " + READY_TIMEOUT_MS / 1000 +
                         " s. Is the server running, and does it allow this site to embed it (imroom-server " +
                         "--allow-origin " + global.location.origin + ")?"));
      }, READY_TIMEOUT_MS);
      widget._ready = (d) => {
        clearTimeout(timer);
        widget._ready = null;
        if (d.ok) resolve(widget);
        else { widget.destroy(); reject(new Error(d.error || "the imroom widget could not start")); }
      };
    });
    element.appendChild(iframe);
    return ready;
  }

  async function mountDirect(element, options) {
    const base = serverBase(options);
    if (!global.ImRoom) await loadScript(base + "imroom.js");
    if (!global.ImRoom) throw new Error("imroom.js did not define ImRoom");
    return global.ImRoom.create({ container: element, server: base, room: options.room, username: options.username,
                                  media: options.media, theme: options.theme, fontScale: options.fontScale });
  }

  // Puts a room widget into `element` (which gives it its size). Resolves with the widget once it is on screen.
  function mount(element, options) {
    const opts = Object.assign({ mode: "iframe" }, options || {});
    if (!(element instanceof HTMLElement)) return Promise.reject(new Error("ImRoomEmbed.mount needs an element"));
    if (opts.mode === "iframe") return mountFrame(element, opts);
    if (opts.mode === "direct") return mountDirect(element, opts);
    return Promise.reject(new Error("ImRoomEmbed.mount: `mode` is 'iframe' or 'direct'"));
  }

  // ---- the widget page's side (shell/embed.html) ----------------------------------------------------------

  // The embedding page's origin: the browser's own record of it (location.ancestorOrigins), else what the page
  // said in ?parent=, else the referrer's. A wrong claim gains nothing: replies are posted to that origin only
  // (the browser drops them if the parent is another), and calls are taken only from the parent window at it.
  function parentOrigin() {
    if (location.ancestorOrigins && location.ancestorOrigins.length) return location.ancestorOrigins[0];
    try {
      const claimed = new URLSearchParams(location.search).get("parent");
      if (claimed) return new URL(claimed).origin;
      return document.referrer ? new URL(document.referrer).origin : "";
    } catch (e) { return ""; }
  }

  // Answers the embedding page: calls from window.parent at its origin only (anything else, such as another
  // frame or a page of another site, is ignored), replies and events to that origin only.
  function serveFrame(room, failure) {
    if (global.parent === global) return;
    const origin = parentOrigin();
    if (!origin || origin === "null") return; // an opaque (sandboxed) parent cannot be addressed safely
    const post = (msg) => global.parent.postMessage(Object.assign({ imroom: VERSION }, msg), origin);
    if (!room) return post({ kind: "ready", ok: false, error: failure || "the widget could not start" });
    const methods = {
      join: (o) => room.join({ room: o && o.room, username: o && o.username, timeoutMs: o && o.timeoutMs }),
      leave: () => room.leave(),
      send: (text, o) => room.send(text, { to: o && o.to }),
      setMicrophone: (on) => room.setMicrophone(on),
      setCamera: (on) => room.setCamera(on),
      setLook: (look) => room.setLook(look),
      state: () => room.state(),
    };
    global.addEventListener("message", (e) => {
      if (e.source !== global.parent || e.origin !== origin) return;
      const d = e.data;
      if (!d || typeof d !== "object" || d.imroom === undefined || d.kind !== "call") return;
      const reply = (ok, value) => post(ok ? { kind: "reply", id: d.id, ok, result: value }
                                           : { kind: "reply", id: d.id, ok, error: String(value) });
      if (d.imroom !== VERSION) return reply(false, "imroom widget protocol " + VERSION + " cannot answer version " + d.imroom);
      const fn = Object.prototype.hasOwnProperty.call(methods, d.method) ? methods[d.method] : null;
      if (!fn) return reply(false, "no method '" + d.method + "'");
      const args = Array.isArray(d.args) ? d.args : [];
      new Promise((resolve) => resolve(fn(...args))).then((v) => reply(true, v === undefined ? null : v),
                                                          (err) => reply(false, (err && err.message) || err));
    });
    for (const type of EVENTS) room.on(type, (detail) => post({ kind: "event", event: type, detail }));
    post({ kind: "ready", ok: true });
  }

  global.ImRoomEmbed = Object.freeze({ version: VERSION, allow: ALLOW, mount, serveFrame });
})(window);
