import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withTimeout } from '../../db/connection';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { LocalService } from './local-stack';

/**
 * The testcontainers provider, for machines with a Docker engine (or podman's Docker-compatible socket).
 * Image names are configurable so users get the official images; testcontainers is loaded only when an engine answers.
 */
const MONGO_IMAGE = process.env.FANGPIN_MONGO_IMAGE ?? 'mongo:7.0';
const TEMPORAL_IMAGE = process.env.FANGPIN_TEMPORAL_IMAGE ?? 'temporalio/temporal:1.5.1';

export interface ContainerServers {
  mongodbUri?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
  stop(): Promise<void>;
}

/** Cheap first: no DOCKER_HOST, no socket and no testcontainers config means no engine, without loading anything. */
export async function dockerEngineAnswers(): Promise<boolean> {
  const hinted =
    Boolean(process.env.DOCKER_HOST) ||
    existsSync('/var/run/docker.sock') ||
    existsSync(join(homedir(), '.testcontainers.properties'));
  if (!hinted) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await withTimeout(getContainerRuntimeClient(), 10_000, 'container runtime detection');
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(services: LocalService[]): Promise<ContainerServers> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  const servers: ContainerServers = {
    async stop() {
      await Promise.all(started.map((c) => c.stop()));
    },
  };
  try {
    if (services.includes('ferretdb')) {
      const mongo = await new GenericContainer(MONGO_IMAGE)
        .withExposedPorts(27017)
        .withWaitStrategy(Wait.forListeningPorts())
        .start();
      started.push(mongo);
      servers.mongodbUri = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/fangpin`;
    }
    if (services.includes('temporal')) {
      const searchAttributes = Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]);
      const temporal = await new GenericContainer(TEMPORAL_IMAGE)
        .withCommand(['server', 'start-dev', '--ip', '0.0.0.0', ...searchAttributes])
        .withExposedPorts(7233, 8233)
        .withWaitStrategy(Wait.forListeningPorts())
        .start();
      started.push(temporal);
      servers.temporalAddress = `${temporal.getHost()}:${temporal.getMappedPort(7233)}`;
      servers.temporalUiUrl = `http://${temporal.getHost()}:${temporal.getMappedPort(8233)}`;
    }
    return servers;
  } catch (error) {
    await servers.stop();
    throw error;
  }
}
