import { dockerEngineAnswers, startContainers } from './containers';
import { startLocalStack, stopLocalStack, type LocalService } from './local-stack';

export type Provider = 'env' | 'testcontainers' | 'local';

export interface ResolvedServers {
  mongodbUri: string;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  providers: { mongodb: Provider; temporal: Provider };
  /** Stops whatever this resolution started (never a server named by the environment). */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  name: string;
  persistent?: boolean;
  ui?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Where the servers come from, in order: explicit MONGODB_URI / TEMPORAL_ADDRESS → testcontainers when a Docker
 * engine answers → the local binaries (.tools/bin). Each server is resolved on its own.
 */
export async function resolveServers({
  name,
  persistent = false,
  ui = false,
  env = process.env,
}: ResolveOptions): Promise<ResolvedServers> {
  const missing: LocalService[] = [];
  if (!env.MONGODB_URI) missing.push('database');
  if (!env.TEMPORAL_ADDRESS) missing.push('temporal');

  let started: { mongodbUri?: string; temporalAddress?: string; temporalUiUrl?: string } = {};
  let provider: Provider = 'env';
  let stop = async (): Promise<void> => {};

  if (missing.length > 0 && (await dockerEngineAnswers())) {
    const containers = await startContainers(missing);
    started = containers;
    provider = 'testcontainers';
    stop = () => containers.stop();
  } else if (missing.length > 0) {
    started = await startLocalStack({ name, services: missing, persistent, ui });
    provider = 'local';
    stop = () => stopLocalStack(name, { keepData: persistent });
  }

  // an empty variable counts as unset, as it does for the decision above
  const mongodbUri = env.MONGODB_URI || started.mongodbUri;
  const temporalAddress = env.TEMPORAL_ADDRESS || started.temporalAddress;
  if (!mongodbUri || !temporalAddress) throw new Error('could not resolve MongoDB and Temporal');
  return {
    mongodbUri,
    temporalAddress,
    temporalUiUrl: env.TEMPORAL_UI_URL || started.temporalUiUrl,
    providers: { mongodb: env.MONGODB_URI ? 'env' : provider, temporal: env.TEMPORAL_ADDRESS ? 'env' : provider },
    stop,
  };
}
