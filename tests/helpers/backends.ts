/**
 * Real backends for health-check tests, on loopback only: HTTP or TCP servers on a 127.0.0.x address and a port the
 * API accepts (20000..49151, below the kernel's ephemeral range). Each can be stopped (its open connections dropped,
 * so the next check is refused) and started again on the same address and port, and an HTTP one can change the
 * status it answers.
 */
import * as http from "http";
import * as net from "net";

export interface TestBackend {
  address: string;
  port: number;
  /** Stops listening and drops open connections: the next check gets "Connection refused". */
  stop(): Promise<void>;
  /** Listens again on the same address and port. */
  start(): Promise<void>;
  /** HTTP backends: the status code every request gets from now on. */
  answer(status: number): void;
}

function listen(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function listenAnywhere(server: net.Server, address: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 29000);
    try {
      await listen(server, address, port);
      return port;
    } catch (e) {
      if (attempt >= 20 || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    }
  }
}

async function controlled(make: () => net.Server, address: string, setStatus: (s: number) => void): Promise<TestBackend> {
  const sockets = new Set<net.Socket>();
  const track = (server: net.Server) => server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined); // the prober resets connections it is done with
    socket.on("close", () => sockets.delete(socket));
  });
  let server: net.Server | undefined = make();
  track(server);
  const port = await listenAnywhere(server, address);
  return {
    address,
    port,
    answer: setStatus,
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
    async start() {
      if (server) return;
      server = make();
      track(server);
      await listen(server, address, port);
    },
  };
}

/**
 * Answers every request with `status` (200 unless changed) and a short text body; a method in `refused` gets 501, as
 * servers that do not handle OPTIONS answer the bare HTTP probe (nginx without configuration for it).
 */
export function httpBackend(address: string, status = 200, refused: readonly string[] = []): Promise<TestBackend> {
  let current = status;
  const make = () => http.createServer((req, res) => {
    if (refused.includes(req.method ?? "")) {
      res.writeHead(501, { "Content-Type": "text/plain", Connection: "close" });
      res.end(`${req.method} not implemented\n`);
      return;
    }
    res.writeHead(current, { "Content-Type": "text/plain", Connection: "close" });
    res.end(`${current} from ${address}\n`);
  });
  return controlled(make, address, (s) => (current = s));
}

/** Accepts connections and writes a banner. */
export function tcpBackend(address: string): Promise<TestBackend> {
  const make = () => net.createServer((socket) => {
    socket.on("error", () => undefined);
    socket.end("+PONG\r\n");
  });
  return controlled(make, address, () => {
    throw new Error("a TCP backend has no status to answer");
  });
}
