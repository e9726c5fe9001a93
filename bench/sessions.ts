/**
 * Sessions broken per deployment (bench/README.md): just before a scenario's `up` (or `destroy`), N long-lived
 * keep-alive connections and M sourceIp-sticky clients go through the HTTP frontends of the stack on the emulator's
 * data plane, spread evenly over them; when the command has returned, how often the connections were closed and how
 * often a sticky client was answered by another server than before. A refresh closes every connection of its zone and
 * empties the zone's sourceIp tables (emulator/dataplane/index.ts, after OVH's stickiness guide), so a provider that
 * refreshes more often breaks more sessions.
 *
 * - A keep-alive connection (tests/helpers/keepAlive.ts) reconnects at once when closed, as a browser or a pool
 *   would, so each refresh of its zone closes it again; a frontend that stops listening (destroy) ends it.
 * - The sticky clients ask in rounds, each from its own loopback address: one when opened, one after any close the
 *   keep-alive connections see (a close is how the client side learns that a refresh ran, so a table emptied twice
 *   is seen twice), one at the end. Each round asks in a new order (a seeded shuffle): after a reset the round robin
 *   restarts, and asking in the order that filled the table would hand each client its old server back.
 * Loopback only: the backends answer on the stack's 127.x addresses (stacks.ts), the clients come from 127.250-251.x.
 */
import * as http from "http";
import { seededRandom } from "../emulator/faults";
import { KeepAliveSession } from "../tests/helpers/keepAlive";

export interface SessionSettings {
  /** Long-lived keep-alive connections (N). */
  keepAlive: number;
  /** sourceIp-sticky clients (M). */
  sticky: number;
}

export interface SessionCounts extends SessionSettings {
  /** Closes of the keep-alive connections during the command (each reconnects, so one can close several times). */
  closes: number;
  /** Keep-alive connections whose frontend stopped listening. */
  ended: number;
  /** Answers from another server than the same client's previous answer. */
  stickyMoves: number;
  /** Sticky clients whose frontend stopped listening. */
  stickyLost: number;
  /** Rounds of the sticky clients, the first and the last included. */
  rounds: number;
  /** When each close was seen (epoch ms; from the start of the run in the results), beside the refreshes' times. */
  closedAt: number[];
}

export interface Frontend {
  zone: string;
  port: number;
}

/** `count` places over `frontends`, in turn. */
export const spread = <T>(count: number, frontends: readonly T[]): T[] => Array.from({ length: frontends.length > 0 ? count : 0 }, (_, i) => frontends[i % frontends.length]);

/** The i-th client's source address in 127.<block>.0.0/16 (250 per /24, so never .0 or .255). */
export const clientAddress = (block: number, i: number): string => `127.${block}.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`;

/** Fisher-Yates with `seed`. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = seededRandom(seed); // the emulator's Mulberry32: two runs ask in the same orders
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The server a backend's answer names (`200 from <address>`), or undefined for any other answer. */
export function serverOf(body: string): string | undefined {
  return /^200 from (\S+)\s*$/.exec(body)?.[1];
}

/** The HTTP frontends of a data-plane port table (`zone:port` -> where it listens), in key order. */
export function httpFrontends(table: Record<string, { port: number; type: string }>): Frontend[] {
  return Object.keys(table).sort().filter((key) => table[key].type === "http").map((key) => ({ zone: key.split(":")[0], port: table[key].port }));
}

/** One answer of a sticky client: its server, `refused` (the frontend is gone), or undefined (any other answer). */
function ask(port: number, from: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", localAddress: from, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(res.statusCode === 200 ? serverOf(body) : undefined));
      res.on("error", () => resolve(undefined));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED" ? "refused" : undefined));
  });
}

/** What one round's answers change: moves (another server than last time) and clients newly lost. */
export function tallyRound(last: Map<number, string>, answers: [number, string | undefined][]): { moves: number; lost: number } {
  let moves = 0;
  let lost = 0;
  for (const [client, answer] of answers) {
    const before = last.get(client);
    if (answer === undefined || before === "refused") continue;
    if (answer === "refused") lost++;
    else if (before !== undefined && before !== answer) moves++;
    last.set(client, answer);
  }
  return { moves, lost };
}

class StickyClients {
  private readonly last = new Map<number, string>();
  moves = 0;
  lost = 0;
  rounds = 0;

  constructor(private readonly clients: { from: string; port: number }[]) {}

  async round(): Promise<void> {
    const order = shuffled(this.clients.map((_, i) => i), ++this.rounds);
    const answers: [number, string | undefined][] = [];
    for (const i of order) answers.push([i, await ask(this.clients[i].port, this.clients[i].from)]);
    const { moves, lost } = tallyRound(this.last, answers);
    this.moves += moves;
    this.lost += lost;
  }
}

/** The sessions of one command: opened before it, counted after it. */
export class SessionProbe {
  private running?: Promise<void>;
  private again = false;
  private sessions: KeepAliveSession[] = [];
  private readonly closedAt: number[] = [];

  private constructor(private readonly settings: SessionSettings, private readonly sticky: StickyClients) {}

  /** Opens the sessions on the HTTP frontends of `table`; undefined when none listens (before a first deployment). */
  static async open(table: Record<string, { port: number; type: string }>, settings: SessionSettings): Promise<SessionProbe | undefined> {
    const frontends = httpFrontends(table);
    if (frontends.length === 0) return undefined;
    const sticky = new StickyClients(spread(settings.sticky, frontends).map((f, i) => ({ from: clientAddress(250, i), port: f.port })));
    const probe = new SessionProbe(settings, sticky);
    await sticky.round();
    const places = spread(settings.keepAlive, frontends);
    probe.sessions = await Promise.all(places.map((f, i) => KeepAliveSession.open(f.port, { from: clientAddress(251, i), onClose: () => probe.closed() })));
    return probe;
  }

  /** A round after a close; closes that arrive during a round ask for one more after it. */
  private closed(): void {
    this.closedAt.push(Date.now());
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.sticky.round();
      } while (this.again);
    })().finally(() => (this.running = undefined));
  }

  /** Stops the connections, lets the last round end, asks once more, and counts. */
  async finish(): Promise<SessionCounts> {
    for (const s of this.sessions) s.stop();
    while (this.running) await this.running;
    await this.sticky.round();
    return {
      ...this.settings,
      closes: this.sessions.reduce((n, s) => n + s.closes, 0),
      ended: this.sessions.filter((s) => s.ended).length,
      stickyMoves: this.sticky.moves,
      stickyLost: this.sticky.lost,
      rounds: this.sticky.rounds,
      closedAt: this.closedAt,
    };
  }
}

/** HTTP backends on `address:port` that answer `200 from <address>` and close (no pooled connection to race with). */
export async function startBackends(servers: { address: string; port: number }[]): Promise<{ close(): Promise<void> }> {
  const started = await Promise.all(servers.map(({ address, port }) => new Promise<http.Server>((resolve, reject) => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain", Connection: "close" });
      res.end(`200 from ${address}\n`);
    });
    server.once("error", reject);
    server.listen(port, address, () => resolve(server));
  })));
  return { close: () => Promise.all(started.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))))).then(() => undefined) };
}
