// Benchmark: text rooms of 2, 4 and 8 members in one headless Chromium on loopback, imroom against the
// guide-style plain JavaScript chat (tests/bench/reference/guide_chat.html) on the same imroom-server, which shows
// what happens in its page as the guide's does ("reference"), and the same page showing nothing ("bare"):
//   join → mesh: from the moment every page is told to join (together) to the moment the last page has an open
//                data channel to every other member (Date.now() across pages: one clock);
//   round trip:  member 0 sends a private message to each other member in turn, which answers it at once;
//                the time from send to the answer's arrival, over the data channels (imroom: its full path —
//                wasm, JSON, acknowledgements, the UI's state).
// Usage: scripts/bench text_rooms [rounds] [pings per peer]
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, launchBrowser, waitForFrames, ROOT, WEB_ROOT } from "../e2e/lib/harness.mjs";

const ROUNDS = Number(process.argv[2] || 3);
const PINGS = Number(process.argv[3] || 30);
const SIZES = (process.env.IMROOM_BENCH_SIZES || "2,4,8").split(",").map(Number);  // e.g. IMROOM_BENCH_SIZES=8
// IMROOM_BENCH_KINDS=imroom,reference: a quicker A/B (the table needs imroom and reference; "bare" is optional).
const KINDS = (process.env.IMROOM_BENCH_KINDS || "imroom,reference,bare").split(",");
const SETTLE_MS = Number(process.env.IMROOM_BENCH_SETTLE_MS ?? 1000);
// IMROOM_BENCH_VIEWPORT=160x120 shrinks every page: a diagnostic of how much drawing costs on this machine.
const [VW, VH] = (process.env.IMROOM_BENCH_VIEWPORT || "800x600").split("x").map(Number);

// One web root with the app and the reference: same origin, same server.
const root = mkdtempSync(path.join(tmpdir(), "imroom-bench-"));
for (const f of readdirSync(WEB_ROOT)) cpSync(path.join(WEB_ROOT, f), path.join(root, f));
cpSync(path.join(ROOT, "tests/bench/reference/guide_chat.html"), path.join(root, "guide_chat.html"));
const server = await startServer({ root, args: ["--no-access-log", "--max-frames-per-second", "1000"] });
const browser = await launchBrowser();

const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

// What both kinds do in the page, the same: window.__bench counts open channels to the mesh, answers pings, and
// times round trips. Each adapter then only connects its implementation's events (opened, received) and its
// send(text, to) and join().
const installBench = (page, n) => page.evaluate((n) => {
  const open = new Set();
  const waiters = new Map();
  const bench = window.__bench = { meshAt: 0, joinAt: 0, send: null, join: null };
  bench.opened = (peer) => {
    open.add(peer);
    if (open.size === n - 1 && !bench.meshAt) bench.meshAt = Date.now();
  };
  bench.received = (text, from) => {
    if (text.startsWith("ping-")) bench.send("pong-" + text.slice(5), from);
    const w = waiters.get(text);
    if (w) { waiters.delete(text); w(); }
  };
  bench.start = () => { bench.joinAt = Date.now(); bench.join(); };
  bench.ping = (to, k) => new Promise((resolve) => {
    const t0 = performance.now();
    waiters.set("pong-" + k, () => resolve(performance.now() - t0));
    bench.send("ping-" + k, to);
  });
}, n);

// The guide-style page: `query` "" shows what happens as the guide's does, "&display=0" shows nothing.
const guidePage = (query) => ({
  url: (room, name) => `${server.url}guide_chat.html?room=${room}&name=${name}${query}`,
  ready: (page) => page.waitForFunction(() => window.ref),
  wire: (page) => page.evaluate(() => {
    const bench = window.__bench;
    bench.send = (text, to) => window.ref.send(text, to);
    bench.join = () => window.ref.join();
    window.ref.on((type, peer, data) => {
      if (type === "open") bench.opened(peer);
      else if (type === "message") bench.received(data.text, peer);
    });
  }),
});

// In-page adapters: the same operations for every implementation.
const ADAPTERS = {
  imroom: {
    url: (room, name) => `${server.url}?room=${room}&name=${name}`,
    ready: (page) => waitForFrames(page, 1),
    wire: (page) => page.evaluate(() => {
      const bench = window.__bench;
      bench.send = (text, to) => window.imroom.send(text, { to });
      bench.join = () => window.imroom.join();
      window.imroom.on("peer", (d) => {
        if (d.event === "channel" && d.channel === "open") bench.opened(d.username);
      });
      window.imroom.on("message", (m) => {
        if (!m.own) bench.received(m.text, m.from);
      });
    }),
  },
  reference: guidePage(""),
  bare: guidePage("&display=0"),
};

