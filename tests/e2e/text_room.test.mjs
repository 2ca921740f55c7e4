// Text rooms in a real Chromium against the real imroom-server: pages join, connect peer to peer over
// RTCDataChannels and chat — through the ImRoom API and through the ImGui UI (typing into the canvas).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { useServerAndBrowser, startServer, startTcpRelay, watchErrors, waitForFrames, artifactPath, WEB_ROOT }
  from "./lib/harness.mjs";
import { openMember as openPageMember, waitMesh, texts, stateOf, waitMessage } from "./lib/room.mjs";

const env = useServerAndBrowser();

let roomCounter = 0;
const freshRoom = (name) => `${name}-${process.pid}-${++roomCounter}`;

// A page of the app with the given name and room prefilled; nothing joined yet.
const openMember = (username, room, srv = env.server) => openPageMember(env.browser, srv, username, room);

async function join(member) {
  return member.page.evaluate(() => window.imroom.join());
}

// ann and bob in a fresh room, joined one after the other, their data channel open. `annVia`: the server ann's
// page is loaded from (and so signals through), e.g. a relay the test can cut.
async function meshedPair(prefix, annVia = env.server) {
  const room = freshRoom(prefix);
  const ann = await openMember("ann", room, annVia);
  const bob = await openMember("bob", room);
  await join(ann);
  await join(bob);
  await waitMesh([ann, bob]);
  return { room, ann, bob };
}

test("two pages join, connect over a data channel and chat both ways through the API", async () => {
  const room = freshRoom("pair");
  const ann = await openMember("ann", room);
  const bob = await openMember("bob", room);
  const joined = await join(ann);
  assert.deepEqual(joined.peers, []);
  const joinedBob = await join(bob);
  assert.deepEqual(joinedBob.peers, ["ann"]);
  await waitMesh([ann, bob]);

  await ann.page.evaluate(() => window.imroom.send("hello bob"));
  await bob.page.evaluate(() => window.imroom.send("hello ann"));
  await waitMessage(bob, "ann:hello bob");
  await waitMessage(ann, "bob:hello ann");
  const a = await stateOf(ann);
  assert.equal(a.signaling, "connected");
  assert.equal(a.peers[0].connection, "connected");
  assert.deepEqual(texts(a).sort(), ["ann:hello bob", "bob:hello ann"]);
  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.context.close();
  await bob.context.close();
});

// A drawn frame is costly where WebGL is composited in software (read back whole: ~20 ms here), and ImGui applies
// a log's scroll to its new line one frame after the line came. That frame is laid out again at once, undrawn:
// a line that scrolls the log is drawn in one frame, not two.
test("a chat line that scrolls the log is shown in one drawn frame", async () => {
  const { ann, bob } = await meshedPair("frames");
  for (let i = 0; i < 25; i++) await ann.page.evaluate((i) => window.imroom.send(`filler ${i}`), i);  // the log is full
  await waitMessage(bob, "ann:filler 24");
  await bob.page.waitForTimeout(500);
  const ui = (m) => m.page.evaluate(() => window.imroom.state().ui);
  const before = await ui(bob);
  const lines = 20;
  for (let i = 0; i < lines; i++) {
    await ann.page.evaluate((i) => window.imroom.send(`line ${i}`), i);
    await waitMessage(bob, `ann:line ${i}`);
    await bob.page.waitForTimeout(250);  // drawn, and settled (state changes are drawn at most every 100 ms)
  }
  const after = await ui(bob);
  const presented = after.presented - before.presented;
  // One each, and a few to spare for other changes (a member's link quality); two each without the layout pass.
  assert.ok(presented >= lines && presented <= lines + 4, `${presented} frames drawn for ${lines} lines`);
  assert.ok(after.layoutPasses - before.layoutPasses >= lines, "each line's scroll was laid out without drawing");
  writeFileSync(artifactPath("text-room-scrolled.png"), await bob.page.screenshot());
  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.context.close();
  await bob.context.close();
});

