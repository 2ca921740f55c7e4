// Helpers for browser tests of rooms: a member is one page of the app in a context of its own.
import { watchErrors, waitForFrames } from "./harness.mjs";

// A page of the app served by `srv`, with the name and room prefilled; nothing joined yet.
export async function openMember(browser, srv, username, room) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${srv.url}?room=${room}&name=${encodeURIComponent(username)}`);
  await waitForFrames(page, 2);
  return { username, context, page, errors };
}

// Waits until every member has an open data channel to every other.
export async function waitMesh(members, timeout = 15_000) {
  await Promise.all(members.map((m) => m.page.waitForFunction((n) => {
    const s = window.imroom.state();
    return s.peers.length === n && s.peers.every((p) => p.channel === "open");
  }, members.length - 1, { timeout })));
}

export const texts = (state) => state.messages.map((m) => `${m.from}:${m.text}`);
export const stateOf = (m) => m.page.evaluate(() => window.imroom.state());

export async function waitMessage(member, line, timeout = 10_000) {
  await member.page.waitForFunction((l) => window.imroom.state().messages.some((m) => `${m.from}:${m.text}` === l),
                                    line, { timeout });
}
