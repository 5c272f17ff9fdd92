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

/** Debian's docker-compose when installed (it validates a compose file offline), else undefined. */
function composeTool(): string | undefined {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return 'docker-compose';
  } catch {
    return undefined;
  }
}

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
    const tool = composeTool();
    if (process.env.CI === 'true') expect(tool).toBe('docker-compose');
    if (tool)
      expect(() => execFileSync(tool, ['-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('docker-compose.production.yml', () => {
  const file = join(ROOT, 'docker-compose.production.yml');
  const text = readFileSync(file, 'utf8');
  const production = (parse(text, { merge: true }) as { services: Record<string, Service & Record<string, unknown>> }).services;
  /** What an operator supplies: every secret the file demands, and nothing of the development stack's. */
  const supplied: Record<string, string> = {
    TEMPORAL_DB_PASSWORD: 'temporal-db-secret',
    MONGO_FANGPIN_PASSWORD: 'mongo-app-secret',
    MONGO_ROOT_PASSWORD: 'mongo-root-secret',
    MONGO_REPLICA_KEY: 'cmVwbGljYS1rZXktc2VjcmV0',
    PII_KEY: 'fe'.repeat(32),
    AUTH_JWT_SECRET: 'production-jwt-secret-0123456789abcdef0123',
    PARTNERS_FILE_HOST: join(ROOT, 'docker', 'partners.json'),
  };
  /** ${VAR:?…} and ${VAR:-default} as compose substitutes them. */
  const substitute = (value: string) =>
    value.replace(
      /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
      (_, name: string, kind?: string, rest?: string) => supplied[name] ?? (kind === '-' ? (rest ?? '') : ''),
    );

  test('Temporal is the server itself on PostgreSQL, each of its services a container, set up before use', () => {
    for (const service of ['frontend', 'history', 'matching', 'worker']) {
      const s = production[`temporal-${service}`]!;
      expect(s.image).toMatch(/^temporalio\/server:/);
      expect(s.environment).toMatchObject({ SERVICES: service, DB: 'postgres12', POSTGRES_SEEDS: 'temporal-db' });
    }
    expect(text).not.toContain('start-dev');
    expect(production['temporal-schema']!.command!.join('\n')).toContain('update-schema');
    const setup = production['temporal-setup']!.command!.join('\n');
    for (const attribute of ['ClaimStage', 'ClaimLine', 'DivisionCode', 'InsurerId', 'SlaBreached'])
      expect(setup).toContain(attribute);
  });

  test('MongoDB is a three-node replica set with authentication, and fangpin connects to all three', () => {
    for (const name of ['mongo1', 'mongo2', 'mongo3']) {
      expect(production[name]!.command).toEqual(expect.arrayContaining(['--replSet', 'rs0', '--keyFile', '/keys/rs.key']));
    }
    for (const name of ['api', 'worker']) {
      // a seed list (three hosts) is no WHATWG URL: read it by its parts
      const [, password, hosts, query] =
        /^mongodb:\/\/fangpin:([^@]+)@([^/]+)\/fangpin\?(.*)$/.exec(substitute(production[name]!.environment!.MONGODB_URI!)) ??
        [];
      expect(hosts?.split(',')).toEqual(['mongo1:27017', 'mongo2:27017', 'mongo3:27017']);
      expect(new URLSearchParams(query).get('replicaSet')).toBe('rs0');
      expect(password).toBe('mongo-app-secret');
    }
  });

  test('no simulator and no development secret: every secret must be supplied', () => {
    const ours = Object.entries(production).filter(([, s]) => s.image === 'fangpin:production');
    expect(ours.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    expect(text).not.toMatch(/compose-dev|sim\/|SIM_PORT/);
    for (const name of ['api', 'worker']) {
      const env = production[name]!.environment!;
      for (const key of ['PII_KEY', 'AUTH_JWT_SECRET']) expect(env[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
      expect(env.MONGODB_URI).toContain('${MONGO_FANGPIN_PASSWORD:?');
      const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitute(v)])));
      expect(config.piiKey).toBe(supplied.PII_KEY);
      // every variable is one fangpin reads, or Node's own runtime options (the worker's heap size)
      expect(Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k) && k !== 'NODE_OPTIONS')).toEqual([]);
    }
    expect(production.worker!.environment!.NODE_OPTIONS).toMatch(/^--max-old-space-size=\d+$/);
  });

  test('the API is behind its readiness check, there are several workers, and everything restarts', () => {
    const api = production.api as Service & { healthcheck?: { test?: string[] } };
    expect(api.healthcheck?.test?.join(' ')).toContain('/readyz');
    expect((production.worker as { deploy?: { replicas?: number } }).deploy?.replicas).toBeGreaterThanOrEqual(2);
    for (const [name, s] of Object.entries(production)) {
      const oneShot = /-(schema|setup|keyfile)$/.test(name);
      expect([name, s.restart]).toEqual([name, oneShot ? 'on-failure' : 'unless-stopped']);
    }
    for (const p of Object.values(production).flatMap((s) => s.ports ?? [])) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  test('docker-compose accepts the file with the secrets supplied, and refuses it without them', () => {
    const tool = composeTool();
    if (process.env.CI === 'true') expect(tool).toBe('docker-compose');
    if (!tool) return;
    const bare = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in supplied)));
    expect(() =>
      execFileSync(tool, ['-f', file, 'config', '-q'], { stdio: 'pipe', env: { ...bare, ...supplied } }),
    ).not.toThrow();
    expect(() => execFileSync(tool, ['-f', file, 'config', '-q'], { stdio: 'pipe', env: bare })).toThrow(
      /set TEMPORAL_DB_PASSWORD|Missing mandatory/,
    );
  });
});