test("typing into the canvas: join with Enter, chat with Enter, and the other page sees it", async () => {
  const room = freshRoom("keys");
  const ann = await openMember("ann", room);
  await join(ann);
  // bob's link names the room only: the page focuses the name field.
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}?room=${room}`);
  await waitForFrames(page, 2);
  const bob = { username: "bob", context, page, errors };
  await page.keyboard.type("bob", { delay: 20 });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 10_000 });
  await page.waitForFunction(() => window.imroom.state().ui.screen === "room");
  await waitMesh([ann, bob]);
  // The chat input has the focus as soon as the room opens.
  await page.keyboard.type("typed on a keyboard", { delay: 15 });
  await page.keyboard.press("Enter");
  await waitMessage(ann, "bob:typed on a keyboard");
  await ann.page.evaluate(() => window.imroom.send("seen it"));
  await waitMessage(bob, "ann:seen it");
  // The input keeps the focus after sending: a second line goes out the same way.
  await page.keyboard.type("and again", { delay: 15 });
  await page.keyboard.press("Enter");
  await waitMessage(ann, "bob:and again");
  // An input method (or a phone's keyboard, or dictation) commits whole strings without key presses.
  await page.keyboard.insertText("καλημέρα, привет, café — 你好 👋");
  await page.keyboard.press("Enter");
  await waitMessage(ann, "bob:καλημέρα, привет, café — 你好 👋");
  // Drawn, not "?": the 16 characters beyond the baked font (7 Greek, 6 Cyrillic, 2 Han, an emoji) come from
  // the browser's fonts, on the page that typed them and on the page that received them.
  for (const p of [page, ann.page]) {
    await p.waitForFunction(() => window.imroom.state().ui.glyphs >= 16, null, { timeout: 5_000 });
    assert.equal((await p.evaluate(() => window.imroom.state())).ui.glyphsMissing, 0);
  }
  // Characters written as several codepoints — a skin tone, a flag — arrive intact and are drawn as one each
  // (the screenshots below show them).
  await ann.page.evaluate(() => window.imroom.send("👍🏽 🇺🇦"));
  await waitMessage(bob, "ann:👍🏽 🇺🇦");
  await page.waitForTimeout(300);
  assert.equal((await stateOf(bob)).ui.glyphsMissing, 0);
  // Editing keys work on committed text: Backspace twice, then Enter.
  await page.keyboard.insertText("typo!!");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Enter");
  await waitMessage(ann, "bob:typo");
  await page.waitForTimeout(300);
  // Each Enter sent its line once (a key stays down through the frames ImGui is laid out again in).
  const typed = texts(await stateOf(ann)).filter((l) => l.startsWith("bob:"));
  assert.deepEqual(typed, ["bob:typed on a keyboard", "bob:and again", "bob:καλημέρα, привет, café — 你好 👋", "bob:typo"]);
  writeFileSync(artifactPath("text-room-2.png"), await page.screenshot());
  writeFileSync(artifactPath("text-room-2-receiver.png"), await ann.page.screenshot());
  assert.deepEqual(errors, []);
  await ann.context.close();
  await context.close();
});

test("keys pressed while the room screen is still to be drawn reach its chat input, the first one too", async () => {
  const room = freshRoom("first-key");
  // A member that never answers a call: bob's connections to the room stay unfinished, so his page puts off
  // drawing the room screen (core/frame_pacing), and the first key pressed comes in the frame that shows it.
  const ghost = await env.browser.newContext();
  const ghostPage = await ghost.newPage();
  await ghostPage.goto(env.server.url);
  assert.equal(await ghostPage.evaluate(async (room) => {
    const post = (path) => fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                          body: JSON.stringify({ username: "ghost", room }) }).then((r) => r.json());
    const token = (await post("/api/token")).v;
    const host = (await post("/api/host")).v;
    return new Promise((resolve) => {
      window.ghostSocket = new WebSocket(host + "/v2/" + token);
      ghostSocket.onopen = () => resolve("open");
      ghostSocket.onerror = () => resolve("error");
    });
  }, room), "open");
  const bob = await openMember("bob", room);
  await join(bob);
  await bob.page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 10_000 });
  await bob.page.keyboard.type("hello", { delay: 15 });
  await bob.page.keyboard.press("Enter");
  await bob.page.waitForFunction(() => window.imroom.state().messages.length > 0, null, { timeout: 5_000 });
  assert.deepEqual(texts(await stateOf(bob)), ["bob:hello"]);
  assert.deepEqual(bob.errors, []);
  await bob.context.close();
  await ghost.close();
});

test("four pages in a group chat: every message reaches every member exactly once; a private one only its target",
  async () => {
    const room = freshRoom("group");
    const members = [];
    for (const name of ["ann", "bob", "cat", "dan"]) {
      const m = await openMember(name, room);
      await join(m);
      members.push(m);
    }
    await waitMesh(members);
    for (const m of members) {
      await m.page.evaluate((n) => { for (let i = 0; i < 5; i++) window.imroom.send(`${n} says ${i}`); }, m.username);
    }
    await members[0].page.evaluate(() => window.imroom.send("only for cat", { to: "cat" }));
    const expected = [];
    for (const m of members) for (let i = 0; i < 5; i++) expected.push(`${m.username}:${m.username} says ${i}`);
    for (const m of members) {
      await m.page.waitForFunction((n) => window.imroom.state().messages.length >= n,
                                   expected.length + (m.username === "ann" || m.username === "cat" ? 1 : 0),
                                   { timeout: 10_000 });
    }
    await members[0].page.waitForTimeout(500);  // anything extra (a duplicate) would arrive now
    for (const m of members) {
      const s = await stateOf(m);
      const got = texts(s).filter((t) => !t.endsWith("only for cat"));
      assert.deepEqual(got.slice().sort(), expected.slice().sort(), `${m.username}'s log`);
      const privateCopies = texts(s).filter((t) => t === "ann:only for cat").length;
      assert.equal(privateCopies, m.username === "ann" || m.username === "cat" ? 1 : 0, `${m.username}: private`);
      assert.equal(s.pending, 0, `${m.username}: everything acknowledged`);
      assert.deepEqual(m.errors, []);
    }
    writeFileSync(artifactPath("text-room-4.png"), await members[2].page.screenshot());
    for (const m of members) await m.context.close();
  });

