import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../common/config';
import { PartnerRegistrySchema } from '../../common/partners/registry';

const ROOT = join(__dirname, '..', '..');
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  restart?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

describe('docker-compose.yml and the image', () => {
  test('every container of ours runs an entry point that exists in the source tree', () => {
    const ours = Object.entries(services).filter(([, s]) => s.image === 'fangpin:local');
    expect(ours.map(([name]) => name).sort()).toEqual(['api', 'bank', 'gov-data', 'insurer-cpic', 'insurer-picc', 'worker']);
    for (const [, s] of ours) {
      const entry = s.command?.[1] ?? 'dist/api/server.js'; // the Dockerfile's CMD
      expect(existsSync(join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  test('every service restarts by itself when it dies', () => {
    for (const [name, s] of Object.entries(services)) expect([name, s.restart]).toEqual([name, 'unless-stopped']);
  });

  test("the API's and worker's environment is valid configuration, with only variables the service reads", () => {
    for (const name of ['api', 'worker']) {
      const env = services[name]!.environment!;
      expect(Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k))).toEqual([]);
      const config = loadConfig(env);
      expect(config.piiKey).toMatch(/^[0-9a-f]{64}$/);
      expect(config.auth).toBeDefined();
    }
  });

  test('the partner registry names the simulator services with the secrets they are started with', () => {
    const registry = PartnerRegistrySchema.parse(JSON.parse(readFileSync(join(ROOT, 'docker', 'partners.json'), 'utf8')));
    const endpoint = (url: string) => {
      const u = new URL(url);
      return { host: u.hostname, port: u.port };
    };
    const check = (url: string, secrets: string[], service: string) => {
      const { host, port } = endpoint(url);
      expect(host).toBe(service);
      expect(services[service]!.environment).toMatchObject({
        SIM_PORT: port,
        PARTNER_SECRETS: secrets.join(','),
        SIM_HOST: '0.0.0.0',
      });
    };
    check(registry.insurers.find((i) => i.id === 'picc-suzhou')!.url, registry.insurers[0]!.secrets, 'insurer-picc');
    check(registry.insurers.find((i) => i.id === 'cpic-anhui')!.url, registry.insurers[1]!.secrets, 'insurer-cpic');
    check(registry.bank.url, registry.bank.secrets, 'bank');
    check(registry.dataSources.url, registry.dataSources.secrets, 'gov-data');
  });

  test('MongoDB runs as a single-node replica set, and the service connects to it as one', () => {
    const mongo = services.mongo!;
    expect(mongo.image).toMatch(/^mongo:/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const healthcheck = (mongo as { healthcheck?: { test?: string[] } }).healthcheck?.test?.join(' ') ?? '';
    expect(healthcheck).toContain("rs.initiate({ _id: 'rs0'");
    for (const name of ['api', 'worker']) {
      expect(new URL(services[name]!.environment!.MONGODB_URI!).searchParams.get('replicaSet')).toBe('rs0');
    }
  });

  test('every published port binds 127.0.0.1 only', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  test('the Dockerfile is multi-stage, copies every source folder the build needs and runs as non-root', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    for (const dir of ['api', 'common', 'db', 'domain', 'workers', 'workflows', 'sim', 'scripts'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  test('docker-compose itself accepts the file, where the tool is installed (CI installs it)', () => {
    let tool: string | undefined;
    try {
      execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
      tool = 'docker-compose';
    } catch {
      tool = undefined;
    }
    if (process.env.CI === 'true') expect(tool).toBe('docker-compose');
    if (tool)
      expect(() => execFileSync(tool, ['-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });
});
