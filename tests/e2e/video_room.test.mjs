// Video rooms in a real Chromium with the fake camera and microphone: the camera is asked for on join, its
// tracks go to every peer connection, and each remote camera is drawn as an ImGui tile from a WebGL texture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { useServerAndBrowser, artifactPath } from "./lib/harness.mjs";
import { openMember as openMemberIn, loudest } from "./lib/media.mjs";
import { decodePng } from "./lib/png.mjs";

const env = useServerAndBrowser();

const openMember = (username, room, media) => openMemberIn(env.browser, env.server.url, username, room, media);

// How many pixels differ between two screenshots inside a rectangle.
function changedPixels(a, b, x0, y0, w, h) {
  let n = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * a.width + x) * 4;
      if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 24) n++;
    }
  }
  return n;
}

test("two members with cameras see each other: remote tiles are drawn and keep changing", async () => {
  const room = `video-${process.pid}`;
  const ann = await openMember("ann", room, "video");
  const bob = await openMember("bob", room, "video");
  await ann.page.evaluate(() => window.imroom.join());
  await bob.page.evaluate(() => window.imroom.join());
  for (const m of [ann, bob]) {
    await m.page.waitForFunction(() => {
      const s = window.imroom.state();
      return s.self.camera && s.peers.length === 1 && s.peers[0].video && s.peers[0].framesDrawn > 5;
    }, null, { timeout: 20_000 });
  }
  const before = await ann.page.evaluate(() => window.imroom.state().peers[0].framesDrawn);
  // The tiles sit side by side above the chat: bob's is the right-hand one. The fake camera animates (a
  // sweeping disc, a running clock): within a few seconds the tile must change visibly.
  const shot1 = decodePng(await ann.page.screenshot());
  let changed = 0;
  for (let i = 0; i < 10 && changed <= 500; i++) {
    await ann.page.waitForTimeout(500);
    changed = changedPixels(shot1, decodePng(await ann.page.screenshot()), 660, 80, 300, 200);
  }
  const after = await ann.page.evaluate(() => window.imroom.state().peers[0].framesDrawn);
  assert.ok(after > before, `framesDrawn grows (${before} → ${after})`);
  assert.ok(changed > 500, `bob's tile changes over time (${changed} pixels)`);
  // The remote frames come as I420 planes (no RGBA conversion) and the shader turns them into the right colours:
  // the fake camera's background is green.
  const kinds = await ann.page.evaluate(() => Array.from(document.querySelectorAll("video"), (v) => v.imroomPixels && v.imroomPixels.yuv));
  assert.ok(kinds.includes(true), `a video copied as YUV (${kinds})`);
  const png = decodePng(await ann.page.screenshot());
  const at = (x, y) => { const i = (y * png.width + x) * 4; return [png.data[i], png.data[i + 1], png.data[i + 2]]; };
  const [r, g, b] = at(700, 120);  // inside bob's tile, off the disc
  assert.ok(g > 100 && g > r + 60 && g > b + 60, `bob's tile is green (${r},${g},${b})`);
  writeFileSync(artifactPath("video-room-2.png"), await ann.page.screenshot());
  // Sound too: the fake microphone beeps, and the level shows on the tile (the speaking ring).
  // (Silence measures under 0.01 — see the muted check below; a beep 0.04-0.3 depending on the machine's load.)
  const level = await loudest(ann, 6_000);
  assert.ok(level > 0.03, `bob's beeps are heard (loudest level ${level})`);
  // Chat still works beside the video.
  await bob.page.evaluate(() => window.imroom.send("nice camera"));
  await ann.page.waitForFunction(() => window.imroom.state().messages.some((m) => m.text === "nice camera"));
  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  // Leaving removes the tile, its texture and its hidden video element.
  await bob.page.evaluate(() => window.imroom.leave());
  await ann.page.waitForFunction(() => window.imroom.state().peers.length === 0, null, { timeout: 5_000 });
  await ann.page.waitForFunction(() => document.querySelectorAll("video").length === 1);  // ann's own preview
  assert.equal(await bob.page.evaluate(() => document.querySelectorAll("video").length), 0, "bob's camera is off");
  await ann.context.close();
  await bob.context.close();
});

test("a text-only member sees a video member's camera", async () => {
  const room = `mixed-${process.pid}`;
  const ann = await openMember("ann", room, "text");
  const bob = await openMember("bob", room, "video");
  await ann.page.evaluate(() => window.imroom.join());
  await bob.page.evaluate(() => window.imroom.join());
  await ann.page.waitForFunction(() => {
    const s = window.imroom.state();
    return s.peers.length === 1 && s.peers[0].video && s.peers[0].framesDrawn > 5;
  }, null, { timeout: 20_000 });
  const s = await ann.page.evaluate(() => window.imroom.state());
  assert.equal(s.self.camera, false);
  writeFileSync(artifactPath("video-room-mixed.png"), await ann.page.screenshot());
  await ann.context.close();
  await bob.context.close();
});

