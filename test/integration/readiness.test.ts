import request from 'supertest';
import { connectMongo, type Connection } from '../../db/connection';
import { freePort } from '../../scripts/stack/ports';
import type { TemporalClient } from '../../common/temporal';
import { buildTestApp, testTemporalClient } from '../helpers/app';
import { startDisposableDatabase, type DisposableDatabase } from '../helpers/disposable-database';
import { testServers } from '../helpers/servers';

describe('health and readiness', () => {
  let database: DisposableDatabase;
  let mongo: Connection;
  let temporal: TemporalClient;

  beforeAll(async () => {
    database = await startDisposableDatabase();
    mongo = await connectMongo({ uri: database.uri, serverSelectionTimeoutMs: 1_000, autoIndex: true });
    temporal = testTemporalClient(testServers().temporalAddress);
  });
  afterAll(async () => {
    await temporal.connection.close();
    await mongo.close();
    await database.dispose();
  });

  test('when the process is up, then /healthz answers 200 without touching dependencies', async () => {
    const res = await request(buildTestApp({ mongo, temporal })).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('when both servers answer, then /readyz is 200 and reports each one up', async () => {
    const res = await request(buildTestApp({ mongo, temporal })).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { mongodb: { status: 'up' }, temporal: { status: 'up' } } });
  });

  test('when Temporal does not answer, then /readyz is 503 problem+json naming temporal', async () => {
    const deadTemporal = testTemporalClient(`127.0.0.1:${await freePort()}`);
    try {
      const res = await request(buildTestApp({ mongo, temporal: deadTemporal })).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        down: ['temporal'],
        checks: { mongodb: { status: 'up' } },
      });
    } finally {
      await deadTemporal.connection.close();
    }
  });

  // Last: it stops this file's own database server.
  test('when the database is stopped, then /readyz is 503 naming mongodb, with Retry-After', async () => {
    await database.stop();
    const res = await request(buildTestApp({ mongo, temporal })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      detail: '服务未就绪：mongodb 不可用。',
      down: ['mongodb'],
      checks: { mongodb: { status: 'down' }, temporal: { status: 'up' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});
