// Benchmark: showing 1, 4 and 9 remote 640×480 camera streams, imroom (ImGui tiles drawn from WebGL textures
// filled from hidden <video> elements) against the guide-style reference (tests/bench/reference/guide_video.html:
// the same streams in ordinary <video> elements, drawn by the browser).
// The streams come from tests/bench/reference/camera_senders.html in a second Chromium (fake camera, one encoder
// per stream), so that the viewer's Chromium does nothing but receive, decode and show them. Per run, over a
// measuring window after a warm-up:
//   CPU per second of the viewer's Chromium, by process (renderer: the page, decoding included; GPU: WebGL and
//   compositing, software here) from CDP SystemInfo.getProcessInfo;
//   frames shown per second per stream (imroom: frames uploaded to tiles; reference: frames the videos decoded);
//   imroom only: main-thread frame time p50/p95 and upload time per frame p50/p95, with texSubImage2D into a texture
//   allocated once (what imroom does) and with texImage2D on every frame (globalThis.IMROOM_UPLOAD).
// Usage: scripts/bench video_tiles [rounds] [seconds measured]
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, launchBrowser, waitForFrames, ROOT, WEB_ROOT } from "../e2e/lib/harness.mjs";

const ROUNDS = Number(process.argv[2] || 1);
const SECONDS = Number(process.argv[3] || 10);
const SIZES = (process.env.IMROOM_BENCH_SIZES || "1,4,9").split(",").map(Number);
// imroom: frames converted to RGBA by VideoFrame.copyTo, then texSubImage2D (what imroom does where it can);
// imroom-element / imroom-texImage2D: uploads straight from the <video> element, texSubImage2D / texImage2D.
// floor: the reference page drawing its streams in one WebGL2 canvas the least way it can (guide_video.html?draw=webgl):
// what any canvas-drawn viewer pays on this machine, against which the ratio's remainder is imroom's own.
const KINDS = (process.env.IMROOM_BENCH_KINDS || "imroom,imroom-element,imroom-texImage2D,floor,reference").split(",");
const UPLOAD = { "imroom-element": "element", "imroom-texImage2D": "texImage2D" };
const VIEWPORT = { width: 1280, height: 720 };

