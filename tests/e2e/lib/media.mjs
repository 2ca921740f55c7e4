// Shared by the video browser tests: a member's page that keeps a list of its open peer connections (to look at
// their senders), and the loudest audio level it hears.
import { watchErrors, waitForFrames } from "./harness.mjs";

// Opens `serverUrl` as `username` in `room` with `media` (text | audio | video) in a new context of `browser`.
export async function openMember(browser, serverUrl, username, room, media) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    window.__pcs = [];
    window.RTCPeerConnection = function (config) {
      const pc = new Original(config);
      window.__pcs.push(pc);
      // A closed connection leaves the list (the app makes and closes one when idle, to start WebRTC early).
      const close = pc.close.bind(pc);
      pc.close = () => { window.__pcs = window.__pcs.filter((p) => p !== pc); close(); };
      return pc;
    };
    window.RTCPeerConnection.prototype = Original.prototype;
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${serverUrl}?room=${room}&name=${username}&media=${media}`);
  // A page loading next to two or three camera pages on two cores (software video and WebGL) once took over
  // 20 s to draw its first frame: the load is slow there, and what the video tests check comes after it.
  await waitForFrames(page, 1, 60_000);
  return { username, context, page, errors };
}

// The loudest audio level (0..1) heard from the first peer over `ms` milliseconds.
export async function loudest(member, ms) {
  return member.page.evaluate(async (ms) => {
    let max = 0;
    for (const end = Date.now() + ms; Date.now() < end;) {
      max = Math.max(max, window.imroom.state().peers[0].audioLevel);
      await new Promise((r) => setTimeout(r, 50));
    }
    return max;
  }, ms);
}
