// Benchmark: imroom-server's signaling against the PeerJS server (reference), same load generator, same run.
// For each server: open CONNS WebSocket clients in ROOMS rooms (memory per idle connection from the server's
// RSS), then PAIRS pairs relay directed messages with WINDOWS in flight each (delivered messages/s, one-way
// latency p50/p99, server CPU). A third server, the bare relay (tests/bench/bare_relay.cpp: no token, no JSON,
// no stamping, no limits — only the reads, the recipient's name and the writes), is the floor: what this machine
// and this generator allow any server. Usage: scripts/bench signaling_load [conns] [seconds] [rounds]
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { ROOT, SERVER_BIN } from "../e2e/lib/harness.mjs";

const CONNS = Number(process.argv[2] || 10000);
const SECONDS = Number(process.argv[3] || 5);
const ROUNDS = Number(process.argv[4] || 3);
const ROOMS = Math.max(1, Math.floor(CONNS / 100));
const PAIRS = Math.min(100, ROOMS * 50);
// Two load shapes: one message in flight each way per pair (every read holds one frame: nothing to batch), and
// eight (bursts, as when a browser gathers ICE candidates: a read holds several frames for one recipient).
const WINDOWS = [1, 8];
const LOADGEN = path.join(ROOT, "build/native/tests/bench/loadgen");
const BARE_RELAY = path.join(ROOT, "build/native/tests/bench/bare_relay");
const TARGETS = ["imroom", "peerjs", "bare"];

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
  const port = 9300 + TARGETS.indexOf(target);
  const server = target === "imroom"
    ? await startProcess(SERVER_BIN, ["--port", String(port), "--root", "/nonexistent", "--no-access-log",
        "--token-secret", "bench-secret", "--max-connections-per-address", "1000000", "--max-frames-per-second", "1000000",
        "--max-users-per-room", "100000", "--max-queued-bytes", "67108864", "--idle-timeout", "600"], /serving/)
    : target === "peerjs"
    ? await startProcess("node", [path.join(ROOT, "tests/bench/reference/peerjs_server.mjs"), String(port)], /listening/)
    : await startProcess(BARE_RELAY, [String(port)], /listening/);
  try {
    return loadgen(target, port, server.pid, window);
  } finally {
    await stop(server);
  }
}

