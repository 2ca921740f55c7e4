// Shared by the browser tests and benchmarks: start the real imroom-server, launch Debian's Chromium.
// Everything stays on loopback; scripts/test runs these inside a network namespace of their own.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const SERVER_BIN = process.env.IMROOM_SERVER_BIN || path.join(ROOT, "build/native/src/server/imroom-server");
export const WEB_ROOT = process.env.IMROOM_WEB_ROOT || path.join(ROOT, "build/web/dist");
export const ARTIFACTS = path.join(ROOT, "test-results");

// Starts imroom-server on a free loopback port; resolves to { url, port, logs(), stop() }.
// `port` 0 = any free port; a fixed port lets a test restart the server where clients expect it. `env`: more
// environment variables (proxy mode's XIRSYS_* come only from there).
export async function startServer({ root = WEB_ROOT, args = [], port: wanted = 0, env = {} } = {}) {
  const child = spawn(SERVER_BIN, ["--port", String(wanted), "--root", root, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let log = "";
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("imroom-server did not start:\n" + log)), 10_000);
    child.stderr.on("data", (d) => {
      log += d;
      const m = /on http:\/\/[^:]+:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`imroom-server exited ${code}:\n${log}`)); });
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    logs: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

// A TCP relay on loopback in front of `port`: a page loaded through it (url) also signals through it (the
// server names the host the page asked for). cut() resets every connection through it, both ways, with no
// WebSocket close frame — what a network drop or a dying proxy does; new connections are relayed as before,
// unless refuse(true) says the network is down: they are reset as they come, until refuse(false).
export async function startTcpRelay(port) {
  const pairs = new Set();
  let refusing = false;
  const relay = net.createServer((client) => {
    if (refusing) return client.resetAndDestroy();
    const upstream = net.connect(port, "127.0.0.1");
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  relay.listen(0, "127.0.0.1");
  await once(relay, "listening");
  const relayPort = relay.address().port;
  return {
    url: `http://127.0.0.1:${relayPort}/`,
    cut() {
      for (const { client, upstream } of pairs) { client.resetAndDestroy(); upstream.resetAndDestroy(); }
      pairs.clear();
    },
    refuse(on) { refusing = on; if (on) this.cut(); },
    close() { this.cut(); relay.close(); },
  };
}

// Chromium flags from TOOLCHAIN.md: no background traffic, fake camera/microphone, loopback ICE.
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-quic", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions",
  "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
];

// IMROOM_CHROMIUM_ARGS (space-separated) adds flags to every launch, for diagnostics.
export async function launchBrowser(extraArgs = []) {
  const fromEnv = (process.env.IMROOM_CHROMIUM_ARGS || "").split(" ").filter(Boolean);
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs, ...fromEnv],
  });
}

// Collects console errors and uncaught exceptions of a page, for "no console errors" checks.
export function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

// Waits until the page's ImRoom instance (window.imroom) exists and has drawn `frames` frames.
export async function waitForFrames(page, frames = 1, timeout = 20_000) {
  await page.waitForFunction((n) => window.imroom && window.imroom.state().ui.frames >= n, frames, { timeout });
}

export function artifactPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

// One imroom-server and one Chromium shared by a test file: started before its first test, stopped after its
// last. Use as `const env = useServerAndBrowser();` then `env.server`, `env.browser` inside the tests.
export function useServerAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
