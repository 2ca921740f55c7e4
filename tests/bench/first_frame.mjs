// Benchmark: time from navigation to the first drawn frame in headless Chromium, on loopback.
//   imroom:    the full page (shell + loader + 300 KB gzip of js/wasm + SDL2/WebGL2/ImGui start-up),
//              time = performance.now() when the first ImGui frame was rendered (state().ui.firstFrameMs)
//   reference: a one-file page drawing one WebGL2 triangle in its first animation frame — the floor
// Both are served by imroom-server; both are measured in the same browser, alternating, cold (new
// browser context: empty HTTP cache) and warm (reload: 304 revalidations, compiled-code cache).
// Also prints the app's sizes. Usage: scripts/bench first_frame [runs]
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { startServer, launchBrowser, waitForFrames, ROOT, WEB_ROOT } from "../e2e/lib/harness.mjs";

const RUNS = Number(process.argv[2] || 15);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p90: q(0.9), min: s[0] };
}

function sizes() {
  const row = (f) => {
    const raw = statSync(path.join(WEB_ROOT, f)).size;
    const gz = gzipSync(readFileSync(path.join(WEB_ROOT, f)), { level: 9 }).length;
    return { file: f, raw, gz };
  };
  return ["imroom-app.wasm", "imroom-app.js", "imroom.js", "index.html", "style.css"].map(row);
}

const app = await startServer({ args: ["--no-access-log"] });
const ref = await startServer({ root: path.join(ROOT, "tests/bench/reference"), args: ["--no-access-log"] });
const browser = await launchBrowser();
const viewport = { width: 1280, height: 800 };

async function imroomOnce(page, reload) {
  if (reload) await page.reload(); else await page.goto(app.url);
  await waitForFrames(page, 1);
  return page.evaluate(() => window.imroom.state().ui.firstFrameMs);
}
async function referenceOnce(page, reload) {
  if (reload) await page.reload(); else await page.goto(ref.url + "webgl2_first_frame.html");
  await page.waitForFunction(() => window.firstFrameMs > 0);
  return page.evaluate(() => window.firstFrameMs);
}

const results = { imroom: { cold: [], warm: [] }, reference: { cold: [], warm: [] } };
for (let i = 0; i < RUNS + 1; i++) {
  for (const [name, once] of [["imroom", imroomOnce], ["reference", referenceOnce]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const cold = await once(page, false);
    const warm = await once(page, true);
    await context.close();
    if (i === 0) continue; // the first round warms the browser process itself
    results[name].cold.push(cold);
    results[name].warm.push(warm);
  }
}
await browser.close();
await app.stop();
await ref.stop();

const fmt = (x) => x.toFixed(1).padStart(7);
console.log(`first frame after navigation, headless Chromium (SwiftShader WebGL), loopback, ${RUNS} runs each`);
console.log("                         p50 ms   p90 ms   min ms");
for (const name of ["imroom", "reference"]) {
  for (const kind of ["cold", "warm"]) {
    const s = stats(results[name][kind]);
    console.log(`${(name + " " + kind).padEnd(22)} ${fmt(s.p50)}  ${fmt(s.p90)}  ${fmt(s.min)}`);
  }
}
for (const kind of ["cold", "warm"]) {
  const r = stats(results.imroom[kind]).p50 / stats(results.reference[kind]).p50;
  console.log(`ratio imroom/reference (${kind}, p50): ${r.toFixed(2)}x`);
}
console.log("\napp size                      raw KB   gzip -9 KB");
let totalRaw = 0, totalGz = 0;
for (const s of sizes()) {
  totalRaw += s.raw; totalGz += s.gz;
  console.log(`${s.file.padEnd(26)} ${(s.raw / 1024).toFixed(1).padStart(8)}   ${(s.gz / 1024).toFixed(1).padStart(8)}`);
}
console.log(`${"total".padEnd(26)} ${(totalRaw / 1024).toFixed(1).padStart(8)}   ${(totalGz / 1024).toFixed(1).padStart(8)}`);
