// Benchmark: imroom-server's signaling against the PeerJS server (reference), same load generator, same run.
// For each server: open CONNS WebSocket clients in ROOMS rooms (memory per idle connection from the server's
// RSS), then PAIRS pairs relay directed messages with WINDOW in flight each (delivered messages/s, one-way
// latency p50/p99, server CPU). Usage: scripts/bench signaling_load [conns] [seconds]
import { spawn, execFileSync } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { ROOT, SERVER_BIN } from "../e2e/lib/harness.mjs";

const CONNS = Number(process.argv[2] || 10000);
const SECONDS = Number(process.argv[3] || 5);
const ROOMS = Math.max(1, Math.floor(CONNS / 100));
const PAIRS = Math.min(100, ROOMS * 50);
const WINDOW = 8;
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

function loadgen(target, port, pid) {
  const out = execFileSync(LOADGEN, ["--target", target, "--port", String(port), "--server-pid", String(pid),
    "--conns", String(CONNS), "--rooms", String(ROOMS), "--pairs", String(PAIRS), "--window", String(WINDOW),
    "--seconds", String(SECONDS), "--secret", "bench-secret"], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop());
}

async function stop(child) {
  child.kill("SIGTERM");
  await once(child, "exit");
}

const results = {};
{
  const port = 9300;
  const server = await startProcess(SERVER_BIN, ["--port", String(port), "--root", "/nonexistent", "--no-access-log",
    "--token-secret", "bench-secret", "--max-connections-per-address", "1000000", "--max-frames-per-second", "1000000",
    "--max-users-per-room", "100000", "--max-queued-bytes", "67108864", "--idle-timeout", "600"], /serving/);
  results.imroom = loadgen("imroom", port, server.pid);
  await stop(server);
}
{
  const port = 9301;
  const server = await startProcess("node", [path.join(ROOT, "tests/bench/reference/peerjs_server.mjs"), String(port)],
    /listening/);
  results.peerjs = loadgen("peerjs", port, server.pid);
  await stop(server);
}

const row = (name, r) => `${name.padEnd(16)} ${String(r.open).padStart(6)}  ${(r.bytes_per_conn / 1024).toFixed(1).padStart(8)}  ` +
  `${String(r.msgs_per_s).padStart(8)}  ${(r.p50_us / 1000).toFixed(2).padStart(7)}  ${(r.p99_us / 1000).toFixed(2).padStart(7)}  ` +
  `${r.server_cpu.toFixed(2).padStart(5)}`;
console.log(`signaling load: ${CONNS} connections in ${ROOMS} rooms, ${PAIRS} relaying pairs x ${WINDOW} in flight, ` +
  `${SECONDS} s, loopback, 2 cores (server and load generator share them)`);
console.log("server            open  KiB/conn   msgs/s   p50 ms   p99 ms   cpu");
console.log(row("imroom-server", results.imroom));
console.log(row("PeerJS (ref)", results.peerjs));
console.log(`ratios imroom/PeerJS: message rate ${(results.imroom.msgs_per_s / results.peerjs.msgs_per_s).toFixed(2)}x, ` +
  `p99 ${(results.imroom.p99_us / results.peerjs.p99_us).toFixed(2)}x, ` +
  `memory per idle connection ${(results.imroom.bytes_per_conn / results.peerjs.bytes_per_conn).toFixed(2)}x`);
console.log(JSON.stringify(results));
