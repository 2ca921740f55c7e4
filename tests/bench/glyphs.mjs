// Benchmark: what a chat line with characters the baked UI font lacks costs to show, in headless Chromium.
//   imroom:    the receiving page's main-thread time for the frame that shows the line (state().ui.recentFrameMs),
//              the new characters drawn by the browser's fonts into the atlas first (src/ui/fonts.hpp); and,
//              as a baseline, the same frame for an ASCII line of the same length
//   reference: the same kind of line in a plain DOM <div> (what an HTML chat does): main-thread time to append
//              it and lay it out (getBoundingClientRect); its paint is not counted (it happens later, off the
//              main thread in part), so the reference is a floor
// Every case uses characters neither page has shown before (separate ranges for the two), so font fallback and
// glyph loading are paid each time, as for a user's first message in a script (Cyrillic and Greek have enough
// characters for 3 runs). Measured in Chromium here: drawing 100 ideographs it never drew before costs ~110 ms
// in fillText alone (the glyphs load from the fallback font), ~1 ms the second time; the DOM reference pays that
// at paint, which this floor does not count. Usage: scripts/bench glyphs [runs]
import { startServer, launchBrowser, waitForFrames } from "../e2e/lib/harness.mjs";

const RUNS = Number(process.argv[2] || 3);
const CASES = [
  { name: "Cyrillic", base: 0x0400, span: 0x100 },  // in DejaVu (the browser's copy); 246 new for 3 runs
  { name: "Greek", base: 0x1F00, span: 0x100 },     // Greek Extended, in DejaVu
  { name: "CJK", base: 0x4E00, span: 0x5000 },     // from the system's fallback font (WenQuanYi here)
];
const SIZES = [1, 10, 30];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1).padStart(6);

const srv = await startServer({ args: ["--no-access-log"] });
const browser = await launchBrowser();
async function member(name) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${srv.url}?room=glyphs&name=${name}`);
  await waitForFrames(page, 2);
  await page.evaluate(() => window.imroom.join());
  return page;
}
const ann = await member("ann");
const bob = await member("bob");
await bob.waitForFunction(() => window.imroom.state().peers.some((p) => p.channel === "open"), null, { timeout: 20_000 });
await bob.waitForTimeout(1000);
const refPage = await (await browser.newContext()).newPage();
await refPage.setContent('<body style="font: 16px \'DejaVu Sans\', sans-serif; background: #1a1d24; color: #eee"></body>');

// Sends `text` from ann; returns bob's longest frame among those drawn for it.
async function imroomFrame(text) {
  const before = await bob.evaluate(() => window.imroom.state().ui.frames);
  await ann.evaluate((t) => window.imroom.send(t), text);
  await bob.waitForFunction((t) => window.imroom.state().messages.some((m) => m.text === t), text, { timeout: 10_000 });
  await bob.waitForFunction((f) => window.imroom.state().ui.frames > f, before, { timeout: 10_000 });
  await bob.waitForTimeout(400);
  const ui = await bob.evaluate(() => window.imroom.state().ui);
  const fresh = Math.min(ui.recentFrameMs.length, ui.frames - before);
  return { ms: Math.max(...ui.recentFrameMs.slice(-fresh)), glyphs: ui.glyphs, missing: ui.glyphsMissing };
}
async function referenceLayout(text) {
  return refPage.evaluate((t) => {
    const div = document.createElement("div");
    div.textContent = t;
    const t0 = performance.now();
    document.body.appendChild(div);
    div.getBoundingClientRect();
    return performance.now() - t0;
  }, text);
}

const cursor = new Map(CASES.map((c) => [c.name, 0]));
function fresh(c, n) {  // n characters of the case not used before
  let s = "";
  for (let i = 0; i < n; ++i) {
    const k = cursor.get(c.name);
    cursor.set(c.name, k + 1);
    s += String.fromCodePoint(c.base + (k % c.span));
  }
  return s;
}

console.log(`new characters in a chat line: ${RUNS} runs, medians (ms on the main thread)`);
console.log("script     new | imroom frame  ASCII frame | DOM layout | imroom/DOM   glyphs missing");
for (const c of CASES) {
  for (const n of SIZES) {
    const im = [], ascii = [], ref = [];
    let last = null;
    for (let r = 0; r < RUNS; ++r) {
      last = await imroomFrame(fresh(c, n));
      im.push(last.ms);
      ascii.push((await imroomFrame(`ascii ${r} ${"x".repeat(n)}`.slice(0, Math.max(n, 8)) + r)).ms);
      ref.push(await referenceLayout(fresh(c, n)));
    }
    console.log(`${c.name.padEnd(9)} ${String(n).padStart(4)} | ${fmt(median(im))}       ${fmt(median(ascii))}  |` +
                ` ${fmt(median(ref))}     | ${(median(im) / Math.max(0.1, median(ref))).toFixed(2).padStart(6)}×` +
                `  ${String(last.glyphs).padStart(6)} ${String(last.missing).padStart(7)}`);
  }
}
await browser.close();
await srv.stop();
