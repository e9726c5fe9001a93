/**
 * The backend of bench/dataPlane.ts, in a process of its own, so that the load, the proxy (the emulator's process)
 * and the backend each have their own event loop, as on real machines. An HTTP/1.1 server on a loopback address
 * that answers `ok` with a length (so connections are kept alive), or, while holding, keeps every request
 * unanswered until told to release them: N requests in flight through the proxy at once, for its memory.
 * Over IPC: `{op: "start", address}` -> `{port}`; `{op: "hold", count}` -> `{held: count}` once that many wait;
 * `{op: "release"}` answers them all; `{op: "stop"}`.
 */
import * as http from "http";

type Message = { op: "start"; address: string } | { op: "hold"; count: number } | { op: "release" } | { op: "stop" };

let holding: { count: number; waiting: http.ServerResponse[] } | undefined;

const answer = (res: http.ServerResponse) => {
  res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "3" });
  res.end("ok\n");
};

const server = http.createServer((req, res) => {
  req.resume();
  if (!holding) return answer(res);
  holding.waiting.push(res);
  if (holding.waiting.length === holding.count) process.send!({ held: holding.count });
});
// The load keeps connections busy; a long idle timeout keeps the direct baseline's connections as the proxy's are.
server.keepAliveTimeout = 60_000;

function listen(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, address, () => resolve((server.address() as { port: number }).port));
  });
}

process.on("message", (m: Message) => {
  if (m.op === "start") void listen(m.address).then((port) => process.send!({ port }));
  else if (m.op === "hold") holding = { count: m.count, waiting: [] };
  else if (m.op === "release") {
    const waiting = holding?.waiting ?? [];
    holding = undefined;
    waiting.forEach(answer);
  } else {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