test("a member closes the tab: the others see it leave; it comes back with the same name and chat resumes",
  async () => {
    const { room, ann, bob } = await meshedPair("rejoin");
    const closedAt = Date.now();
    await bob.context.close();
    await ann.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 5_000 });
    const leftAfter = Date.now() - closedAt;
    assert.ok(leftAfter < 5_000, `leave seen after ${leftAfter} ms`);
    const bob2 = await openMember("bob", room);
    await join(bob2);
    await waitMesh([ann, bob2]);
    await ann.page.evaluate(() => window.imroom.send("welcome back"));
    await bob2.page.evaluate(() => window.imroom.send("thanks"));
    await waitMessage(bob2, "ann:welcome back");
    await waitMessage(ann, "bob:thanks");
    await ann.context.close();
    await bob2.context.close();
  });

test("a member's signaling connection is cut: it reconnects, no one sees it leave, and the chat goes on",
  async () => {
    // ann signals through a relay that the test cuts (a reset both ways, no close frame): the server keeps her
    // place for its rejoin grace, and her page comes back to it. Her data channel to bob never depended on it.
    const relay = await startTcpRelay(env.server.port);
    const { ann, bob } = await meshedPair("cut", relay);
    await bob.page.evaluate(() => {
      window.__seen = [];
      window.imroom.on("peer", (d) => window.__seen.push(`${d.username}:${d.event}:${d.channel || ""}`));
    });
    relay.cut();
    await ann.page.waitForFunction(() => window.imroom.state().signaling === "reconnecting", null, { timeout: 5_000 });
    await bob.page.evaluate(() => window.imroom.send("while ann reconnects"));
    await ann.page.evaluate(() => window.imroom.send("from ann, reconnecting"));
    await ann.page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 10_000 });
    await ann.page.evaluate(() => window.imroom.send("from ann, back"));
    await waitMessage(ann, "bob:while ann reconnects");
    await waitMessage(bob, "ann:from ann, reconnecting");
    await waitMessage(bob, "ann:from ann, back");
    await bob.page.waitForTimeout(1000);  // a late "left" would show by now
    assert.deepEqual(await bob.page.evaluate(() => window.__seen), [], "bob saw ann's session change");
    const peer = (await stateOf(bob)).peers.find((p) => p.username === "ann");
    assert.ok(peer && peer.present && peer.channel === "open", JSON.stringify(peer));
    for (const m of [ann, bob]) {
      const lines = texts(await stateOf(m));
      for (const l of ["bob:while ann reconnects", "ann:from ann, reconnecting", "ann:from ann, back"]) {
        assert.equal(lines.filter((x) => x === l).length, 1, `${m.username}: ${l} once`);
      }
    }
    await ann.context.close();
    await bob.context.close();
    relay.close();
  });

