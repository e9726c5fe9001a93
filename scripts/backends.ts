/**
 * Small loopback backends for the quickstart: HTTP servers answering `/health` with 200, and TCP servers that accept
 * connections. Each listens on its own 127.0.0.x address so the farm sees distinct servers, on a port below 49152
 * (the API's limit for server ports).
 */
import * as http from "http";
import * as net from "net";

export interface Backend {
  address: string;
  port: number;
  spec: string;
  close(): Promise<void>;
}

function listenOnFreePort(server: net.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = (tries: number) => {
      const port = 20000 + Math.floor(Math.random() * 12000);
      server.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" && tries > 0 ? attempt(tries - 1) : reject(e)));
      server.listen(port, address, () => resolve(port));
    };
    attempt(20);
  });
}

async function start(server: net.Server, address: string): Promise<Backend> {
  const port = await listenOnFreePort(server, address);
  return {
    address,
    port,
    spec: `${address}:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function startHttpBackend(address: string, name: string): Promise<Backend> {
  const server = http.createServer((req, res) => {
    const body = req.url === "/health" ? "ok\n" : `hello from ${name}\n`;
    res.writeHead(200, { "Content-Type": "text/plain", Connection: "close" });
    res.end(body);
  });
  return start(server, address);
}

export function startTcpBackend(address: string): Promise<Backend> {
  const server = net.createServer((socket) => {
    socket.on("error", () => undefined);
    socket.end("+PONG\r\n");
  });
  return start(server, address);
}
