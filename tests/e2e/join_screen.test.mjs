// The first vertical slice in a real Chromium: the page loads, the ImGui join screen is drawn,
// follows the window and the pixel ratio, takes typing, and says clearly when the browser can't run it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { useServerAndBrowser, watchErrors, waitForFrames, artifactPath } from "./lib/harness.mjs";
import { decodePng, distinctColours } from "./lib/png.mjs";

const env = useServerAndBrowser();

async function openPage(query = "", contextOptions = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1024, height: 700 }, ...contextOptions });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(env.server.url + query);
  await waitForFrames(page, 3);
  return { context, page, errors };
}

test("the join screen is drawn on the canvas, with no console errors", async () => {
  const { context, page, errors } = await openPage();
  const shot = await page.locator("#app").screenshot();
  writeFileSync(artifactPath("join-screen.png"), shot);
  const img = decodePng(shot);
  // The background alone is one colour; the form's text, fields and button make many.
  const centre = distinctColours(img, Math.floor(img.width / 4), Math.floor(img.height / 4),
                                 Math.floor(img.width / 2), Math.floor(img.height / 2));
  assert.ok(centre > 50, `centre of the canvas looks blank (${centre} colours)`);
  const corner = distinctColours(img, 0, 0, 40, 40);
  assert.equal(corner, 1, "the corner should be plain background");
  assert.equal(await page.locator("#overlay").getAttribute("class"), "hidden");
  const state = await page.evaluate(() => window.imroom.state());
  assert.equal(state.signaling, "idle");
  assert.deepEqual(state.peers, []);
  assert.ok(state.ui.firstFrameMs > 0);
  // The page is cross-origin isolated (the server's COOP and COEP headers), and everything it loads agrees.
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shared link prefills the form", async () => {
  const { context, page } = await openPage("?room=lobby&name=ann&media=video");
  const self = await page.evaluate(() => window.imroom.state().self);
  assert.deepEqual([self.username, self.room, self.media], ["ann", "lobby", "video"]);
  await context.close();
});

test("a malformed link is ignored rather than trusted", async () => {
  const { context, page } = await openPage("?room=../x&name=%3Cscript%3E&media=evil");
  const self = await page.evaluate(() => window.imroom.state().self);
  assert.deepEqual([self.username, self.room, self.media], ["", "", "text"]);
  await context.close();
});

test("typing into the canvas fills the form, and Join explains what is missing", async () => {
  const { context, page } = await openPage();
  // The page focuses the canvas and the empty name field: a person can type straight away. While a text field
  // is active, the keyboard goes to the app's hidden text input (on-screen keyboards and input methods need one).
  assert.equal(await page.evaluate(() => document.activeElement.className), "imroom-text-input");
  assert.equal(await page.evaluate(() => document.activeElement.previousElementSibling.id), "app");
  await page.keyboard.type("ann_1", { delay: 20 });
  await page.waitForFunction(() => window.imroom.state().self.username === "ann_1");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.imroom.state().status.text === "Enter a room.");
  await context.close();
});

test("keyboard only: Tab moves from the name to the room field, Enter joins", async () => {
  const { context, page } = await openPage();
  await page.keyboard.type("kim", { delay: 20 });
  await page.keyboard.press("Tab");
  await page.keyboard.type("keys-only", { delay: 20 });
  await page.waitForFunction(() => window.imroom.state().self.room === "keys-only");
  assert.equal(await page.evaluate(() => window.imroom.state().self.username), "kim", "the name stayed in its field");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 10_000 });
  await context.close();
});

test("the canvas follows window resizes and the device pixel ratio", async () => {
  const { context, page } = await openPage("", { deviceScaleFactor: 2 });
  let s = await page.evaluate(() => window.imroom.state().ui);
  assert.deepEqual([s.width, s.height, s.pixelRatio], [1024, 700, 2]);
  assert.deepEqual(await page.evaluate(() => [app.width, app.height]), [2048, 1400]); // sharp on HiDPI
  await page.setViewportSize({ width: 600, height: 400 });
  await page.waitForFunction(() => window.imroom.state().ui.width === 600);
  s = await page.evaluate(() => window.imroom.state().ui);
  assert.equal(s.height, 400);
  assert.deepEqual(await page.evaluate(() => [app.width, app.height]), [1200, 800]);
  writeFileSync(artifactPath("join-screen-600x400@2x.png"), await page.screenshot());
  await context.close();
});

test("without WebGL2 the page says so instead of failing silently", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === "webgl2" ? null : original.call(this, type, ...rest);
    };
  });
  await page.goto(env.server.url);
  const message = page.locator("#message");
  await message.waitFor();
  assert.match(await message.textContent(), /cannot draw with WebGL2/);
  assert.equal(await page.locator("#overlay").getAttribute("class"), "error");
  await context.close();
});

test("the server sends the app with the right types, gzip, and validators", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url + "healthz");
  const r = await page.evaluate(async () => {
    const res = await fetch("/imroom-app.wasm");
    const again = await fetch("/imroom-app.wasm", { headers: { "If-None-Match": res.headers.get("ETag") } });
    return { type: res.headers.get("Content-Type"), enc: res.headers.get("Content-Encoding"),
             etag: res.headers.get("ETag"), status: res.status, againStatus: again.status,
             magic: Array.from(new Uint8Array(await res.arrayBuffer()).slice(0, 4)) };
  });
  assert.equal(r.type, "application/wasm");
  assert.equal(r.enc, "gzip");
  assert.deepEqual(r.magic, [0, 0x61, 0x73, 0x6d]); // "\0asm" once the browser has un-gzipped it
  assert.equal(r.againStatus, 304);
  await context.close();
});
