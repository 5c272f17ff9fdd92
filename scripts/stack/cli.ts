import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningService } from '../run-local';
import { deadProcesses, isAlive, readStackInfo, isStackRunning, stackDir, startLocalStack, stopLocalStack } from './local-stack';

/** What a running `npm start` recorded (see scripts/run-local.ts), when its process is alive. */
function runningService(name: string): RunningService | undefined {
  const file = join(stackDir(name), 'service.json');
  if (!existsSync(file)) return undefined;
  const service = JSON.parse(readFileSync(file, 'utf8')) as RunningService;
  return isAlive(service.pid) ? { ...service, children: service.children ?? {} } : undefined;
}

/**
 * `npm run stack -- up|down|status [name]`: the local servers alone (for running the API or worker from an IDE).
 * `up` prints the environment to export; after one server died it starts that one again on its port (the others keep
 * running, so nothing pointing at them is stranded). `status` prints `npm start`'s banner again while it runs.
 */
async function main(): Promise<void> {
  const [command = 'status', name = 'dev'] = process.argv.slice(2);
  switch (command) {
    case 'up': {
      const info = await startLocalStack({ name, persistent: true, ui: true });
      console.log(`export MONGODB_URI=${info.mongodbUri}\nexport TEMPORAL_ADDRESS=${info.temporalAddress}`);
      if (info.temporalUiUrl) console.log(`export TEMPORAL_UI_URL=${info.temporalUiUrl}`);
      break;
    }
    case 'down':
      await stopLocalStack(name, { keepData: true });
      console.log(`stack '${name}' stopped (data kept under .stack/${name})`);
      break;
    case 'status': {
      // `npm start`'s banner while it runs (URLs, tokens), then the servers' state
      const service = runningService(name);
      if (service) console.log(service.banner || `fangpin is starting (pid ${service.pid}): API ${service.apiUrl}`);
      const info = readStackInfo(name);
      if (info && isStackRunning(info)) {
        const pids = Object.entries(info.pids).map(([p, pid]) => `${p} ${pid}`);
        console.log(
          `stack '${name}': ${pids.join(' · ')}   (MongoDB ${info.mongodbUri ?? '—'} · Temporal ${info.temporalAddress ?? '—'})`,
        );
        if (service)
          console.log(
            `our processes: ${Object.entries(service.children)
              .map(([c, pid]) => `${c} ${pid}`)
              .join(' · ')}`,
          );
      } else if (info) {
        const down = deadProcesses(info);
        console.log(
          `stack '${name}' is partly down (${down.join(', ')}); \`npm run stack -- up\` starts them again on their ports`,
        );
      } else if (!service) {
        console.log(`stack '${name}' is not running`);
      }
      break;
    }
    default:
      console.error('usage: npm run stack -- up|down|status [name]');
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
