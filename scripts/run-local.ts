import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../common/poll';
import { freePort, isListening } from './stack/ports';
import { PROJECT_ROOT, stackDir } from './stack/local-stack';
import { resolveServers } from './stack/resolve';

/**
 * `npm start`: resolves the servers (env → testcontainers → local binaries, persistent, with the Temporal UI),
 * runs the API and the worker as child processes, waits until /readyz answers 200, prints the URLs and stays in
 * the foreground. Ctrl-C stops everything it started; data stays under .stack/dev for the next start.
 */
const STACK = 'dev';
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

interface RunningService {
  pid: number;
  apiUrl: string;
  temporalUiUrl: string | undefined;
}

function alreadyRunning(): RunningService | undefined {
  const file = join(stackDir(STACK), 'service.json');
  if (!existsSync(file)) return undefined;
  const running = JSON.parse(readFileSync(file, 'utf8')) as RunningService;
  try {
    process.kill(running.pid, 0);
    return running;
  } catch {
    return undefined;
  }
}

async function choosePort(): Promise<number> {
  const wanted = Number(process.env.API_PORT ?? 3000);
  if (wanted !== 0 && !(await isListening('127.0.0.1', wanted))) return wanted;
  return freePort();
}

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(TSX, [join(PROJECT_ROOT, entry)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[fangpin] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}

let stopping = false;
let children: ChildProcess[] = [];
let stopServers: () => Promise<void> = async () => {};

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const exits = children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 15_000).unref())]);
  await stopServers();
  rmSync(join(stackDir(STACK), 'service.json'), { force: true });
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const running = alreadyRunning();
  if (running) {
    console.log(`fangpin is already running (pid ${running.pid}): API ${running.apiUrl}`);
    return;
  }
  console.log('[fangpin] starting servers…');
  const servers = await resolveServers({ name: STACK, persistent: true, ui: true });
  stopServers = () => servers.stop();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const port = await choosePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: servers.mongodbUri,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    API_PORT: String(port),
    ...(servers.temporalUiUrl ? { TEMPORAL_UI_URL: servers.temporalUiUrl } : {}),
  };
  children = [startChild('worker', 'workers/main.ts', env), startChild('api', 'api/server.ts', env)];

  const apiUrl = `http://127.0.0.1:${port}`;
  await pollUntil(
    'the API to report ready',
    async () => ((await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  mkdirSync(stackDir(STACK), { recursive: true });
  const service: RunningService = { pid: process.pid, apiUrl, temporalUiUrl: servers.temporalUiUrl };
  writeFileSync(join(stackDir(STACK), 'service.json'), JSON.stringify(service));

  console.log(
    [
      '',
      'fangpin is running',
      `  API            ${apiUrl}   (readiness: ${apiUrl}/readyz)`,
      `  Temporal UI    ${servers.temporalUiUrl ?? '(not served by this Temporal)'}`,
      `  Temporal gRPC  ${servers.temporalAddress}   (servers via ${servers.providers.temporal})`,
      `  MongoDB        ${servers.mongodbUri}   (via ${servers.providers.mongodb})`,
      `  data and logs  ${stackDir(STACK)}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  console.error('[fangpin] could not start:', error instanceof Error ? error.message : error);
  await stopAll(1);
});
