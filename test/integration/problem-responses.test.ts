import request from 'supertest';
import type { Connection } from '../../db/connection';
import type { TemporalClient } from '../../common/temporal';
import { buildTestApp, testTemporalClient } from '../helpers/app';
import { connectTestDatabase, dropTestDatabase, testServers } from '../helpers/servers';

describe('error responses are RFC 9457 problem+json', () => {
  let mongo: Connection;
  let temporal: TemporalClient;

  beforeAll(async () => {
    mongo = await connectTestDatabase();
    temporal = testTemporalClient(testServers().temporalAddress);
  });
  afterAll(async () => {
    await temporal.connection.close();
    await dropTestDatabase(mongo);
  });

  test('when no route matches, then 404 problem+json with a stable code and the request id', async () => {
    const res = await request(buildTestApp({ mongo, temporal })).get('/nowhere').set('X-Request-Id', 'req-12345678');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.body).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: '未找到',
      detail: '没有此接口：GET /nowhere。',
      instance: '/nowhere',
      requestId: 'req-12345678',
    });
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers.vary).toMatch(/accept-language/i);
    const english = await request(buildTestApp({ mongo, temporal })).get('/nowhere').set('Accept-Language', 'en');
    expect(english.body).toMatchObject({ code: 'NOT_FOUND', title: 'Not found', detail: 'No route for GET /nowhere.' });
  });

  test('when the JSON body is malformed, then 400 MALFORMED_JSON, never a 500', async () => {
    const res = await request(buildTestApp({ mongo, temporal }))
      .post('/readyz')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  test('when the body exceeds the size limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ filler: 'x'.repeat(70 * 1024) });
    const res = await request(buildTestApp({ mongo, temporal }))
      .post('/readyz')
      .set('Content-Type', 'application/json')
      .send(big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  test('when a caller sends a malformed request id, then a fresh one is issued', async () => {
    const res = await request(buildTestApp({ mongo, temporal })).get('/nowhere').set('X-Request-Id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
