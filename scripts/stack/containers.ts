import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { withTimeout } from '../../db/connection';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { LocalService } from './local-stack';
import { freePort, isListening } from './ports';

/**
 * The testcontainers provider, for machines with a Docker engine (or podman's Docker-compatible socket).
 * Image names are configurable so users get the official images; testcontainers is loaded only when an engine answers.
 * With FANGPIN_CONTAINER_NETWORK=host the containers share the host's network and listen on 127.0.0.1 ports chosen
 * here (no port mapping, all traffic on loopback): how the podman proof runs images built from the local binaries
 * (scripts/podman/), where the MongoDB-compatible image is FerretDB.
 */
const MONGO_IMAGE = process.env.FANGPIN_MONGO_IMAGE ?? 'mongo:7.0';
const TEMPORAL_IMAGE = process.env.FANGPIN_TEMPORAL_IMAGE ?? 'temporalio/temporal:1.5.1';
const HOST_NETWORK = process.env.FANGPIN_CONTAINER_NETWORK === 'host';
const SEARCH_ATTRIBUTE_ARGS = Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]);

/**
 * The database server's command on the host network: FerretDB's flags for the FerretDB image (its entrypoint runs
 * PostgreSQL with DocumentDB on PG_PORT first), mongod's otherwise.
 */
function mongoCommand(port: number): string[] {
  return MONGO_IMAGE.includes('ferretdb')
    ? [`--listen-addr=127.0.0.1:${port}`, '--state-dir=/data', '--log-level=warn']
    : ['mongod', '--bind_ip', '127.0.0.1', '--port', String(port)];
}

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
  return HOST_NETWORK ? startOnHostNetwork(services) : startWithMappedPorts(services);
}

async function startWithMappedPorts(services: LocalService[]): Promise<ContainerServers> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  const servers: ContainerServers = {
    async stop() {
      await Promise.all(started.map((c) => c.stop()));
    },
  };
  try {
    if (services.includes('database')) {
      const mongo = await new GenericContainer(MONGO_IMAGE)
        .withExposedPorts(27017)
        .withWaitStrategy(Wait.forListeningPorts())
        .start();
      started.push(mongo);
      servers.mongodbUri = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/fangpin`;
    }
    if (services.includes('temporal')) {
      const temporal = await new GenericContainer(TEMPORAL_IMAGE)
        .withCommand(['server', 'start-dev', '--ip', '0.0.0.0', ...SEARCH_ATTRIBUTE_ARGS])
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

async function startOnHostNetwork(services: LocalService[]): Promise<ContainerServers> {
  const { GenericContainer } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  const servers: ContainerServers = {
    async stop() {
      await Promise.all(started.map((c) => c.stop()));
    },
  };
  const listening = (port: number, what: string) =>
    pollUntil(`${what} on 127.0.0.1:${port}`, async () => ((await isListening('127.0.0.1', port)) ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
  try {
    if (services.includes('database')) {
      const port = await freePort();
      const container = new GenericContainer(MONGO_IMAGE).withNetworkMode('host').withCommand(mongoCommand(port));
      started.push(await container.withEnvironment({ PG_PORT: String(await freePort()) }).start());
      await listening(port, 'the database container');
      servers.mongodbUri = `mongodb://127.0.0.1:${port}/fangpin`;
    }
    if (services.includes('temporal')) {
      const [port, uiPort] = [await freePort(), await freePort()];
      const command = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
      started.push(
        await new GenericContainer(TEMPORAL_IMAGE)
          .withNetworkMode('host')
          .withCommand([...command, ...SEARCH_ATTRIBUTE_ARGS])
          .start(),
      );
      await listening(port, 'the Temporal container');
      servers.temporalAddress = `127.0.0.1:${port}`;
      servers.temporalUiUrl = `http://127.0.0.1:${uiPort}`;
    }
    return servers;
  } catch (error) {
    await servers.stop();
    throw error;
  }
}
