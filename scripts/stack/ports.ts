import { createServer, Socket } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a listener can bind 127.0.0.1:port now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The kernel's range for the local ports of outgoing connections (Linux; the usual default elsewhere). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: IANA's dynamic range
  }
  return [49152, 65535];
}

const STABLE_LOW = 20_000;

/**
 * Ports this process has handed out. A port handed out is not bound until its server starts, so neither a check nor
 * the kernel would stop it being handed out again meanwhile (to another server of the same stack, say).
 */
const handedOut = new Set<number>();

/**
 * A free loopback port below the kernel's ephemeral range, for a server that should keep its port across restarts:
 * a port from the ephemeral range can be taken at any moment by the local end of some outgoing connection, and the
 * server's next start would then have to move. Never one this process handed out before, nor one in `avoid`. Falls
 * back to a kernel-chosen port when none is found.
 */
export async function freeStablePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const unused = (port: number) => !avoid.has(port) && !handedOut.has(port);
  const [ephemeralLow] = ephemeralRange();
  let port: number | undefined;
  for (let attempt = 0; !port && attempt < 50 && ephemeralLow - 1 > STABLE_LOW; attempt++) {
    const candidate = randomInt(STABLE_LOW, ephemeralLow);
    if (unused(candidate) && (await isFree(candidate))) port = candidate;
  }
  while (!port) {
    const candidate = await freePort();
    if (unused(candidate)) port = candidate;
  }
  handedOut.add(port);
  return port;
}

/** True when nothing listens on 127.0.0.1:port and a listener could bind it now. */
async function isFree(port: number): Promise<boolean> {
  return !(await isListening('127.0.0.1', port, 200)) && (await canBind(port));
}

/** True when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/**
 * The ports of one stack, remembered in .stack/<name>/ports.json: a restart of the stack (or of one of its
 * processes) binds the same ports again, so a running API or worker is never stranded on an old address. A
 * remembered port that something else took meanwhile is replaced by a free one. New ports are chosen below the
 * kernel's ephemeral range, so outgoing connections never take them, and no two keys of a book share a port (their
 * servers are often started together, before either binds).
 */
export class PortBook {
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, 'ports.json');
  }

  /**
   * The port for `key`: the remembered one when it is free and no other key holds it, else `preferred` the first
   * time when it is free, else a new free one (remembered).
   */
  async take(key: string, preferred?: number): Promise<number> {
    const ports = this.read();
    const remembered = ports[key];
    const heldByAnother = (port: number) => Object.entries(ports).some(([other, p]) => other !== key && p === port);
    if (remembered && !heldByAnother(remembered) && (await isFree(remembered))) return remembered;
    if (!remembered && preferred && !heldByAnother(preferred) && (await isFree(preferred)))
      return this.remember(key, preferred);
    return this.replace(key);
  }

  /** A new free port for `key` (its old one was taken between the check and the bind). */
  async replace(key: string): Promise<number> {
    return this.remember(key, await freeStablePort(new Set(Object.values(this.read()))));
  }

  /** The book as the file holds it now: another book on the same stack (the Temporal cluster's) may have written. */
  private read(): Record<string, number> {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, number>) : {};
  }

  private remember(key: string, port: number): number {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify({ ...this.read(), [key]: port }, null, 2));
    return port;
  }
}
