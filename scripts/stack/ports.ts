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
 * A free loopback port below the kernel's ephemeral range, for a server that should keep its port across restarts:
 * a port from the ephemeral range can be taken at any moment by the local end of some outgoing connection, and the
 * server's next start would then have to move. Falls back to a kernel-chosen port when none is found.
 */
export async function freeStablePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  if (ephemeralLow - 1 > STABLE_LOW) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = randomInt(STABLE_LOW, ephemeralLow);
      if (!(await isListening('127.0.0.1', port, 200)) && (await canBind(port))) return port;
    }
  }
  return freePort();
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
 * kernel's ephemeral range, so outgoing connections never take them.
 */
export class PortBook {
  private readonly file: string;
  private readonly ports: Record<string, number>;

  constructor(dir: string) {
    this.file = join(dir, 'ports.json');
    this.ports = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, number>) : {};
  }

  /**
   * The port for `key`: the remembered one when nothing listens on it, else `preferred` the first time when it is
   * free, else a new free one (remembered).
   */
  async take(key: string, preferred?: number): Promise<number> {
    const remembered = this.ports[key];
    if (remembered && !(await isListening('127.0.0.1', remembered))) return remembered;
    if (!remembered && preferred && !(await isListening('127.0.0.1', preferred))) return this.remember(key, preferred);
    return this.replace(key);
  }

  /** A new free port for `key` (its old one was taken between the check and the bind). */
  async replace(key: string): Promise<number> {
    return this.remember(key, await freeStablePort());
  }

  private remember(key: string, port: number): number {
    this.ports[key] = port;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(this.ports, null, 2));
    return port;
  }
}