let roomNo = 0;
async function runOnce(kind, n) {
  const a = ADAPTERS[kind];
  const room = `bench-${kind}-${n}-${++roomNo}`;
  const names = Array.from({ length: n }, (_, i) => `m${i}`);
  const members = [];
  for (const name of names) {
    const context = await browser.newContext({ viewport: { width: VW, height: VH } });
    const page = await context.newPage();
    await page.goto(a.url(room, name));
    await a.ready(page);
    await installBench(page, n);
    await a.wire(page);
    members.push({ name, context, page });
  }
  await members[0].page.waitForTimeout(1000);  // every page loaded and idle, for both kinds alike
  // imroom: how many frames each page draws while joining (each costs 20-35 ms of CPU here; BENCHMARKS.md)
  const drawn = () => Promise.all(members.map((m) => m.page.evaluate(() => window.imroom ? window.imroom.state().ui.presented : 0)));
  const framesBefore = await drawn();
  await Promise.all(members.map((m) => m.page.evaluate(() => window.__bench.start())));
  await Promise.all(members.map((m) => m.page.waitForFunction(() => window.__bench.meshAt > 0, null,
                                                                { timeout: 30_000, polling: 10 })));
  const times = await Promise.all(members.map((m) => m.page.evaluate(() => [window.__bench.joinAt, window.__bench.meshAt])));
  const join = Math.max(...times.map((t) => t[1])) - Math.min(...times.map((t) => t[0]));
  const framesAfter = await drawn();
  const frames = framesAfter.map((f, i) => f - framesBefore[i]);
  // Round trips are chat in a settled room: both kinds get the same pause after the mesh (imroom draws the
  // room screen and the members' new states in it; the reference draws nothing).
  await members[0].page.waitForTimeout(SETTLE_MS);
  const rtts = [];
  for (let k = 0; k < PINGS; k++) {
    for (const other of names.slice(1)) {
      rtts.push(await members[0].page.evaluate(([to, k]) => window.__bench.ping(to, k), [other, `${other}-${k}`]));
    }
  }
  for (const m of members) await m.context.close();
  return { join, rtts, frames };
}

const results = {};
for (const n of SIZES) {
  results[n] = {};
  for (const kind of Object.keys(ADAPTERS)) results[n][kind] = { join: [], rtts: [], frames: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of KINDS) {  // alternating, so drift hits all alike
      const { join, rtts, frames } = await runOnce(kind, n);
      results[n][kind].join.push(join);
      results[n][kind].rtts.push(...rtts);
      results[n][kind].frames.push(...frames);
    }
  }
}
await browser.close();
await server.stop();
rmSync(root, { recursive: true, force: true });

const fmt = (x) => x.toFixed(2).padStart(8);
console.log(`text rooms, ${ROUNDS} rounds per size, ${PINGS} round trips per peer per round, pages ${VW}x${VH} ` +
            "(headless Chromium, software WebGL, loopback)");
console.log("members  figure              imroom   reference   ratio       bare   ratio (imroom/bare)");
for (const n of SIZES) {
  const im = results[n].imroom, ref = results[n].reference, bare = results[n].bare;
  const rows = [
    ["join→mesh p50 ms", (k) => q(k.join, 0.5)],
    ["join→mesh max ms", (k) => Math.max(...k.join)],
    ["round trip p50 ms", (k) => q(k.rtts, 0.5)],
    ["round trip p99 ms", (k) => q(k.rtts, 0.99)],
  ];
  for (const [label, f] of rows) {
    const [a, b, c] = [f(im), f(ref), bare.join.length ? f(bare) : NaN];
    console.log(`${String(n).padStart(7)}  ${label.padEnd(18)} ${fmt(a)}  ${fmt(b)}   ${(a / b).toFixed(2)}×  ${fmt(c)}   ${(a / c).toFixed(2)}×`);
  }
  // Below 100 round trips a p99 is the slowest one: more rounds give it a meaning.
  console.log(`${String(n).padStart(7)}  ${"round trips".padEnd(18)} ${String(im.rtts.length).padStart(8)}  ` +
              `${String(ref.rtts.length).padStart(8)}   (p99 = the ${im.rtts.length - Math.floor(0.99 * im.rtts.length)}. slowest)`);
  console.log(`${String(n).padStart(7)}  ${"frames/page in join".padEnd(18)} ${fmt(q(im.frames, 0.5))}  ${"(none)".padStart(8)}   ` +
              `(p50 of every page; max ${Math.max(...im.frames)})`);
}
