// The widget in other people's sites: a host page served from another origin (another loopback port) embeds
// imroom by iframe (postMessage API) and by direct mount (ImRoom API); the accessibility mirror; the diagnosis
// of an <iframe> that does not allow the camera.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { startServer, launchBrowser, watchErrors, artifactPath } from "./lib/harness.mjs";

let server, browser, host, hostUrl, foreignUrl;

// The host site: a page with two widget containers and, on a third origin (localhost vs 127.0.0.1), a page that
// tries to drive the widget.
function hostPage(imroomUrl) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site that embeds imroom</title>
<style>body{font:15px system-ui,sans-serif;margin:16px;background:#f4f1ea;color:#222}
.row{display:flex;gap:16px}.box{width:560px;height:420px;border:1px solid #999;border-radius:8px;overflow:hidden}</style>
</head><body><h1>Our community page</h1><p>Two imroom widgets: an iframe (left) and a direct mount (right).</p>
<div class="row"><div id="left" class="box"></div><div id="right" class="box"></div></div>
<div id="extra" style="width:560px;height:420px"></div>
<script src="${imroomUrl}embed.js"></script></body></html>`;
}
const FOREIGN = `<!doctype html><title>foreign</title><script>
window.addEventListener("message", (e) => {
  if (!e.data || e.data.go !== true) return;
  // From another origin: a call to the widget, and a forged event to the host page.
  const widget = window.parent.frames[0];
  widget.postMessage({ imroom: 1, kind: "call", id: 990, method: "send", args: ["forged by another site"] }, "*");
  window.parent.postMessage({ imroom: 1, kind: "event", event: "message", detail: { from: "mallory", text: "fake" } }, "*");
});
</script>`;

before(async () => {
  host = http.createServer((req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(req.url.startsWith("/foreign") ? FOREIGN : hostPage(server.url));
  });
  host.listen(0, "127.0.0.1");
  await once(host, "listening");
  const port = host.address().port;
  hostUrl = `http://127.0.0.1:${port}/`;
  foreignUrl = `http://localhost:${port}/foreign.html`;
  server = await startServer({ args: ["--allow-origin", `http://127.0.0.1:${port}`] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  host?.close();
});

async function openHost() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 980 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(hostUrl);
  return { context, page, errors };
}

test("a page on another origin embeds two widgets, by iframe and by direct mount, and they chat both ways", async () => {
  const { context, page, errors } = await openHost();
  const room = `embed-${process.pid}`;
  // Left: the iframe, driven through postMessage. Right: the canvas mounted straight into the page.
  await page.evaluate(async (room) => {
    window.seen = [];
    window.left = await ImRoomEmbed.mount(document.getElementById("left"), { room, username: "ann", media: "video" });
    window.left.on("message", (m) => window.seen.push(`${m.from}:${m.text}`));
    window.right = await ImRoomEmbed.mount(document.getElementById("right"), { mode: "direct", room, username: "bob", media: "audio" });
  }, room);
  const iframe = page.locator("#left iframe");
  assert.equal(await iframe.getAttribute("allow"), "camera; microphone; autoplay; display-capture");
  assert.match(await iframe.getAttribute("src"), new RegExp(`^${server.url}embed\\?room=${room}&name=ann&media=video&parent=`));
  assert.equal(await page.locator("#right canvas").count(), 1, "the direct mount draws in the page's own element");

  const joinedAnn = await page.evaluate(() => window.left.join());
  assert.equal(joinedAnn.username, "ann");
  const joinedBob = await page.evaluate(() => window.right.join());
  assert.deepEqual(joinedBob.peers, ["ann"]);
  await page.waitForFunction(() => window.right.state().peers.some((p) => p.channel === "open"), null, { timeout: 20_000 });

  // Both ways: the iframe through postMessage, the direct mount through ImRoom.
  await page.evaluate(() => window.left.send("hello from the iframe"));
  await page.waitForFunction(() => window.right.state().messages.some((m) => m.text === "hello from the iframe" && m.from === "ann"));
  await page.evaluate(() => window.right.send("hello from the page"));
  await page.waitForFunction(() => window.seen.includes("bob:hello from the page"));
  // A person clicks into the iframe widget's chat field and types: the click gives the widget the keyboard.
  await page.locator("#left iframe").click({ position: { x: 330, y: 322 } });
  await page.keyboard.type("typed into the iframe", { delay: 15 });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.right.state().messages.some((m) => m.text === "typed into the iframe"));
  // The iframe's camera (its allow list grants it) is drawn in the direct mount's tile.
  await page.waitForFunction(() => (window.right.state().peers[0] || {}).framesDrawn > 5, null, { timeout: 20_000 });
  const leftState = await page.evaluate(() => window.left.state());
  assert.equal(leftState.self.camera, true);
  assert.deepEqual(leftState.messages.map((m) => `${m.from}:${m.text}`),
                   ["ann:hello from the iframe", "bob:hello from the page", "ann:typed into the iframe"]);
  assert.equal(leftState.peers[0].username, "bob");

  // A page of another origin (localhost is not 127.0.0.1) tries to make the widget send, and forges an event.
  await page.evaluate((url) => new Promise((resolve) => {
    const f = document.createElement("iframe");
    f.src = url;
    f.onload = resolve;
    document.body.appendChild(f);
  }), foreignUrl);
  await page.evaluate(() => document.querySelectorAll("iframe")[1].contentWindow.postMessage({ go: true }, "*"));
  // The widget ignores it; a real call made after it is answered, so the forged one had its chance.
  await page.evaluate(() => window.left.send("after the forgery"));
  await page.waitForFunction(() => window.right.state().messages.some((m) => m.text === "after the forgery"));
  const after = await page.evaluate(async () => ({ left: (await window.left.state()).messages.map((m) => m.text),
                                                   right: window.right.state().messages.map((m) => m.text), seen: window.seen }));
  assert.ok(!after.left.includes("forged by another site"), "a foreign origin's call is ignored");
  assert.ok(!after.right.includes("forged by another site"));
  assert.ok(!after.seen.some((s) => s.includes("fake")), "a forged event from another frame is ignored");

  // Another protocol version gets a clear refusal, not silence.
  const refusal = await page.evaluate(() => new Promise((resolve) => {
    const frame = document.querySelector("#left iframe");
    window.addEventListener("message", (e) => {
      if (e.source === frame.contentWindow && e.data && e.data.kind === "reply" && e.data.id === 777) resolve(e.data);
    });
    frame.contentWindow.postMessage({ imroom: 2, kind: "call", id: 777, method: "state", args: [] }, new URL(frame.src).origin);
  }));
  assert.equal(refusal.ok, false);
  assert.match(refusal.error, /cannot answer version 2/);

  await page.evaluate(() => document.querySelectorAll("iframe")[1].remove());  // the foreign test frame
  await page.screenshot({ path: artifactPath("embed-host.png") });
  await page.evaluate(() => { window.left.destroy(); window.right.destroy(); });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an iframe without the camera in its allow list says so and shows the attribute to add", async () => {
  const { context, page } = await openHost();
  const room = `embed-noperm-${process.pid}`;
  await page.evaluate(async (room) => {
    window.errorsSeen = [];
    window.w = await ImRoomEmbed.mount(document.getElementById("extra"), { room, username: "cy", media: "video", allow: "autoplay" });
    window.w.on("error", (e) => window.errorsSeen.push(e));
  }, room);
  const before = await page.evaluate(() => window.w.state());
  assert.deepEqual(before.frame, { camera: false, microphone: false });
  await page.locator("#extra").screenshot({ path: artifactPath("embed-no-camera.png") });
  await page.evaluate(() => window.w.join());
  await page.waitForFunction(() => window.errorsSeen.some((e) => e.code === "iframe_permission"));
  const error = await page.evaluate(() => window.errorsSeen.find((e) => e.code === "iframe_permission"));
  assert.match(error.message, /allow="camera; microphone; autoplay; display-capture"/);
  const s = await page.evaluate(() => window.w.state());
  assert.equal(s.signaling, "connected", "still in the room, text-only");
  assert.equal(s.self.camera, false);
  // The accessible mirror inside the widget says it too.
  const frame = page.frameLocator("#extra iframe");
  await assert.doesNotReject(frame.locator('[role="log"]', { hasText: "does not allow the camera and microphone" }).waitFor({ state: "attached" }));
  await context.close();
});