test("a member's connection is gone for good: its name is held for the grace, a new tab is told until when, " +
     "and then the others see it leave", async () => {
  const relay = await startTcpRelay(env.server.port);
  const { room, ann, bob } = await meshedPair("gone", relay);
  relay.close();  // ann's page lives on but can reach the server no more
  const cutAt = Date.now();
  const again = await openMember("ann", room);  // the same person, in a new tab
  const error = await again.page.evaluate(() => window.imroom.join().then(() => "joined", (e) => e.message));
  assert.match(error, /held in room .* for a page whose connection dropped.*free again in \d+ s/);
  assert.match((await stateOf(again)).status.text, /free again in \d+ s/);
  await again.page.waitForTimeout(500);  // a changed screen may wait up to 300 ms for its frame (frame pacing)
  writeFileSync(artifactPath("text-room-name-held.png"), await again.page.screenshot());
  assert.equal((await stateOf(bob)).peers.length, 1, "bob saw ann leave before her grace ended");
  await bob.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 20_000 });
  const leftAfter = Date.now() - cutAt;
  assert.ok(leftAfter >= 8_000, `ann left after ${leftAfter} ms, within the 10 s grace`);
  await join(again);
  await waitMesh([again, bob]);
  await bob.page.evaluate(() => window.imroom.send("hello again"));
  await waitMessage(again, "bob:hello again");
  for (const m of [ann, bob, again]) await m.context.close();
});

test("a member back after its grace ran out: the others saw it leave; back, it gets what was said meanwhile, once, and chats again",
  async () => {
    const relay = await startTcpRelay(env.server.port);
    const { ann, bob } = await meshedPair("late", relay);
    relay.refuse(true);  // ann's network is down for longer than the 10 s grace
    await bob.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 20_000 });
    await bob.page.evaluate(() => window.imroom.send("said while ann was gone"));
    relay.refuse(false);
    await ann.page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 20_000 });
    await waitMesh([ann, bob], 30_000);
    await waitMessage(ann, "bob:said while ann was gone");
    await bob.page.waitForFunction(() => window.imroom.state().pending === 0, null, { timeout: 10_000 });
    assert.equal(texts(await stateOf(ann)).filter((t) => t === "bob:said while ann was gone").length, 1);
    await ann.page.waitForTimeout(500);  // a changed screen may wait up to 300 ms for its frame (frame pacing)
    writeFileSync(artifactPath("text-room-back-after-grace.png"), await ann.page.screenshot());
    await ann.page.evaluate(() => window.imroom.send("back at last"));
    await bob.page.evaluate(() => window.imroom.send("welcome back"));
    await waitMessage(bob, "ann:back at last");
    await waitMessage(ann, "bob:welcome back");
    for (const m of [ann, bob]) await m.context.close();
    relay.close();
  });

