import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEngineAnswers, startContainers } from '../../scripts/stack/containers';
import {
  PROJECT_ROOT,
  restartProcess,
  startLocalStack,
  stopLocalStack,
  stopProcess,
  type StackProcess,
} from '../../scripts/stack/local-stack';
import { uniqueName } from './servers';

export interface DisposableDatabase {
  uri: string;
  /** Stops the server (it can no longer answer); `dispose` also removes its data. */
  stop(): Promise<void>;
  dispose(): Promise<void>;
  /** The local stack's processes, for crash tests (kill one, start it again in place); absent with containers. */
  local?: {
    kill(process: Exclude<StackProcess, 'temporal'>): Promise<void>;
    restart(process: Exclude<StackProcess, 'temporal'>): Promise<void>;
  };
}

/** A database server of the test's own, for tests that must stop or kill one without disturbing the shared stack. */
export async function startDisposableDatabase(): Promise<DisposableDatabase> {
  if (existsSync(join(PROJECT_ROOT, '.tools', 'bin', 'ferretdb'))) {
    const name = uniqueName('db');
    const info = await startLocalStack({ name, services: ['database'] });
    if (!info.mongodbUri) throw new Error('FerretDB did not start');
    return {
      uri: info.mongodbUri,
      stop: () => stopProcess(name, 'ferretdb'),
      dispose: () => stopLocalStack(name, { keepData: false }),
      local: {
        kill: (process) => stopProcess(name, process, { kill: true }),
        restart: async (process) => void (await restartProcess(name, process)),
      },
    };
  }
  if (await dockerEngineAnswers()) {
    const containers = await startContainers(['database']);
    if (!containers.mongodbUri) throw new Error('the MongoDB container did not start');
    return { uri: containers.mongodbUri, stop: () => containers.stop(), dispose: () => containers.stop() };
  }
  throw new Error('no way to start a disposable database: run scripts/provision.sh database, or provide Docker');
}

export interface DisposableTemporal {
  address: string;
  /** Kills the server as a crash would (SIGKILL), its data kept. */
  kill(): Promise<void>;
  /** Starts it again in place (same port and data); absent with containers, which cannot be restarted in place. */
  restart?: () => Promise<void>;
  dispose(): Promise<void>;
}

/** A Temporal dev server of the test's own, for tests that kill it without disturbing the shared stack. */
export async function startDisposableTemporal(): Promise<DisposableTemporal> {
  if (existsSync(join(PROJECT_ROOT, '.tools', 'bin', 'temporal'))) {
    const name = uniqueName('temporal');
    const info = await startLocalStack({ name, services: ['temporal'], persistent: true });
    if (!info.temporalAddress) throw new Error('Temporal did not start');
    return {
      address: info.temporalAddress,
      kill: () => stopProcess(name, 'temporal', { kill: true }),
      restart: async () => void (await restartProcess(name, 'temporal')),
      dispose: () => stopLocalStack(name, { keepData: false }),
    };
  }
  if (await dockerEngineAnswers()) {
    const containers = await startContainers(['temporal']);
    if (!containers.temporalAddress) throw new Error('the Temporal container did not start');
    return { address: containers.temporalAddress, kill: () => containers.stop(), dispose: () => containers.stop() };
  }
  throw new Error('no way to start a disposable Temporal: run scripts/provision.sh, or provide Docker');
}
