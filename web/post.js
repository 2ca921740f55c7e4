// Linked into imroom-app.js after the Emscripten runtime (--post-js).
// SDL2 always addresses its canvas as "#canvas": point that at this instance's own canvas, so several
// instances on one page each draw into, and listen on, their own element.
specialHTMLTargets["#canvas"] = Module["canvas"];
// The canvas keeps its pixels between frames: the app draws again only the region that changed
// (src/ui/damage.hpp). SDL creates the WebGL context through Emscripten's EGL, whose attributes these are.
if (typeof EGL !== "undefined") EGL.contextAttributes.preserveDrawingBuffer = true;

// Bridge helpers (src/bridge). JS closures capture an integer id, never a C++ object: an event for an object the
// C++ side has dropped finds no one and is ignored. Constructors and calls that can throw are turned into values,
// because a JS exception must never unwind through wasm frames.
Module["imroomHandler"] = function (target, id, kind) {
  return function (ev) {
    const dispatch = Module["imroomDispatch"];
    if (dispatch) dispatch(target, id, kind, ev === undefined ? null : ev);
  };
};
Module["imroomTextHandler"] = function (target, id) {
  return function (ev) {
    const dispatch = Module["imroomDispatchText"];
    if (dispatch && typeof ev.data === "string") dispatch(target, id, ev.data);
  };
};
Module["imroomSender"] = function (target) {
  return function (text) {
    const state = target.readyState;
    if (state !== "open" && state !== 1) return false;  // RTCDataChannel's "open", WebSocket.OPEN
    try {
      target.send(text);
      return true;
    } catch (e) {
      return false;
    }
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
  // A click on the canvas gives it the keyboard: SDL cancels the mouse's default action, focusing included, so
  // without this a widget in someone else's page (or in an iframe) could be clicked but never typed into.
  canvas.addEventListener("pointerdown", () => {
    const focused = document.activeElement;
    if (focused !== canvas && focused !== ta) canvas.focus({ preventScroll: true });
  });
  // A tap on a text field (the app armed the textarea while the finger rested on one): the keyboard, now, in the
  // gesture's own handler — a phone opens its keyboard for no focus() made later.
  canvas.addEventListener("touchend", (e) => {
    if (ta.imroomArmed && e.touches.length === 0 && document.activeElement !== ta) ta.focus({ preventScroll: true });
  }, { passive: true });
  const text = Module["imroomHandler"](4, 0, "text");
  const key = Module["imroomHandler"](4, 0, "key");
  // NFC: one spelling for a letter with an accent, whichever way the keyboard or paste wrote it.
  const flush = () => { if (ta.value) { const v = ta.value.normalize("NFC"); ta.value = ""; text({ text: v }); } };
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

// Characters the app's baked font lacks (Cyrillic, CJK, emoji, clusters such as flags), drawn with the browser's fonts
// (src/bridge/glyph_canvas.cpp): {meta: [codepoint, width, height, left, top, advance, colored] per glyph,
// pixels: their RGBA bytes one after another}. left/top place the bitmap from the pen on the baseline. Plain
// glyphs come white (the UI tints them); colour glyphs (emoji) as drawn. null if the page has no 2D canvas.
Module["imroomRasterizeGlyphs"] = function (codepoints, texts, px) {
  try {
    const canvas = Module["imroomGlyphCanvas"] || (Module["imroomGlyphCanvas"] = document.createElement("canvas"));
    let ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return null;
    const font = px + 'px "DejaVu Sans", sans-serif';  // the UI's own face first, then what the system has
    ctx.font = font;
    const limit = Math.ceil(4 * px + 8);
    const boxes = codepoints.map((cp, i) => {
      const text = texts[i];  // one codepoint, or a cluster drawn as one character (an emoji with a skin tone)
      const m = ctx.measureText(text);
      // The ink's box around the pen, one pixel more each way for antialiasing.
      const left = Math.floor(-m.actualBoundingBoxLeft) - 1, right = Math.ceil(m.actualBoundingBoxRight) + 1;
      const top = Math.floor(-m.actualBoundingBoxAscent) - 1, bottom = Math.ceil(m.actualBoundingBoxDescent) + 1;
      const width = Math.max(0, right - left), height = Math.max(0, bottom - top);
      const clipped = width > limit || height > limit;  // a pathologically large glyph: cut to the limit
      return { cp, text, left, top, width: Math.min(limit, width), height: Math.min(limit, height), advance: m.width,
               clipped };
    });
    // All in one canvas, row by row, read back at once: a read per glyph cost ~0.5 ms each.
    const rowWidth = Math.max(1024, ...boxes.map((b) => b.width + 1));
    let x = 0, y = 0, rowHeight = 0;
    for (const b of boxes) {
      if (x + b.width > rowWidth) { x = 0; y += rowHeight + 1; rowHeight = 0; }
      b.x = x; b.y = y;
      x += b.width + 1;
      rowHeight = Math.max(rowHeight, b.height);
    }
    canvas.width = rowWidth;
    canvas.height = Math.max(1, y + rowHeight);
    ctx = canvas.getContext("2d", { willReadFrequently: true });  // resizing reset its state
    ctx.font = font;
    ctx.fillStyle = "#fff";
    ctx.textBaseline = "alphabetic";
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const b of boxes) {
      if (b.width === 0 || b.height === 0) continue;
      if (b.clipped) { ctx.save(); ctx.beginPath(); ctx.rect(b.x, b.y, b.width, b.height); ctx.clip(); }
      ctx.fillText(b.text, b.x - b.left, b.y - b.top);
      if (b.clipped) ctx.restore();
    }
    const all = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const meta = [], images = [];
    let bytes = 0;
    for (const b of boxes) {
      let width = b.width, height = b.height, colored = false, ink = false, data = null;
      if (width > 0 && height > 0) {
        data = new Uint8ClampedArray(width * height * 4);
        for (let row = 0; row < height; ++row) {
          const from = ((b.y + row) * canvas.width + b.x) * 4;
          data.set(all.subarray(from, from + width * 4), row * width * 4);
        }
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) continue;
          ink = true;
          if (Math.abs(data[i] - data[i + 1]) > 24 || Math.abs(data[i + 1] - data[i + 2]) > 24) { colored = true; break; }
        }
        if (!ink) { width = height = 0; data = null; }  // a space, or a character drawn as nothing
        else if (!colored) for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = 255;
      }
      meta.push(b.cp, width, height, b.left, b.top, b.advance, colored ? 1 : 0);
      if (data) { images.push(data); bytes += data.length; }
    }
    const pixels = new Uint8Array(bytes);
    let at = 0;
    for (const d of images) { pixels.set(d, at); at += d.length; }
    return { meta, pixels };
  } catch (e) {
    return null;
  }
};