test("a member reloads its tab: back in the room on its own, with its chat, and what was said meanwhile once",
     async () => {
  const { ann, bob } = await meshedPair("reload");
  await ann.page.evaluate(() => window.imroom.send("before the reload"));
  await bob.page.evaluate(() => window.imroom.send("mine, private", { to: "ann" }));
  await waitMessage(bob, "ann:before the reload");
  await waitMessage(ann, "bob:mine, private");
  // Hidden (a phone switched apps; headless Chromium has no hidden pages, so the page is told so): the session is
  // kept then, and a line that arrives while hidden is kept too — the tab may be discarded next, unannounced.
  await bob.page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { get: () => "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await ann.page.evaluate(() => window.imroom.send("while hidden"));
  await waitMessage(bob, "ann:while hidden");
  await bob.page.waitForFunction(() => Object.keys(sessionStorage).some((k) => sessionStorage.getItem(k).includes("while hidden")),
                                 null, { timeout: 5_000 });
  // bob's new page waits at its join until ann has said something while he was gone.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await bob.page.route("**/api/join", async (route) => { await held; await route.continue(); });
  const reloading = bob.page.reload();
  await ann.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 10_000 });
  await ann.page.evaluate(() => window.imroom.send("while bob reloaded"));
  await reloading;
  release();
  await waitForFrames(bob.page, 1);
  await waitMesh([ann, bob]);
  await waitMessage(bob, "ann:while bob reloaded");
  const lines = texts(await stateOf(bob));
  for (const line of ["ann:before the reload", "bob:mine, private", "ann:while hidden", "ann:while bob reloaded"]) {
    assert.equal(lines.filter((l) => l === line).length, 1, line);
  }
  assert.ok((await stateOf(ann)).events.some((e) => /bob is back: sending 1 message/.test(e.text)));
  await bob.page.evaluate(() => window.imroom.send("back"));
  await waitMessage(ann, "bob:back");
  await bob.page.waitForTimeout(500);  // a changed screen may wait up to 300 ms for its frame (frame pacing)
  writeFileSync(artifactPath("text-room-reloaded.png"), await bob.page.screenshot());
  assert.deepEqual(ann.errors, []);
  await ann.context.close();
  await bob.context.close();
});

test("two rooms on one server never see each other", async () => {
  const red = freshRoom("red"), blue = freshRoom("blue");
  const ann = await openMember("ann", red);
  const bob = await openMember("bob", red);
  const cat = await openMember("ann", blue);  // the same name in another room is another person
  for (const m of [ann, bob, cat]) await join(m);
  await waitMesh([ann, bob]);
  await ann.page.evaluate(() => window.imroom.send("red team only"));
  await cat.page.evaluate(() => window.imroom.send("blue team only"));
  await waitMessage(bob, "ann:red team only");
  await bob.page.waitForTimeout(500);
  const c = await stateOf(cat);
  assert.deepEqual(c.peers, []);
  assert.deepEqual(texts(c), ["ann:blue team only"]);
  assert.ok(!texts(await stateOf(bob)).includes("ann:blue team only"));
  for (const m of [ann, bob, cat]) await m.context.close();
});

test("a name already in the room is refused with a clear message, and the first member is untouched", async () => {
  const room = freshRoom("taken");
  const ann = await openMember("ann", room);
  await join(ann);
  const twin = await openMember("ann", room);
  const error = await twin.page.evaluate(() => window.imroom.join().then(() => "joined", (e) => e.message));
  assert.match(error, /already taken/);
  const s = await stateOf(twin);
  assert.equal(s.ui.screen, "join");
  assert.match(s.status.text, /already taken/);
  assert.equal((await stateOf(ann)).signaling, "connected");
  await twin.page.waitForTimeout(500);  // a changed screen may wait up to 300 ms for its frame (frame pacing)
  writeFileSync(artifactPath("text-room-name-taken.png"), await twin.page.screenshot());
  await ann.context.close();
  await twin.context.close();
});

