import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { Express } from 'express';
import { OPERATIONS } from '../../api/openapi';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';

/** The routes Express really serves, as "METHOD /path/{param}". */
function servedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as {
      route?: { path: string; methods: Record<string, boolean> };
      handle?: { stack?: unknown[] };
    }[]) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return found;
}

describe('the OpenAPI document', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  test('it documents exactly the routes the app serves', () => {
    const documented = OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    const served = servedRoutes(h.app).map((r) => r.replace('{action}', '*'));
    const expanded = documented.map((d) => (d.includes('/actions/') ? d.replace(/actions\/\w+$/, 'actions/*') : d));
    expect([...new Set(served)].sort()).toEqual([...new Set(expanded)].sort());
  });

  test('when served, it passes the Redocly linter with no errors', async () => {
    const res = await fetch(`${h.apiUrl}/openapi.json`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const problems = await lintFromString({
      source: text,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
    expect(errors).toEqual([]);
  });

  test('every operation with a path parameter documents the 400 its validation can answer', async () => {
    const doc = (await (await fetch(`${h.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const missing = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })))
      .filter(({ op }) => !('400' in op.responses))
      .map(({ at }) => at);
    expect(missing).toEqual([]);
  });

  test('every operation with a JSON body documents the 413 and 415 the body parser answers, and a large body gets it', async () => {
    const doc = (await (await fetch(`${h.apiUrl}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>
      >;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    const withJson = operations.filter(({ op }) => op.requestBody?.content['application/json']);
    expect(withJson.length).toBeGreaterThan(20);
    expect(withJson.filter(({ op }) => !('413' in op.responses && '415' in op.responses)).map(({ at }) => at)).toEqual([]);
    // a re-upload of a stored file answers 200, a new one 201: both documented
    const upload = doc.paths['/documents']!.post!.responses;
    expect(Object.keys(upload)).toEqual(expect.arrayContaining(['200', '201']));

    const res = await fetch(`${h.apiUrl}/disasters/DZ-20261201-0a0b0c/losses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(people.county)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        entries: Array.from({ length: 20_000 }, (_, i) => ({ householdId: `HH-${i}`, item: 'x'.repeat(50) })),
      }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('the docs page is served and points at the document', async () => {
    const res = await fetch(`${h.apiUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('/openapi.json');
  });
});