// ROUNDS alternations of the three servers; the tables show each figure's median (this machine moves a lone run of
// the same build by ±20 %), with the range of the message rate.
const results = Object.fromEntries(TARGETS.map((t) => [t, { runs: WINDOWS.map(() => []), crossing_us: [] }]));
for (let round = 0; round < ROUNDS; ++round) {
  for (const [i, window] of WINDOWS.entries()) {
    for (const target of TARGETS) {
      const r = await measure(target, window);
      results[target].runs[i].push({ ...r.phases[0], open: r.open, connect_s: r.connect_s, bytes_per_conn: r.bytes_per_conn });
      results[target].crossing_us.push(r.crossing_us);
    }
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
for (const r of Object.values(results)) {
  r.phases = r.runs.map((runs) => {
    const m = {};
    for (const key of Object.keys(runs[0])) m[key] = median(runs.map((p) => p[key]));
    m.min_msgs_per_s = Math.min(...runs.map((p) => p.msgs_per_s));
    m.max_msgs_per_s = Math.max(...runs.map((p) => p.msgs_per_s));
    return m;
  });
  r.open = Math.min(...r.runs.flat().map((p) => p.open));
  r.bytes_per_conn = median(r.runs.flat().map((p) => p.bytes_per_conn));
}

const row = (name, r, p) => `${name.padEnd(16)} ${String(p.window).padStart(6)}  ${String(r.open).padStart(6)}  ` +
  `${(r.bytes_per_conn / 1024).toFixed(1).padStart(8)}  ${String(Math.round(p.msgs_per_s)).padStart(8)}  ` +
  `${`${p.min_msgs_per_s}-${p.max_msgs_per_s}`.padStart(13)}  ` +
  `${(p.p50_us / 1000).toFixed(2).padStart(7)}  ${(p.p99_us / 1000).toFixed(2).padStart(7)}  ${p.server_cpu.toFixed(2).padStart(5)}  ` +
  `${p.client_cpu.toFixed(2).padStart(7)}  ${cpuPerMessage(p).toFixed(1).padStart(9)}`;
// Server CPU per relayed message (µs): what a message costs the server, whoever else is using the cores.
const cpuPerMessage = (p) => p.server_cpu / p.msgs_per_s * 1e6;
console.log(`signaling load: ${CONNS} connections in ${ROOMS} rooms, ${PAIRS} relaying pairs, ${SECONDS} s per window, ` +
  `${ROUNDS} rounds (medians), loopback, 2 cores (server and load generator share them)`);
console.log("server           window    open  KiB/conn    msgs/s    msgs/s range   p50 ms   p99 ms    cpu  gen cpu  cpu µs/msg");
WINDOWS.forEach((w, i) => {
  console.log(row("imroom-server", results.imroom, results.imroom.phases[i]));
  console.log(row("PeerJS (ref)", results.peerjs, results.peerjs.phases[i]));
  console.log(row("bare relay", results.bare, results.bare.phases[i]));
});
WINDOWS.forEach((w, i) => {
  const a = results.imroom.phases[i], b = results.peerjs.phases[i];
  console.log(`ratios imroom/PeerJS, window ${w}: message rate ${(a.msgs_per_s / b.msgs_per_s).toFixed(2)}x, ` +
    `p99 ${(a.p99_us / b.p99_us).toFixed(2)}x, server CPU per message ${(cpuPerMessage(a) / cpuPerMessage(b)).toFixed(2)}x`);
});
// The floor: no server on the same system calls (one recv per ready socket, one send per recipient) relays faster
// than one that does nothing else. Its ratio to PeerJS is about the most any server could show against PeerJS at
// that load shape on this machine, today (io_uring would save the calls' entry and exit, not the TCP work:
// README, "Notes").
WINDOWS.forEach((w, i) => {
  const a = results.imroom.phases[i], b = results.peerjs.phases[i], f = results.bare.phases[i];
  console.log(`window ${w}: the bare relay (the floor) reaches ${(f.msgs_per_s / b.msgs_per_s).toFixed(2)}x PeerJS's rate ` +
    `(server CPU per message ${cpuPerMessage(f).toFixed(1)} µs); imroom-server runs at ${(a.msgs_per_s / f.msgs_per_s).toFixed(2)} of ` +
    `the floor's rate, its own work ${(cpuPerMessage(a) - cpuPerMessage(f)).toFixed(1)} µs per message over the floor's`);
});
// The kernel's ceiling: a relayed message crosses loopback TCP twice, and a crossing (send + recv) costs what the
// generator measured before each phase. With the cores full of nothing else, no server could relay more.
const crossings = TARGETS.flatMap((t) => results[t].crossing_us).filter((x) => x > 0).sort((a, b) => a - b);
if (crossings.length) {
  const crossing = crossings[Math.floor(crossings.length / 2)];
  const cores = os.cpus().length;
  const ceiling = cores * 1e6 / (2 * crossing);
  const w1 = WINDOWS.indexOf(1);
  console.log(`kernel ceiling: one loopback TCP crossing (send + recv) costs ${crossing.toFixed(2)} µs of CPU ` +
    `(median of ${crossings.length}: ${crossings.map((x) => x.toFixed(2)).join(", ")}); a message crosses twice, so ` +
    `${cores} cores carry at most ${Math.round(ceiling)} msgs/s with no user-space work at all`);
  if (w1 >= 0) {
    const a = results.imroom.phases[w1], b = results.peerjs.phases[w1];
    console.log(`window 1 against that ceiling: PeerJS ${(b.msgs_per_s / ceiling).toFixed(2)}, imroom-server ` +
      `${(a.msgs_per_s / ceiling).toFixed(2)}; the ceiling is ${(ceiling / b.msgs_per_s).toFixed(2)}x PeerJS's rate`);
  }
}
console.log(`memory per idle connection imroom/PeerJS: ${(results.imroom.bytes_per_conn / results.peerjs.bytes_per_conn).toFixed(2)}x`);
console.log(JSON.stringify(results));
