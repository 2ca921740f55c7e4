// The app in proxy mode, in a real Chromium: each page is served by an imroom-server whose /api/* use a
// Xirsys-compatible service — a second imroom-server with a Xirsys account, standing in for the Xirsys cloud —
// and signals through the host that service names, as against Xirsys itself. Xirsys tokens carry no client id,
// so a member whose connection drops leaves at once (no rejoin grace): what the room said meanwhile must still
// reach it when it is back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startTcpRelay, launchBrowser } from "./lib/harness.mjs";
import { openMember as openPageMember, waitMesh, texts, stateOf, waitMessage } from "./lib/room.mjs";

const IDENT = "acme", SECRET = "xs-proxy-e2e-secret-7f3a", CHANNEL = "imroom-e2e";
const env = {};

before(async () => {
  // The stand-in for the Xirsys cloud: it serves no app, and takes sockets from the proxies' pages.
  env.xirsys = await startServer({ root: "/nonexistent", args: ["--account", `${IDENT}:${SECRET}`, "--allow-origin", "*"] });
  // ann's proxy reaches the service through a relay the test can cut: the service names the host it was asked
  // by (the relay), so ann's page signals through it too. bob's proxy reaches it directly.
  env.relay = await startTcpRelay(env.xirsys.port);
  const proxy = (url) => startServer({ env: { XIRSYS_IDENT: IDENT, XIRSYS_SECRET: SECRET, XIRSYS_CHANNEL: CHANNEL,
                                                XIRSYS_URL: url.replace(/\/$/, "") } });
  env.viaRelay = await proxy(env.relay.url);
  env.direct = await proxy(env.xirsys.url);
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  env.relay?.close();
  for (const s of [env.viaRelay, env.direct, env.xirsys]) await s?.stop();
});

const openMember = (username, room, srv) => openPageMember(env.browser, srv, username, room);

test("proxy mode: two pages meet through the Xirsys-compatible service and chat; a member whose connection drops " +
     "leaves at once, and back, gets what was said meanwhile, once", async () => {
  const room = `proxy-${process.pid}`;
  const ann = await openMember("ann", room, env.viaRelay);
  const bob = await openMember("bob", room, env.direct);
  const joined = [];
  for (const m of [ann, bob]) joined.push(await m.page.evaluate(() => window.imroom.join()));
  assert.deepEqual(joined.map((j) => j.peers), [[], ["ann"]]);
  await waitMesh([ann, bob], 20_000);
  await ann.page.evaluate(() => window.imroom.send("hello through Xirsys"));
  await waitMessage(bob, "ann:hello through Xirsys");
  // Both pages signal through the service, not through the servers that served them.
  assert.match(env.xirsys.logs(), /ws ann@/);
  assert.match(env.xirsys.logs(), /ws bob@/);

  env.relay.refuse(true);  // ann's network drops and stays down a while
  await bob.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 10_000 });
  await bob.page.evaluate(() => window.imroom.send("said while ann was gone"));
  await ann.page.waitForTimeout(1000);
  env.relay.refuse(false);
  await ann.page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 20_000 });
  await waitMesh([ann, bob], 30_000);
  await waitMessage(ann, "bob:said while ann was gone");
  await bob.page.waitForFunction(() => window.imroom.state().pending === 0, null, { timeout: 10_000 });
  assert.equal(texts(await stateOf(ann)).filter((t) => t === "bob:said while ann was gone").length, 1);
  await bob.page.evaluate(() => window.imroom.send("welcome back"));
  await waitMessage(ann, "bob:welcome back");
  // The account's secret never reached a page, and no page broke.
  for (const m of [ann, bob]) {
    assert.ok(!(await m.page.content()).includes(SECRET));
    assert.ok(!JSON.stringify(await stateOf(m)).includes(SECRET));
  }
  for (const s of [env.viaRelay, env.direct, env.xirsys]) assert.ok(!s.logs().includes(SECRET));
  for (const m of [ann, bob]) await m.context.close();
});