test("names in any script: typed into the form, chatted under, and a look-alike of a member's is refused", async () => {
  const room = freshRoom("names");
  const li = await openMember("李雷", room);  // from the link
  await join(li);
  // Борис types his name with an input method into the focused name field and presses Enter.
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.server.url}?room=${room}`);
  await waitForFrames(page, 2);
  const boris = { username: "Борис", context, page, errors };
  await page.keyboard.insertText("Борис");
  await page.keyboard.press("Enter");
  await waitMesh([li, boris]);
  // The room's chat field takes the keyboard in the room screen's first frames.
  await page.waitForFunction(() => { const u = window.imroom.state().ui; return u.screen === "room" && u.textField; });
  assert.deepEqual((await stateOf(li)).peers.map((p) => p.username), ["Борис"]);
  assert.equal((await stateOf(boris)).self.username, "Борис");
  await page.keyboard.insertText("привет");
  await page.keyboard.press("Enter");
  await waitMessage(li, "Борис:привет");
  await li.page.evaluate(() => window.imroom.send("你好"));
  await waitMessage(boris, "李雷:你好");

  // "БОРИС" is Борис in capitals: on the screen, one could pass for the other.
  const alike = await openMember("БОРИС", room);
  const error = await alike.page.evaluate(() => window.imroom.join().then(() => "joined", (e) => e.message));
  assert.match(error, /looks too much like 'Борис'/);
  await alike.page.waitForTimeout(300);
  writeFileSync(artifactPath("text-room-name-alike.png"), await alike.page.screenshot());
  // Latin "a" among Cyrillic letters is refused before anything is sent.
  const mixed = await alike.page.evaluate(() => window.imroom.join({ room: "x", username: "Бaрис" })
    .then(() => "joined", (e) => e.message));
  assert.match(mixed, /mixes letters of different scripts/);
  // A name pasted with a combining accent (e + U+0308) is the same name as the one written with ë.
  await alike.page.evaluate(() => window.imroom.join({ room: "elsewhere-" + Date.now(), username: "Zoe\u0308" }));
  assert.equal((await stateOf(alike)).self.username, "Zoë");
  await alike.page.evaluate(() => window.imroom.leave());
  await page.waitForTimeout(300);
  writeFileSync(artifactPath("text-room-names.png"), await page.screenshot());
  writeFileSync(artifactPath("text-room-name-mixed.png"), await alike.page.screenshot());
  assert.equal((await stateOf(boris)).ui.glyphsMissing, 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(li.errors, []);
  for (const m of [li, boris, alike]) await m.context.close();
});

test("the server restarts mid-session: clients reconnect on their own, presence comes back, nothing is lost",
  async () => {
    const first = await startServer();
    const port = first.port;
    const room = freshRoom("restart");
    const members = [];
    for (const name of ["ann", "bob", "cat"]) {
      const m = await openMember(name, room, first);
      await join(m);
      members.push(m);
    }
    await waitMesh(members);
    const [ann, bob, cat] = members;
    await first.stop();
    await ann.page.waitForFunction(() => window.imroom.state().signaling === "reconnecting", null, { timeout: 5_000 });
    // Typed while the server is away: the data channels carry it.
    await ann.page.evaluate(() => window.imroom.send("during the outage"));
    await bob.page.evaluate(() => window.imroom.send("private during the outage", { to: "cat" }));
    const second = await startServer({ port });
    try {
      for (const m of members) {
        await m.page.waitForFunction(() => {
          const s = window.imroom.state();
          return s.signaling === "connected" && s.peers.length === 2 && s.peers.every((p) => p.present);
        }, null, { timeout: 20_000 });
      }
      // A newcomer after the restart reaches everyone too.
      const dan = await openMember("dan", room, second);
      await join(dan);
      await waitMesh([...members, dan]);
      await cat.page.evaluate(() => window.imroom.send("after the restart"));
      for (const m of [ann, bob, dan]) await waitMessage(m, "cat:after the restart");
      await waitMessage(bob, "ann:during the outage");
      await waitMessage(cat, "bob:private during the outage");
      await ann.page.waitForTimeout(500);
      for (const m of members) {
        const lines = texts(await stateOf(m));
        assert.equal(lines.filter((l) => l === "ann:during the outage").length, 1, `${m.username}: once`);
        assert.equal(lines.filter((l) => l === "bob:private during the outage").length,
                     m.username === "bob" || m.username === "cat" ? 1 : 0, `${m.username}: private`);
      }
      for (const m of [...members, dan]) await m.context.close();
    } finally {
      await second.stop();
    }
  });

test("an unreachable server is reported, retried, and joined as soon as it is back", async () => {
  const srv = await startServer();
  const port = srv.port;
  const ann = await openMember("ann", freshRoom("down"), srv);
  await srv.stop();
  const errors = ann.page.evaluate(() => new Promise((resolve) => {
    window.imroom.on("error", (e) => resolve(e));
    window.imroom.join().catch(() => {});
  }));
  const first = await errors;
  assert.equal(first.code, "server_unreachable");
  assert.equal(first.fatal, false);
  assert.match(first.message, /Cannot reach the imroom server.*Retrying in/);
  const again = await startServer({ port });
  try {
    await ann.page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 20_000 });
  } finally {
    await ann.context.close();
    await again.stop();
  }
});

test("two ImRoom instances on one page are independent members that chat with each other", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "imroom-two-"));
  for (const f of readdirSync(WEB_ROOT)) cpSync(path.join(WEB_ROOT, f), path.join(root, f));
  writeFileSync(path.join(root, "two.html"), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
    <style>canvas{width:480px;height:400px;display:inline-block}</style>
    <canvas id="a"></canvas><canvas id="b"></canvas>
    <script src="imroom.js"></script>
    <script>
      window.ready = Promise.all([
        ImRoom.create({ canvas: document.getElementById("a"), room: "${freshRoom("two")}", username: "left" }),
        ImRoom.create({ canvas: document.getElementById("b"), room: "${freshRoom("two")}-x", username: "right" }),
      ]).then((rooms) => { window.rooms = rooms; });
    </script>`);
  const srv = await startServer({ root });
  try {
    const context = await env.browser.newContext({ viewport: { width: 1000, height: 450 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(srv.url + "two.html");
    await page.evaluate(() => window.ready);
    // Both join the left one's room; each has its own socket, peer connection and chat log.
    await page.evaluate(async () => {
      const room = window.rooms[0].state().self.room;
      await window.rooms[0].join();
      await window.rooms[1].join({ room });
    });
    await page.waitForFunction(() => window.rooms.every((r) => r.state().peers.length === 1 &&
                                                            r.state().peers[0].channel === "open"), null, { timeout: 10_000 });
    await page.evaluate(() => { window.rooms[0].send("from the left"); window.rooms[1].send("from the right"); });
    await page.waitForFunction(() => window.rooms.every((r) => r.state().messages.length === 2), null, { timeout: 5_000 });
    const [l, r] = await page.evaluate(() => window.rooms.map((x) => x.state()));
    assert.equal(l.self.username, "left");
    assert.equal(r.self.username, "right");
    assert.equal(l.peers[0].username, "right");
    assert.equal(r.peers[0].username, "left");
    await page.waitForTimeout(300);
    writeFileSync(artifactPath("text-room-two-instances.png"), await page.screenshot());
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await srv.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test("a link in a chat line opens in a new tab from the line's menu, and only http(s) links do", async () => {
  const { ann, bob } = await meshedPair("link");
  const target = `${env.server.url}?room=${freshRoom("elsewhere")}`;
  await bob.page.evaluate((t) => window.imroom.send(`the agenda: ${t}.`), target);
  await waitMessage(ann, `bob:the agenda: ${target}.`);
  await ann.page.waitForTimeout(500);  // drawn
  // The first chat line; its menu opens at the pointer: Copy message, Open link, Copy link.
  await ann.page.mouse.click(520, 74, { button: "right" });
  await ann.page.waitForTimeout(300);
  writeFileSync(artifactPath("text-room-line-menu.png"), await ann.page.screenshot());
  const opened = ann.context.waitForEvent("page", { timeout: 5_000 });
  await ann.page.mouse.click(560, 128);
  const tab = await opened;
  await tab.waitForLoadState("domcontentloaded");
  assert.equal(tab.url(), target, "the link without the sentence's full stop");
  assert.equal(await tab.evaluate(() => window.opener), null, "the new tab cannot reach back");
  // Only http(s) links are offered and opened (javascript:, data:, file: are refused: unit tests Room.OnlyWebLinks…
  // and FirstLink.*).
  assert.deepEqual(ann.errors, []);
  await ann.context.close();
  await bob.context.close();
});
