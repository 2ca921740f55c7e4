// The reference for tests/bench/signaling_load.mjs: the PeerJS server (npm package `peer`, what most people
// pick for self-hosted signaling), with its connection cap and liveness timeout raised for the benchmark.
import { PeerServer } from "peer";

const port = Number(process.argv[2] || 9000);
PeerServer({ port, host: "127.0.0.1", path: "/", concurrent_limit: 1_000_000, alive_timeout: 600_000 }, () => {
  console.log(`peerjs listening on ${port}`);
});