// A link from a chat line, in a new tab that cannot reach back to this page (the controller let only http(s)
// through). A blocked pop-up is not an error: nothing happens.
Module["imroomOpenLink"] = function (url) {
  try { window.open(url, "_blank", "noopener,noreferrer"); } catch (e) { /* blocked */ }
};

// Camera and microphone (target 5): "ok" {video, audio} or "err" {name, message}. The stream stays on
// Module.imroomLocal for the peer connections to add; a hidden <video> shows it for the local preview tile.
Module["imroomGetMedia"] = function (video, audio) {
  const ok = Module["imroomHandler"](5, 0, "ok");
  const err = Module["imroomHandler"](5, 0, "err");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    err({ name: "NotSupportedError", message: "this page cannot use cameras (browsers allow them on https or localhost)" });
    return;
  }
  const constraints = { audio, video: video ? { width: { ideal: 640 }, height: { ideal: 480 } } : false };
  navigator.mediaDevices.getUserMedia(constraints).then((got) => {
    // Added to what the page already sends: turning the camera on keeps the microphone going.
    const stream = Module["imroomLocal"] || new MediaStream();
    got.getTracks().forEach((t) => stream.addTrack(t));
    Module["imroomLocal"] = stream;
    if (stream.getVideoTracks().length && !Module["imroomLocalVideo"]) {
      Module["imroomLocalVideo"] = Module["imroomVideoElement"](stream);
    }
    ok({ video: stream.getVideoTracks().length > 0, audio: stream.getAudioTracks().length > 0 });
  }, (e) => err({ name: (e && e.name) || "Error", message: (e && e.message) || String(e) }));
};
Module["imroomSetTrackEnabled"] = function (kind, enabled) {
  const stream = Module["imroomLocal"];
  if (!stream) return;
  stream.getTracks().forEach((t) => { if (t.kind === kind) t.enabled = enabled; });
};
// Adds the local tracks a connection does not send yet.
Module["imroomAddTracks"] = function (pc) {
  const stream = Module["imroomLocal"];
  if (!stream) return;
  const sent = new Set(pc.getSenders().map((s) => s.track).filter((t) => t));
  stream.getTracks().forEach((t) => { if (!sent.has(t)) pc.addTrack(t, stream); });
};
Module["imroomStopMedia"] = function () {
  if (Module["imroomLocal"]) Module["imroomLocal"].getTracks().forEach((t) => t.stop());
  Module["imroomRemoveElement"](Module["imroomLocalVideo"]);
  Module["imroomLocal"] = null;
  Module["imroomLocalVideo"] = null;
};
// Once the page is idle after its first frame, the work a first join would otherwise do in the middle of its
// negotiations: (1) the browser's WebRTC engine starts with the page's first RTCPeerConnection (threads, the
// network and audio layers: 3-8 ms of the main thread here), so one throwaway connection is made and closed, once
// per page (it gathers no candidates and touches no network); (2) V8 compiles each wasm function when it is
// first called, so this module rehearses a join in memory (src/core/rehearsal.hpp).
Module["imroomWarmUp"] = function () {
  const warm = () => {
    if (!globalThis.imroomWebRtcWarm && typeof RTCPeerConnection === "function") {
      globalThis.imroomWebRtcWarm = true;
      try { new RTCPeerConnection().close(); } catch (e) { /* no WebRTC here: joining will say so */ }
    }
    const rehearse = Module["imroomRehearse"];
    if (rehearse) rehearse();
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(warm, { timeout: 1000 });
  else setTimeout(warm, 0);
};

// Wakes the app (Module.imroomWake, from room_api.cpp) when the canvas changes size: frames are drawn on demand.
Module["imroomObserveCanvas"] = function () {
  const wake = () => { const w = Module["imroomWake"]; if (w) w(); };
  if (typeof ResizeObserver === "function") new ResizeObserver(wake).observe(Module["canvas"]);
  window.addEventListener("resize", wake);
};

// A hidden <video playsinline muted> playing a stream, kept in the DOM (its frames are uploaded into a WebGL
// texture). It counts the frames it presents (requestVideoFrameCallback), so that only new ones are uploaded.
// Where WebCodecs can, each new frame is also copied off the wasm heap (VideoFrame.copyTo, async, one at a time: a
// frame that comes while one is copying is skipped) into one of two buffers that take turns — as I420 planes, or
// converted to RGBA — and the upload is then a plain texSubImage2D of that buffer: far cheaper with software GL
// than uploading from the element (BENCHMARKS.md, video tiles). Benchmark knob: globalThis.IMROOM_UPLOAD = "element" or "texImage2D"
// uploads from the element itself (with texSubImage2D, or texImage2D on every frame).
Module["imroomVideoElement"] = function (stream) {
  const v = document.createElement("video");
  v.muted = true;
  v.autoplay = true;
  v.playsInline = true;
  v.setAttribute("playsinline", "");
  v.setAttribute("aria-hidden", "true");
  Object.assign(v.style, { position: "fixed", left: "0", top: "0", width: "2px", height: "2px", opacity: "0",
                           pointerEvents: "none", zIndex: "-1" });
  v.srcObject = stream;
  v.imroomFrames = 0;
  v.imroomPixels = null;  // {data, width, height}: the newest frame in RGBA
  let copying = false;
  const presentedOne = () => {  // a new frame to upload: the app draws one
    v.imroomFrames++;
    const wake = Module["imroomWake"];
    if (wake) wake();
  };
  let copyFrames = typeof VideoFrame === "function" && !globalThis["IMROOM_UPLOAD"];
  const buffers = [null, null];
  let turn = 0;
  const copy = () => {
    let frame = null;
    try {
      frame = new VideoFrame(v);
      const rect = frame.visibleRect;
      // I420 (what the software VP8/H.264 decoders and most cameras give) is copied as it is, its three planes
      // turned into colour by the shader; any other layout is converted to RGBA by the browser.
      const yuv = frame.format === "I420";
      const options = yuv ? {} : { format: "RGBA" };
      const size = frame.allocationSize(options);
      if (!buffers[turn] || buffers[turn].length !== size) buffers[turn] = new Uint8Array(size);
      const data = buffers[turn];
      const space = frame.colorSpace || {};
      copying = true;
      frame.copyTo(data, options).then((layout) => {
        v.imroomPixels = { data, width: rect.width, height: rect.height, yuv, layout,
                           bt709: space.matrix === "bt709", fullRange: !!space.fullRange };
        turn = 1 - turn;
        presentedOne();
      }, () => {
        copyFrames = false;  // this browser cannot convert: upload from the element from now on
        v.imroomPixels = null;
        presentedOne();
      }).then(() => { copying = false; frame.close(); });
    } catch (e) {
      if (frame) frame.close();
      copyFrames = false;
      v.imroomPixels = null;
      presentedOne();
    }
  };
  if (typeof v.requestVideoFrameCallback === "function") {
    const presented = () => {
      if (!copyFrames) presentedOne();
      else if (!copying) copy();
      v.requestVideoFrameCallback(presented);
    };
    v.requestVideoFrameCallback(presented);
  } else {
    v.imroomFrames = -1;  // unknown: upload every drawn frame
  }
  document.body.appendChild(v);
  v.play().catch(() => {});
  return v;
};
// A remote stream's sound (the video elements stay muted so that they may autoplay). When the browser blocks
// sound until the user acts on the page, that is reported (target 5, "sound" {blocked}); imroomEnableSound,
// called on a click, starts every such element.
Module["imroomAudioElement"] = function (stream) {
  const a = document.createElement("audio");
  a.autoplay = true;
  a.srcObject = stream;
  a.style.display = "none";
  document.body.appendChild(a);
  if (!Module["imroomAudios"]) Module["imroomAudios"] = new Set();
  Module["imroomAudios"].add(a);
  a.play().catch((e) => {
    if (e && e.name === "NotAllowedError") Module["imroomHandler"](5, 0, "sound")({ blocked: true });
  });
  return a;
};
Module["imroomEnableSound"] = function () {
  const done = Module["imroomHandler"](5, 0, "sound");
  const all = Array.from(Module["imroomAudios"] || []);
  Promise.all(all.map((a) => a.play())).then(() => done({ blocked: false }), () => done({ blocked: true }));
};
Module["imroomRemoveElement"] = function (el) {
  if (!el) return;
  if (Module["imroomAudios"]) Module["imroomAudios"].delete(el);
  try { el.srcObject = null; el.remove(); } catch (e) { /* already gone */ }
};

// The cameras and microphones (target 5, "devices" {cameras, microphones: [{id, label}], camera, microphone: the
// ids in use}), again whenever devices come or go.
Module["imroomListDevices"] = function () {
  const md = navigator.mediaDevices;
  if (!md || !md.enumerateDevices) return;
  if (!Module["imroomWatchingDevices"]) {
    Module["imroomWatchingDevices"] = true;
    md.addEventListener("devicechange", () => Module["imroomListDevices"]());
  }
  const done = Module["imroomHandler"](5, 0, "devices");
  md.enumerateDevices().then((list) => {
    const pick = (kind, name) => list.filter((d) => d.kind === kind && d.deviceId)
      .map((d, i) => ({ id: d.deviceId, label: d.label || name + " " + (i + 1) }));
    const inUse = (kind) => {
      const stream = Module["imroomLocal"];
      const track = stream && stream.getTracks().find((t) => t.kind === kind && t.readyState === "live");
      return (track && track.getSettings().deviceId) || "";
    };
    done({ cameras: pick("videoinput", "Camera"), microphones: pick("audioinput", "Microphone"),
           camera: inUse("video"), microphone: inUse("audio") });
  }, () => {});
};
// Moves the camera (video) or microphone to device `id`: a new track from getUserMedia replaces the old one on
// every connection in `pcs` (replaceTrack: no renegotiation) and in the local stream; the old track is stopped and
// its on/off switch carries over. "switched" {video} or "switch_err" {video, name, message} (target 5); on a
// failure the old track stays everywhere.
Module["imroomUseDevice"] = function (video, id, pcs) {
  const ok = Module["imroomHandler"](5, 0, "switched");
  const err = Module["imroomHandler"](5, 0, "switch_err");
  const kind = video ? "video" : "audio";
  const stream = Module["imroomLocal"];
  const old = stream && stream.getTracks().find((t) => t.kind === kind);
  if (!old) {
    err({ video, name: "NotFoundError", message: "no " + kind + " to switch" });
    return;
  }
  const constraints = video ? { video: { deviceId: { exact: id }, width: { ideal: 640 }, height: { ideal: 480 } } }
                            : { audio: { deviceId: { exact: id } } };
  const swap = (from, to) => Promise.all(pcs.map((pc) => {
    const sender = pc.getSenders().find((s) => s.track === from);
    return sender ? sender.replaceTrack(to) : null;
  }));
  navigator.mediaDevices.getUserMedia(constraints).then((got) => {
    const track = got.getTracks()[0];
    track.enabled = old.enabled;
    return swap(old, track).then(() => {
      stream.removeTrack(old);
      stream.addTrack(track);
      old.stop();
      const preview = Module["imroomLocalVideo"];
      if (video && preview) {
        preview.srcObject = stream;
        preview.play().catch(() => {});
      }
      ok({ video });
    }, (e) => swap(track, old).then(() => { track.stop(); throw e; }, () => { track.stop(); throw e; }));
  }).catch((e) => err({ video, name: (e && e.name) || "Error", message: (e && e.message) || String(e) }));
};

// A connection's latest figures {rttMs, lossPct, fps} (each absent when unknown), from getStats every 2 s (the
// polling starts at the first call and ends with the connection): the round trip of the candidate pair in use,
// the share of incoming packets lost since the last poll, the incoming video's frame rate.
Module["imroomLinkStats"] = function (pc) {
  if (!pc.imroomStatsTimer) {
    let last = null;
    const poll = () => {
      if (pc.connectionState === "closed") {
        clearInterval(pc.imroomStatsTimer);
        return;
      }
      pc.getStats().then((report) => {
        const now = { at: performance.now(), lost: 0, received: 0, frames: -1 };
        let pair = null;
        report.forEach((s) => {
          if (s.type === "transport" && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
          if (s.type === "inbound-rtp") {
            now.lost += s.packetsLost || 0;
            now.received += s.packetsReceived || 0;
            if (s.kind === "video" && typeof s.framesDecoded === "number") now.frames = Math.max(0, now.frames) + s.framesDecoded;
          }
        });
        const stats = {};
        if (pair && typeof pair.currentRoundTripTime === "number") stats.rttMs = pair.currentRoundTripTime * 1000;
        if (last) {
          const lost = now.lost - last.lost, got = now.received - last.received;
          if (lost + got > 0) stats.lossPct = Math.max(0, 100 * lost / (lost + got));
          if (now.frames >= 0 && last.frames >= 0) stats.fps = (now.frames - last.frames) * 1000 / (now.at - last.at);
        }
        last = now;
        pc.imroomStats = stats;
      }, () => {});
    };
    pc.imroomStatsTimer = setInterval(poll, 2000);
    poll();
  }
  return pc.imroomStats || null;
};
// Uploads a video's newest frame into textures of this module (GL names) — never through wasm memory: from its copy
// when there is one (see imroomVideoElement): I420 into three one-channel textures `tex` (Y), `texU`, `texV`,
// RGBA into `tex`; else straight from the element into `tex`. texImage2D when the size or kind changed,
// texSubImage2D otherwise. Returns {width, height, yuv, bt709, fullRange}, or null when there is no frame yet.
Module["imroomUploadVideo"] = function (tex, texU, texV, video, w, h, wasYuv) {
  if (!video) return null;
  const gl = GLctx;
  const pixels = video.imroomPixels;
  if (pixels) {
    const fresh = pixels.width !== w || pixels.height !== h || pixels.yuv !== wasYuv;
    if (pixels.yuv) {
      const cw = (pixels.width + 1) >> 1, ch = (pixels.height + 1) >> 1;
      const planes = [[tex, pixels.width, pixels.height], [texU, cw, ch], [texV, cw, ch]];
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
      planes.forEach((plane, i) => {
        const at = pixels.layout[i];
        gl.bindTexture(gl.TEXTURE_2D, GL.textures[plane[0]]);
        gl.pixelStorei(gl.UNPACK_ROW_LENGTH, at.stride);
        if (fresh) {
          gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, plane[1], plane[2], 0, gl.RED, gl.UNSIGNED_BYTE, pixels.data, at.offset);
        } else {
          gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, plane[1], plane[2], gl.RED, gl.UNSIGNED_BYTE, pixels.data, at.offset);
        }
      });
      gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    } else {
      gl.bindTexture(gl.TEXTURE_2D, GL.textures[tex]);
      if (fresh) {
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, pixels.width, pixels.height, 0, gl.RGBA, gl.UNSIGNED_BYTE, pixels.data);
      } else {
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels.data);
      }
    }
    return { width: pixels.width, height: pixels.height, yuv: pixels.yuv, bt709: pixels.bt709,
             fullRange: pixels.fullRange };
  }
  if (video.readyState < 2 || !video.videoWidth) return null;
  gl.bindTexture(gl.TEXTURE_2D, GL.textures[tex]);
  if (video.videoWidth !== w || video.videoHeight !== h || wasYuv || globalThis["IMROOM_UPLOAD"] === "texImage2D") {
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, video);
  } else {
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, gl.RGBA, gl.UNSIGNED_BYTE, video);
  }
  return { width: video.videoWidth, height: video.videoHeight, yuv: false, bt709: false, fullRange: false };
};
// Caps what the camera sends on one connection (the mesh shares the uplink): maxBitrate and
// scaleResolutionDownBy on its video senders, now and again whenever a negotiation completes (a sender's
// encodings exist only once negotiated). A rejected setParameters is reported through `failed`.
Module["imroomVideoBudget"] = function (pc, bps, scale, failed) {
  pc.imroomBudget = { bps, scale };
  const apply = () => {
    const b = pc.imroomBudget;
    try {
      pc.getSenders().forEach((s) => {
        if (!s.track || s.track.kind !== "video") return;
        const p = s.getParameters();
        if (!p.encodings || !p.encodings.length) return;
        const e = p.encodings[0];
        if (e.maxBitrate === b.bps && e.scaleResolutionDownBy === b.scale) return;
        e.maxBitrate = b.bps;
        e.scaleResolutionDownBy = b.scale;
        s.setParameters(p).catch(failed);
      });
    } catch (e) {
      failed(e);  // a closed connection
    }
  };
  if (!pc.imroomBudgetHooked) {
    pc.imroomBudgetHooked = true;
    pc.addEventListener("signalingstatechange", () => { if (pc.signalingState === "stable") apply(); });
  }
  apply();
};
// The loudest level (0..1) of a connection's incoming audio right now, from RTP (no audio graph needed).
Module["imroomAudioLevel"] = function (pc) {
  let level = 0;
  try {
    pc.getReceivers().forEach((r) => {
      if (!r.track || r.track.kind !== "audio") return;
      r.getSynchronizationSources().forEach((s) => { level = Math.max(level, s.audioLevel || 0); });
    });
  } catch (e) { /* closed */ }
  return level;
};

