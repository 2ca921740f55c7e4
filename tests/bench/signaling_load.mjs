// Benchmark: imroom-server's signaling against the PeerJS server (reference), same load generator, same run.
// For each server: open CONNS WebSocket clients in ROOMS rooms (memory per idle connection from the server's
// RSS), then PAIRS pairs relay directed messages with WINDOWS in flight each (delivered messages/s, one-way
// latency p50/p99, server CPU). Usage: scripts/bench signaling_load [conns] [seconds]
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { ROOT, SERVER_BIN } from "../e2e/lib/harness.mjs";

const CONNS = Number(process.argv[2] || 10000);
const SECONDS = Number(process.argv[3] || 5);
const ROOMS = Math.max(1, Math.floor(CONNS / 100));
const PAIRS = Math.min(100, ROOMS * 50);
// Two load shapes: one message in flight each way per pair (every read holds one frame: nothing to batch), and
// eight (bursts, as when a browser gathers ICE candidates: a read holds several frames for one recipient).
const WINDOWS = [1, 8];
const LOADGEN = path.join(ROOT, "build/native/tests/bench/loadgen");

async function startProcess(cmd, args, readyPattern) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${out}`)), 15_000);
    const onData = (d) => { out += d; if (readyPattern.test(out)) { clearTimeout(timer); resolve(); } };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited ${code}:\n${out}`)); });
  });
  child.removeAllListeners("exit");
  return child;
}

function loadgen(target, port, pid, window) {
  const out = execFileSync(LOADGEN, ["--target", target, "--port", String(port), "--server-pid", String(pid),
    "--conns", String(CONNS), "--rooms", String(ROOMS), "--pairs", String(PAIRS), "--windows", String(window),
    "--seconds", String(SECONDS), "--secret", "bench-secret"], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop());
}

async function stop(child) {
  child.kill("SIGTERM");
  await once(child, "exit");
}

// A fresh server per load shape, so one shape's heap never weighs on the next; the servers alternate.
async function measure(target, window) {
  const port = target === "imroom" ? 9300 : 9301;
  const server = target === "imroom"
    ? await startProcess(SERVER_BIN, ["--port", String(port), "--root", "/nonexistent", "--no-access-log",
        "--token-secret", "bench-secret", "--max-connections-per-address", "1000000", "--max-frames-per-second", "1000000",
        "--max-users-per-room", "100000", "--max-queued-bytes", "67108864", "--idle-timeout", "600"], /serving/)
    : await startProcess("node", [path.join(ROOT, "tests/bench/reference/peerjs_server.mjs"), String(port)], /listening/);
  try {
    return loadgen(target, port, server.pid, window);
  } finally {
    await stop(server);
  }
}

const results = { imroom: { phases: [] }, peerjs: { phases: [] } };
for (const window of WINDOWS) {
  for (const target of ["imroom", "peerjs"]) {
    const r = await measure(target, window);
    results[target].phases.push(...r.phases);
    if (!results[target].open) Object.assign(results[target], { open: r.open, connect_s: r.connect_s, bytes_per_conn: r.bytes_per_conn });
  }
}

const row = (name, r, p) => `${name.padEnd(16)} ${String(p.window).padStart(6)}  ${String(r.open).padStart(6)}  ` +
  `${(r.bytes_per_conn / 1024).toFixed(1).padStart(8)}  ${String(p.msgs_per_s).padStart(8)}  ` +
  `${(p.p50_us / 1000).toFixed(2).padStart(7)}  ${(p.p99_us / 1000).toFixed(2).padStart(7)}  ${p.server_cpu.toFixed(2).padStart(5)}  ` +
  `${p.client_cpu.toFixed(2).padStart(7)}  ${cpuPerMessage(p).toFixed(1).padStart(9)}`;
// Server CPU per relayed message (µs): what a message costs the server, whoever else is using the cores.
const cpuPerMessage = (p) => p.server_cpu / p.msgs_per_s * 1e6;
console.log(`signaling load: ${CONNS} connections in ${ROOMS} rooms, ${PAIRS} relaying pairs, ${SECONDS} s per window, ` +
  `loopback, 2 cores (server and load generator share them)`);
console.log("server           window    open  KiB/conn    msgs/s   p50 ms   p99 ms    cpu  gen cpu  cpu µs/msg");
WINDOWS.forEach((w, i) => {
  console.log(row("imroom-server", results.imroom, results.imroom.phases[i]));
  console.log(row("PeerJS (ref)", results.peerjs, results.peerjs.phases[i]));
});
WINDOWS.forEach((w, i) => {
  const a = results.imroom.phases[i], b = results.peerjs.phases[i];
  console.log(`ratios imroom/PeerJS, window ${w}: message rate ${(a.msgs_per_s / b.msgs_per_s).toFixed(2)}x, ` +
    `p99 ${(a.p99_us / b.p99_us).toFixed(2)}x, server CPU per message ${(cpuPerMessage(a) / cpuPerMessage(b)).toFixed(2)}x`);
});
console.log(`memory per idle connection imroom/PeerJS: ${(results.imroom.bytes_per_conn / results.peerjs.bytes_per_conn).toFixed(2)}x`);
console.log(JSON.stringify(results));