test("the accessibility mirror announces messages, its mute button mutes, and the page's accessibility tree lists the controls", async () => {
  const { context, page, errors } = await openHost();
  const room = `embed-a11y-${process.pid}`;
  await page.evaluate(async (room) => {
    window.ann = await ImRoomEmbed.mount(document.getElementById("left"), { mode: "direct", room, username: "ann" });
    window.bob = await ImRoomEmbed.mount(document.getElementById("right"), { mode: "direct", room: "", username: "", media: "audio" });
    await window.ann.join();
  }, room);
  const mirror = page.locator("#right section.imroom-a11y");
  // A screen-reader user joins through the mirror's form, with the keyboard.
  await mirror.getByLabel("Your name", { exact: true }).fill("bob");
  await mirror.getByLabel("Room", { exact: true }).fill(room);
  await mirror.getByLabel("Call type", { exact: true }).selectOption("audio");
  await mirror.getByRole("button", { name: "Join" }).press("Enter");
  await page.waitForFunction(() => window.bob.state().signaling === "connected" && window.bob.state().self.microphone);
  await page.waitForFunction(() => window.bob.state().peers.some((p) => p.channel === "open"), null, { timeout: 20_000 });
  // The Join button is gone with the join form: the keyboard moved on to the chat field (with the frame that
  // shows the room), and the join was told.
  const chatField = await mirror.getByLabel("Chat message").getAttribute("id");
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, chatField, { timeout: 5000 });
  await mirror.locator('[role="log"]', { hasText: "Here with you: ann." }).waitFor({ state: "attached" });
  assert.ok(!(await mirror.locator('[role="log"]').textContent()).includes("Nobody else"), "ann was there all along");

  // A message received is announced in the live region.
  await page.evaluate(() => window.ann.send("can you hear me"));
  await mirror.locator('[role="log"]', { hasText: "Message from ann: can you hear me" }).waitFor({ state: "attached" });
  assert.equal(await mirror.locator('[role="log"]').getAttribute("aria-live"), "polite");

  // The mute button: a real button with aria-pressed, pressed from the keyboard.
  const mute = mirror.getByRole("button", { name: "Mute microphone" });
  assert.equal(await mute.getAttribute("aria-pressed"), "false");
  await mute.focus();
  assert.notEqual(await mirror.evaluate((e) => e.getBoundingClientRect().width), 1, "the mirror shows itself while focused");
  await mute.press("Enter");
  await page.waitForFunction(() => window.bob.state().self.microphone === false);
  assert.equal(await mute.getAttribute("aria-pressed"), "true");
  await mirror.locator('[role="log"]', { hasText: "You are muted." }).waitFor({ state: "attached" });

  // The chat field: labelled, Enter sends.
  await mirror.getByLabel("Chat message").fill("typed in the mirror");
  await mirror.getByLabel("Chat message").press("Enter");
  await page.waitForFunction(() => window.ann.state().messages.some((m) => m.from === "bob" && m.text === "typed in the mirror"));

  // What assistive technology sees: Playwright's accessibility snapshot of the widget.
  const tree = await page.locator("#right").ariaSnapshot();
  for (const line of ['log "Room announcements"', 'toolbar "Call controls"', 'button "Mute microphone" [pressed]',
                      'button "Camera"', 'button "Leave room"', 'textbox "Chat message"', 'list "Members"']) {
    assert.ok(tree.includes(line), `the accessibility tree lists ${line}:\n${tree}`);
  }
  // High contrast and bigger text, asked for through the API, drawn by the canvas.
  await page.evaluate(() => window.bob.setLook({ theme: "high-contrast", fontScale: 1.5 }));
  assert.deepEqual(await page.evaluate(() => window.bob.state().look),
                   { theme: "high-contrast", fontScale: 1.5, touch: false });  // a mouse, not a finger
  await page.waitForFunction((n) => window.bob.state().ui.frames > n, await page.evaluate(() => window.bob.state().ui.frames));
  await page.waitForTimeout(300);
  await page.locator("#right").screenshot({ path: artifactPath("embed-high-contrast.png") });
  const corner = await page.evaluate(() => {
    const c = document.querySelector("#right canvas");
    const probe = document.createElement("canvas");
    probe.width = c.width; probe.height = c.height;
    const g = probe.getContext("2d");
    g.drawImage(c, 0, 0);
    return Array.from(g.getImageData(2, 2, 1, 1).data);
  });
  assert.deepEqual(corner.slice(0, 3), [0, 0, 0], "the high-contrast background is black");
  await page.evaluate(() => { window.ann.destroy(); window.bob.destroy(); });
  assert.deepEqual(errors, []);
  await context.close();
});
