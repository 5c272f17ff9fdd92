import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeStablePort, PortBook } from '../../scripts/stack/ports';

const listen = (port = 0) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const newBook = () => new PortBook(mkdtempSync(join(tmpdir(), 'fangpin-ports-')));

describe('a stack port', () => {
  test('lies below the ephemeral range (no outgoing connection can hold it) and can be bound', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 5 }, () => freeStablePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralLow!);
      (await listen(port)).close();
    }
  });

  test('is never handed out twice by one process, though none of them is bound yet', async () => {
    // the servers of one stack get their ports one after another and bind them together; a port handed out twice
    // made the Temporal dev server exit ("bind: address already in use") on every retry of a CI run
    const ports = [];
    for (let i = 0; i < 1_500; i++) ports.push(await freeStablePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe("a stack's port book", () => {
  test('gives every key a port of its own, and mends a book in which two keys share one', async () => {
    const book = newBook();
    const keys = Array.from({ length: 200 }, (_, i) => `server-${i}`);
    const ports = [];
    for (const key of keys) ports.push(await book.take(key));
    expect(new Set(ports).size).toBe(keys.length);

    // a book written by an earlier version, with the UI's port the same as the HTTP port
    const dir = mkdtempSync(join(tmpdir(), 'fangpin-ports-'));
    const shared = await freeStablePort();
    writeFileSync(join(dir, 'ports.json'), JSON.stringify({ 'temporal-http': shared, 'temporal-ui': shared }));
    const mended = new PortBook(dir);
    const [http, ui] = [await mended.take('temporal-http'), await mended.take('temporal-ui')];
    expect(http).not.toBe(ui);
    expect(await new PortBook(dir).take('temporal-ui')).toBe(ui); // and remembers the mended port
  });

  test('two books on one stack keep what the other wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fangpin-ports-'));
    const [stack, cluster] = [new PortBook(dir), new PortBook(dir)]; // the local stack's and the Temporal cluster's
    const ferretdb = await stack.take('ferretdb');
    const frontend = await cluster.take('temporal-frontend');
    const api = await stack.take('api');
    expect(new Set([ferretdb, frontend, api]).size).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8'))).toEqual({
      ferretdb,
      'temporal-frontend': frontend,
      api,
    });
  });
});