test("camera off shows the others a placeholder within a second; a text-only member starts a camera mid-call", async () => {
  const room = `switch-${process.pid}`;
  const ann = await openMember("ann", room, "text");
  const bob = await openMember("bob", room, "video");
  await ann.page.evaluate(() => window.imroom.join());
  await bob.page.evaluate(() => window.imroom.join());
  await ann.page.waitForFunction(() => window.imroom.state().peers[0]?.framesDrawn > 3, null, { timeout: 20_000 });
  const offAt = Date.now();
  await bob.page.evaluate(() => window.imroom.setCamera(false));
  await ann.page.waitForFunction(() => window.imroom.state().peers[0].cameraOff, null, { timeout: 1_000 });
  const seenAfter = Date.now() - offAt;
  assert.ok(seenAfter < 1_000, `placeholder after ${seenAfter} ms`);
  assert.equal(await ann.page.evaluate(() => window.imroom.state().peers[0].video), false);
  await ann.page.waitForTimeout(200);
  writeFileSync(artifactPath("video-room-camera-off.png"), await ann.page.screenshot());
  await bob.page.evaluate(() => window.imroom.setMicrophone(false));
  await ann.page.waitForFunction(() => window.imroom.state().peers[0].muted, null, { timeout: 1_000 });
  await ann.page.waitForTimeout(300);
  const silent = await loudest(ann, 2_500);
  assert.ok(silent < 0.01, `a muted microphone sends silence (loudest level ${silent})`);
  // ann joined as text and turns her camera on: the call is renegotiated and bob starts drawing her.
  await ann.page.evaluate(() => window.imroom.setCamera(true));
  await bob.page.waitForFunction(() => {
    const p = window.imroom.state().peers[0];
    return p.video && p.framesDrawn > 3;
  }, null, { timeout: 15_000 });
  assert.equal(await ann.page.evaluate(() => window.imroom.state().self.camera), true);
  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.context.close();
  await bob.context.close();
});

test("four members with cameras: each draws three remote tiles, the uplink is shared, a leaver's tile goes", async () => {
  const room = `four-${process.pid}`;
  const members = [];
  for (const name of ["ann", "bob", "cat", "dan"]) {
    const m = await openMember(name, room, "video");
    await m.page.evaluate(() => window.imroom.join());
    members.push(m);
  }
  for (const m of members) {
    await m.page.waitForFunction(() => {
      const s = window.imroom.state();
      return s.peers.length === 3 && s.peers.every((p) => p.video && p.framesDrawn > 3);
    }, null, { timeout: 60_000 });  // four camera pages on two cores: slow, and what is checked is that it happens
  }
  // The budget follows the connections there are: one that is set up again meanwhile (seen once in a full run on
  // this loaded machine: 1250, two connections) counts again once it is back.
  await members[0].page
    .waitForFunction(() => window.imroom.state().videoBudgetKbps === 833, null, { timeout: 10_000 })
    .catch(() => {});
  const s = await members[0].page.evaluate(() => window.imroom.state());
  assert.equal(s.videoBudgetKbps, 833, "2.5 Mbit/s shared by three connections");
  assert.equal(s.meshNotice, "", "four cameras are within the mesh's limit");
  // The cap reached the camera's sender on every connection (RTCRtpSender.getParameters).
  await members[0].page.waitForFunction(() => {
    const live = window.__pcs.filter((pc) => pc.connectionState === "connected");
    const senders = live.flatMap((pc) => pc.getSenders().filter((x) => x.track && x.track.kind === "video"));
    return live.length === 3 && senders.length === 3 && senders.every((x) => {
      const e = x.getParameters().encodings[0];
      return e && e.maxBitrate === 833333 && e.scaleResolutionDownBy === 1.5;
    });
  }, null, { timeout: 15_000 });
  writeFileSync(artifactPath("video-room-4.png"), await members[0].page.screenshot());
  await members[3].context.close();  // dan closes the tab
  await members[0].page.waitForFunction(() => window.imroom.state().peers.length === 2, null, { timeout: 15_000 });
  await members[0].page.waitForFunction(() => document.querySelectorAll("video").length === 3);  // own + two
  for (const m of members.slice(0, 3)) {
    assert.deepEqual(m.errors, []);
    await m.context.close();
  }
});
