import { createServer, Socket } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
 * remembered port that something else took meanwhile is replaced by a free one.
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
    return this.remember(key, await freePort());
  }

  private remember(key: string, port: number): number {
    this.ports[key] = port;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(this.ports, null, 2));
    return port;
  }
}
