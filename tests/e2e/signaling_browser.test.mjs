// Chromium's own WebSocket against imroom-server, written the way the getting-started guide's pages are:
// fetch a token and the host from the server, open <host>/v2/<token>, read peers / peer_connected, send a
// `message` to one user. The page is served by the server itself, so the Origin check passes; a page from
// another origin is refused. (It must really come from the server: Chromium's Local Network Access checks block
// loopback sockets from a page that Playwright fulfilled with page.route.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, launchBrowser, watchErrors } from "./lib/harness.mjs";

let server, other, browser, root;
before(async () => {
  root = mkdtempSync(path.join(tmpdir(), "imroom-guide-"));
  writeFileSync(path.join(root, "guide.html"), guideClient());
  server = await startServer({ root });
  other = await startServer({ root }); // a second origin (another port)
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await other?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

// The guide's client, in plain JS: token, host, socket; every frame it receives is kept in window.frames.
// (A hoisted function: node:test runs `before` as soon as it is registered.)
function guideClient() {
  return `<!doctype html><meta charset="utf-8"><title>guide client</title><link rel="icon" href="data:,"><script>
window.frames_ = [];
window.connect = async (username, room) => {
  const post = (path) => fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                        body: JSON.stringify({ username, room }) }).then((r) => r.json());
  const token = (await post("/api/token")).v;
  const host = (await post("/api/host")).v;
  return new Promise((resolve) => {
    window.socket = new WebSocket(host + "/v2/" + token);
    socket.addEventListener("message", (e) => frames_.push(JSON.parse(e.data)));
    socket.addEventListener("open", () => resolve("open"));
    socket.addEventListener("error", () => resolve("error"));
  });
};
window.sendTo = (to, msg) => socket.send(JSON.stringify({ t: "u", m: { f: "someone-else", o: "message", t: to }, p: { msg } }));
</script>`;
}

async function guidePage(origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(origin + "guide.html");
  return { context, page, errors };
}

const framesOf = (page, op) => page.evaluate((o) => frames_.filter((f) => f.m.o === o), op);

test("two browsers meet through imroom-server with the guide's protocol", async () => {
  const a = await guidePage(server.url);
  const b = await guidePage(server.url);
  assert.equal(await a.page.evaluate(() => connect("ann", "lobby")), "open");
  assert.equal(await b.page.evaluate(() => connect("bob", "lobby")), "open");
  await b.page.waitForFunction(() => frames_.some((f) => f.m.o === "peers"));
  const [peers] = await framesOf(b.page, "peers");
  assert.deepEqual(peers.p.users, ["ann", "bob"]);
  assert.equal(peers.m.f, "/imroom/lobby/__sys__");
  await a.page.waitForFunction(() => frames_.some((f) => f.m.o === "peer_connected"));
  const [joined] = await framesOf(a.page, "peer_connected");
  assert.equal(joined.m.f, "/imroom/lobby/bob");

  await a.page.evaluate(() => sendTo("bob", { type: "offer", sdp: "v=0" }));
  await b.page.waitForFunction(() => frames_.some((f) => f.m.o === "message"));
  const [offer] = await framesOf(b.page, "message");
  assert.equal(offer.m.f, "/imroom/lobby/ann"); // stamped by the server, not "someone-else"
  assert.deepEqual(offer.p.msg, { type: "offer", sdp: "v=0" });

  await a.page.close();
  await b.page.waitForFunction(() => frames_.some((f) => f.m.o === "peer_removed"), null, { timeout: 5000 });
  assert.deepEqual(a.errors.concat(b.errors), []);
  await a.context.close();
  await b.context.close();
});

test("a page from another origin cannot open a socket", async () => {
  const foreign = await guidePage(other.url);
  // A valid token for our server; only the page's origin is wrong.
  const r = await fetch(server.url + "api/token", { method: "POST", body: JSON.stringify({ username: "eve", room: "lobby" }) });
  const token = (await r.json()).v;
  const socketUrl = server.url.replace("http", "ws") + "v2/" + token;
  const result = await foreign.page.evaluate((url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve("open");
    ws.onerror = () => resolve("refused");
  }), socketUrl);
  assert.equal(result, "refused");
  // Refused by the Origin check, before the upgrade (the log line may trail the browser's error a little).
  for (let i = 0; i < 40 && !/GET \/v2\/\[token\] 403 /.test(server.logs()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(server.logs(), /GET \/v2\/\[token\] 403 /);
  assert.ok(!server.logs().includes(token), "the token must not be logged");
  // The same token from a page of the server's own origin works.
  const own = await guidePage(server.url);
  assert.equal(await own.page.evaluate((url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve("open");
    ws.onerror = () => resolve("refused");
  }), socketUrl), "open");
  await own.context.close();
  await foreign.context.close();
});