const root = mkdtempSync(path.join(tmpdir(), "imroom-bench-"));
for (const f of readdirSync(WEB_ROOT)) cpSync(path.join(WEB_ROOT, f), path.join(root, f));
for (const f of ["guide_video.html", "camera_senders.html"]) {
  cpSync(path.join(ROOT, "tests/bench/reference", f), path.join(root, f));
}
const server = await startServer({
  root, args: ["--no-access-log", "--max-frames-per-second", "1000", "--api-requests-per-second", "1000"],
});
const viewerBrowser = await launchBrowser();
const senderBrowser = await launchBrowser();
const cdp = await viewerBrowser.newBrowserCDPSession();

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
// IMROOM_BENCH_THREADS=1: also CPU by thread name inside the renderer and GPU processes (/proc), to see where
// the time goes.
import { readFileSync as readProc, readdirSync as listProc } from "node:fs";
const TICKS = 100;
function threadTimes(pid) {
  const out = new Map();
  let tasks = [];
  try { tasks = listProc(`/proc/${pid}/task`); } catch { return out; }
  for (const tid of tasks) {
    try {
      const stat = readProc(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")).replace(/[0-9]+$/, "");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(name, (out.get(name) || 0) + (Number(f[11]) + Number(f[12])) / TICKS);
    } catch { /* gone */ }
  }
  return out;
}
const cpuByProcess = async () => new Map((await cdp.send("SystemInfo.getProcessInfo")).processInfo
  .map((p) => [p.id, { type: p.type, cpu: p.cpuTime }]));

// The same operations for both viewers.
const VIEWERS = {
  imroom: {
    url: (room) => `${server.url}?room=${room}&name=viewer&media=text`,
    ready: (page) => waitForFrames(page, 1),
    join: (page) => page.evaluate(() => window.imroom.join()),
    showing: (page) => page.evaluate(() => window.imroom.state().peers.filter((p) => p.framesDrawn > 0).length),
    // frames shown so far (all streams), and the frame and upload times of the frames drawn since `since`
    sample: (page, since) => page.evaluate((since) => {
      const s = window.imroom.state();
      const k = Math.min(s.ui.frames - since, s.ui.recentFrameMs.length);
      return { shown: s.peers.reduce((n, p) => n + p.framesDrawn, 0), drawn: s.ui.frames,
               frameMs: s.ui.recentFrameMs.slice(-k), uploadMs: s.ui.recentUploadMs.slice(-k) };
    }, since),
  },
  reference: {
    url: (room) => `${server.url}guide_video.html?room=${room}&name=viewer`,
    ready: (page) => page.waitForFunction(() => window.ref),
    join: (page) => page.evaluate(() => window.ref.join()),
    showing: (page) => page.evaluate(() => window.ref.videos()),
    sample: (page) => page.evaluate(() => ({ shown: window.ref.frames(), drawn: 0, frameMs: [], uploadMs: [] })),
  },
};
VIEWERS.floor = { ...VIEWERS.reference, url: (room) => `${VIEWERS.reference.url(room)}&draw=webgl` };

let roomNo = 0;
async function runOnce(kind, n) {
  const viewer = VIEWERS[kind.startsWith("imroom") ? "imroom" : kind];
  const room = `tiles-${n}-${++roomNo}`;
  const viewerContext = await viewerBrowser.newContext({ viewport: VIEWPORT });
  const page = await viewerContext.newPage();
  if (UPLOAD[kind]) await page.addInitScript((how) => { globalThis.IMROOM_UPLOAD = how; }, UPLOAD[kind]);
  await page.goto(viewer.url(room));
  await viewer.ready(page);
  await viewer.join(page);
  const senderContext = await senderBrowser.newContext();
  const senders = await senderContext.newPage();
  await senders.goto(`${server.url}camera_senders.html?room=${room}&viewer=viewer`);
  await senders.evaluate((n) => window.senders.start(n), n);
  for (const end = Date.now() + 60_000; ;) {
    if ((await viewer.showing(page)) === n) break;
    if (Date.now() > end) throw new Error(`${kind}: ${n} streams not shown within 60 s`);
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(3000);  // warm-up: decoders and bitrates settle
  let s = await viewer.sample(page, 0);
  const first = s;
  const cpu0 = await cpuByProcess();
  const threads0 = new Map([...cpu0].map(([id, p]) => [id, threadTimes(id)]));
  const t0 = Date.now();
  const frameMs = [], uploadMs = [];
  while (Date.now() - t0 < SECONDS * 1000) {
    await page.waitForTimeout(2000);
    const next = await viewer.sample(page, s.drawn);
    frameMs.push(...next.frameMs);
    uploadMs.push(...next.uploadMs);
    s = next;
  }
  const cpu1 = await cpuByProcess();
  const seconds = (Date.now() - t0) / 1000;
  if (process.env.IMROOM_BENCH_THREADS) {
    for (const [id, p] of cpu1) {
      if (!threads0.has(id) || (p.type !== "renderer" && p.type !== "GPU")) continue;
      const before = threads0.get(id);
      const rows = [...threadTimes(id)].map(([name, t]) => [name, (t - (before.get(name) || 0)) / seconds * 1000])
        .filter(([, ms]) => ms >= 5).sort((a, b) => b[1] - a[1]);
      if (rows.length) console.log(`  ${kind} n=${n} ${p.type} ${id}: ` + rows.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", "));
    }
  }
  const cpu = { renderer: 0, GPU: 0, all: 0 };
  for (const [id, p] of cpu1) {
    const before = cpu0.get(id);
    if (!before) continue;
    const used = (p.cpu - before.cpu) / seconds;
    cpu.all += used;
    if (p.type in cpu) cpu[p.type] += used;
  }
  await senderContext.close();
  await viewerContext.close();
  return { cpu, fps: (s.shown - first.shown) / seconds / n, drawn: (s.drawn - first.drawn) / seconds, frameMs, uploadMs };
}

const results = {};
for (const n of SIZES) {
  results[n] = Object.fromEntries(KINDS.map((k) => [k, { renderer: [], GPU: [], all: [], fps: [], drawn: [], frameMs: [], uploadMs: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of KINDS) {  // alternating, so drift hits all alike
      const got = await runOnce(kind, n);
      const into = results[n][kind];
      for (const k of ["renderer", "GPU", "all"]) into[k].push(got.cpu[k]);
      into.fps.push(got.fps);
      into.drawn.push(got.drawn);
      into.frameMs.push(...got.frameMs);
      into.uploadMs.push(...got.uploadMs);
    }
  }
}
await senderBrowser.close();
await viewerBrowser.close();
await server.stop();
rmSync(root, { recursive: true, force: true });

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x, w = 8) => (Number.isFinite(x) ? x.toFixed(1) : "-").padStart(w);
console.log(`video tiles, ${ROUNDS} round(s) of ${SECONDS} s per size and kind, viewer ${VIEWPORT.width}x${VIEWPORT.height}, ` +
            "headless Chromium with software WebGL (SwiftShader), fake 640x480 cameras, loopback");
console.log("CPU: ms of CPU per second of the viewer's Chromium (renderer = the page; GPU = WebGL and compositing)");
console.log("streams  kind                renderer     GPU  ren+GPU   all  fps/stream  drawn/s  frame p50  frame p95  upload p50  upload p95");
for (const n of SIZES) {
  for (const kind of KINDS) {
    const r = results[n][kind];
    console.log(`${String(n).padStart(7)}  ${kind.padEnd(18)} ${f(mean(r.renderer) * 1000)} ${f(mean(r.GPU) * 1000)} ` +
                `${f((mean(r.renderer) + mean(r.GPU)) * 1000)} ${f(mean(r.all) * 1000, 6)} ${f(mean(r.fps), 11)} ${f(mean(r.drawn))} ` +
                `${f(q(r.frameMs, 0.5), 10)} ${f(q(r.frameMs, 0.95), 10)} ${f(q(r.uploadMs, 0.5), 11)} ${f(q(r.uploadMs, 0.95), 11)}`);
  }
  const r = results[n];
  const ratio = (a, b) => (a !== undefined && b !== undefined ? (a / b).toFixed(2) + "×" : "-");
  const cpu = (k, what) => (r[k] ? what(r[k]) : undefined);
  console.log(`${" ".repeat(9)}ratios imroom/reference: renderer ${ratio(cpu("imroom", (x) => mean(x.renderer)), cpu("reference", (x) => mean(x.renderer)))}, ` +
              `renderer+GPU ${ratio(cpu("imroom", (x) => mean(x.renderer) + mean(x.GPU)), cpu("reference", (x) => mean(x.renderer) + mean(x.GPU)))}, ` +
              `whole browser ${ratio(cpu("imroom", (x) => mean(x.all)), cpu("reference", (x) => mean(x.all)))}; ` +
              `renderer floor/reference ${ratio(cpu("floor", (x) => mean(x.renderer)), cpu("reference", (x) => mean(x.renderer)))}, ` +
              `imroom/floor ${ratio(cpu("imroom", (x) => mean(x.renderer)), cpu("floor", (x) => mean(x.renderer)))}; upload p50 from the element ` +
              `texImage2D/texSubImage2D ${ratio(cpu("imroom-texImage2D", (x) => q(x.uploadMs, 0.5)), cpu("imroom-element", (x) => q(x.uploadMs, 0.5)))}, ` +
              `element/copy ${ratio(cpu("imroom-element", (x) => q(x.uploadMs, 0.5)), cpu("imroom", (x) => q(x.uploadMs, 0.5)))}`);
}
