// A phone: touch only. A swipe scrolls the chat, a long press opens a line's menu, a tap chooses from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { useServerAndBrowser, watchErrors, waitForFrames, artifactPath } from "./lib/harness.mjs";

const env = useServerAndBrowser();

// Touch events as a phone sends them (Chrome DevTools Protocol: Playwright has a tap but no swipe or hold).
function finger(cdp, page) {
  const point = (x, y) => [{ x, y }];
  return {
    async swipe(x, y0, y1, steps = 12) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: point(x, y0) });
      for (let i = 1; i <= steps; i++) {
        const y = y0 + ((y1 - y0) * i) / steps;
        await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: point(x, y) });
        await page.waitForTimeout(16);
      }
      await page.waitForTimeout(250);  // rests before lifting: no momentum, so the end position is known
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    },
    async hold(x, y, ms = 800) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: point(x, y) });
      await page.waitForTimeout(ms);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    },
  };
}

test("on a phone: a swipe scrolls the chat, a long press opens a line's menu, a tap opens its link", async () => {
  const context = await env.browser.newContext({ viewport: { width: 400, height: 700 }, hasTouch: true, isMobile: true,
                                                 deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const room = `phone-${process.pid}`;
  await page.goto(`${env.server.url}?room=${room}&name=ann`);
  await waitForFrames(page, 2);
  // A phone's main pointer is a finger ("pointer: coarse"): the touch theme, controls sized for fingers.
  assert.equal((await page.evaluate(() => window.imroom.state())).look.touch, true);
  await page.touchscreen.tap(200, 476);  // "Join", as drawn in a 400x700 window (the touch theme)
  await page.waitForFunction(() => window.imroom.state().signaling === "connected", null, { timeout: 10_000 });
  const link = (i) => `${env.server.url}?room=line-${i}`;
  for (let i = 0; i < 40; i++) await page.evaluate((t) => window.imroom.send(t), `${i}: ${link(i)}`);
  await page.waitForTimeout(600);  // drawn, the log at its newest line

  // The first line on screen, read through its menu: hold it, tap "Open link", see which page opens.
  const cdp = await context.newCDPSession(page);
  const touch = finger(cdp, page);
  async function topLine(shot) {
    await touch.hold(200, 112);
    await page.waitForTimeout(200);
    if (shot) writeFileSync(artifactPath(shot), await page.screenshot());
    const opened = context.waitForEvent("page", { timeout: 5_000 });
    await page.touchscreen.tap(240, 112 + 54);  // the menu's second item, below the finger
    const tab = await opened;
    await tab.waitForLoadState("domcontentloaded");
    const n = Number(new URL(tab.url()).searchParams.get("room").replace("line-", ""));
    await tab.close();
    return n;
  }
  const before = await topLine("touch-line-menu.png");
  assert.ok(before > 15, `the log shows its newest lines first (top line ${before})`);
  await touch.swipe(200, 200, 460);  // 260 px down: six messages (two rows each here) come into view
  await page.waitForTimeout(300);
  writeFileSync(artifactPath("touch-scrolled.png"), await page.screenshot());
  const after = await topLine();
  assert.ok(after <= before - 5 && after >= before - 7,
            `a 260 px swipe moved the log ~6 messages (${before} → ${after})`);

  // A tap on the message field: the hidden textarea takes the keyboard inside the touchend handler itself (phones
  // open their keyboard only for that), not a frame later.
  await page.touchscreen.tap(200, 82);  // the room's title: nothing to type into
  await page.waitForFunction(() => document.activeElement === document.querySelector("canvas"));
  await page.evaluate(() => {
    window.focusAtTouchEnd = null;
    document.querySelector("canvas").addEventListener("touchend", () => {
      window.focusAtTouchEnd = document.activeElement.className || document.activeElement.tagName;
    });
  });
  await touch.hold(235, 538, 120);  // a finger's tap: ~100 ms down
  assert.equal(await page.evaluate(() => window.focusAtTouchEnd), "imroom-text-input");
  await page.waitForFunction(() => window.imroom.state().ui.textField);
  await page.keyboard.insertText("typed on a phone");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.imroom.state().messages.some((m) => m.text === "typed on a phone"));
  assert.deepEqual(errors, []);
  await context.close();
});