// What the page may use (src/bridge/browser_page): inside an <iframe> without allow="camera; microphone" the
// browser refuses getUserMedia without asking anyone; Permissions Policy says so in advance.
Module["imroomFramePolicy"] = function () {
  const policy = document.permissionsPolicy || document.featurePolicy;
  const allows = (feature) => {
    try { return !policy || typeof policy.allowsFeature !== "function" || policy.allowsFeature(feature); }
    catch (e) { return true; }
  };
  return { camera: allows("camera"), microphone: allows("microphone") };
};

// The accessibility mirror (src/bridge/a11y_mirror.hpp): a visually hidden twin of the canvas UI beside the
// canvas, for screen readers and keyboards. What the person does comes back as (target 6) "act" events.
Module["imroomA11yMirror"] = function () {
  const canvas = Module["canvas"];
  const act = Module["imroomHandler"](6, 0, "act");
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => e.setAttribute(k, attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const uid = "imroom-a11y-" + Math.random().toString(36).slice(2, 9);
  const root = el("section", { class: "imroom-a11y", "aria-label": "imroom room" });
  const HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;" +
                 "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;";
  const SHOWN = "position:fixed;left:8px;top:8px;z-index:2147483647;max-width:calc(100vw - 40px);padding:10px;" +
                "background:#000;color:#fff;border:3px solid #ffd800;font:16px/1.5 system-ui,sans-serif;";
  root.style.cssText = HIDDEN;
  // Seen while a control in it has the keyboard focus; hidden again when the focus leaves it.
  root.addEventListener("focusin", () => { root.style.cssText = SHOWN; });
  root.addEventListener("focusout", (e) => { if (!root.contains(e.relatedTarget)) root.style.cssText = HIDDEN; });

  const log = el("div", { role: "log", "aria-live": "polite", "aria-label": "Room announcements" });
  const status = el("p", { "aria-label": "Status" });

  // The join form.
  const joinForm = el("form", { "aria-label": "Join a room" });
  const field = (label, input) => {
    const id = uid + "-" + label.replace(/\W+/g, "-").toLowerCase();
    input.id = id;
    const p = el("p");
    p.append(el("label", { for: id }, label), " ", input);
    return p;
  };
  const nameInput = el("input", { type: "text", autocomplete: "nickname", maxlength: "64" });
  const roomInput = el("input", { type: "text", maxlength: "64" });
  const mediaSelect = el("select");
  [["text", "Text chat"], ["video", "Video call"], ["audio", "Audio only"]].forEach(([v, t]) => {
    mediaSelect.append(el("option", { value: v }, t));
  });
  joinForm.append(field("Your name", nameInput), field("Room", roomInput), field("Call type", mediaSelect),
                  el("button", { type: "submit" }, "Join"));
  joinForm.addEventListener("submit", (e) => {
    e.preventDefault();
    act({ action: "join", username: nameInput.value, room: roomInput.value, media: mediaSelect.value });
  });

  // In a room: the controls, the chat field, the members.
  const roomPart = el("div");
  const controls = el("div", { role: "toolbar", "aria-label": "Call controls" });
  const muteButton = el("button", { type: "button", "aria-pressed": "false" }, "Mute microphone");
  const cameraButton = el("button", { type: "button", "aria-pressed": "false" }, "Camera");
  const soundButton = el("button", { type: "button", hidden: "" }, "Enable sound");
  const leaveButton = el("button", { type: "button" }, "Leave room");
  controls.append(muteButton, cameraButton, soundButton, leaveButton);
  muteButton.addEventListener("click", () => act({ action: "mute", on: muteButton.getAttribute("aria-pressed") === "true" }));
  cameraButton.addEventListener("click", () => act({ action: "camera", on: cameraButton.getAttribute("aria-pressed") !== "true" }));
  soundButton.addEventListener("click", () => act({ action: "sound" }));
  leaveButton.addEventListener("click", () => act({ action: "leave" }));
  const chatForm = el("form", { "aria-label": "Chat" });
  const chatInput = el("input", { type: "text", autocomplete: "off", maxlength: "8000" });
  chatForm.append(field("Chat message", chatInput), el("button", { type: "submit" }, "Send"));
  chatForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = chatInput.value;
    if (!text.trim()) return;
    chatInput.value = "";
    act({ action: "send", text });
  });
  const members = el("ul", { "aria-label": "Members" });
  roomPart.append(controls, chatForm, el("h2", {}, "Members"), members);
  root.append(status, joinForm, roomPart, log);
  canvas.insertAdjacentElement("afterend", root);

  let last = {};
  return {
    sync(json) {
      let s;
      try { s = JSON.parse(json); } catch (e) { return; }
      const inRoom = s.screen === "room";
      const hadFocus = root.contains(document.activeElement);
      const screenChanged = last.screen !== undefined && last.screen !== s.screen;
      joinForm.hidden = inRoom;
      roomPart.hidden = !inRoom;
      status.textContent = s.status;
      // The form follows the state where the state changed: what the person typed and has not sent stays.
      if (s.username !== last.username) nameInput.value = s.username;
      if (s.room !== last.room) roomInput.value = s.room;
      if (s.media !== last.media) mediaSelect.value = s.media;
      last = s;
      // A screen change hides the focused control: the keyboard goes on to where the person continues.
      if (hadFocus && screenChanged) (inRoom ? chatInput : nameInput).focus({ preventScroll: true });
      if (!root.contains(document.activeElement)) root.style.cssText = HIDDEN;
      muteButton.setAttribute("aria-pressed", String(!s.microphone));
      cameraButton.setAttribute("aria-pressed", String(!!s.camera));
      soundButton.hidden = !s.soundBlocked;
      members.replaceChildren(...(s.members.length ? s.members : ["Nobody else yet"]).map((m) => el("li", {}, m)));
    },
    announce(text) {
      log.append(el("p", {}, text));
      while (log.childElementCount > 30) log.firstElementChild.remove();
    },
    remove() { root.remove(); },
  };
};
