import { keyIdOf } from '../../common/partners/signature';
import { createPiiCipher } from '../../common/crypto/pii';
import type { Connection } from '../../db/connection';
import { ensureIndexes } from '../../db/indexes';
import { claimEventModel, claimModel } from '../../db/models/claim';
import { householdModel } from '../../db/models/household';
import { isIndexed, summarizePlan } from '../../db/query-plan';
import { createStores } from '../../db/stores';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { LINES } from '../../domain/codes';
import { STAGES } from '../../domain/lifecycle';
import { capsFor } from '../../domain/exposure';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { aHousehold } from '../fixtures/households';
import { connectTestDatabase, dropTestDatabase, testDatabaseUri } from '../helpers/servers';

const CLAIMS = 20_000;
const EVENTS_PER_CLAIM = 2;
const HOUSEHOLDS = 3_000;
const TOWNSHIPS = 15;
const VILLAGES = 20;

const township = (i: number) => `341324${100 + (i % TOWNSHIPS)}`;
const village = (i: number) => `${township(i)}${String(1 + (i % VILLAGES)).padStart(3, '0')}`;
const iso = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString();

/** A claim-shaped read-model document, spread over townships, villages, stages and lines. */
function claimDoc(i: number) {
  const stage = STAGES[i % STAGES.length]!;
  const status = stage === 'closed' ? (['paid', 'rejected', 'withdrawn'] as const)[i % 3] : 'open';
  return {
    claimNo: `FP-20260101-341324-${String(i + 1).padStart(6, '0')}`,
    version: 3,
    stage,
    status,
    line: LINES[i % LINES.length],
    householdId: `HH-${i % HOUSEHOLDS}`,
    memberId: 'm1',
    divisionCode: village(i),
    townshipCode: township(i),
    countyCode: '341324',
    insurerId: i % 2 ? 'picc-suzhou' : 'cpic-anhui',
    policyYear: 2026,
    eventDate: '2026-07-01',
    reportDate: '2026-07-02',
    filedAt: iso(i),
    filedOn: iso(i).slice(0, 10),
    stageSince: iso(i),
    lastTransitionAt: iso(i),
    approvedFen: status === 'paid' ? 100_000 : 0,
    paidFen: status === 'paid' ? 100_000 : 0,
    installments:
      stage === 'payout'
        ? [{ status: 'instructed', amountFen: 100_000 }]
        : status === 'paid'
          ? [{ status: 'confirmed', amountFen: 100_000, settledAt: iso(i) }]
          : [],
    slaBreached: i % 50 === 0,
    eventKey: `event-${i}`,
    documentKeys: [`doc-${i}`],
    overlapKey: `overlap-${i}`,
    benefitKey: LINES[i % LINES.length],
  };
}

const READS = new Set(['find', 'aggregate', 'count', 'distinct']);
const FILTERED_WRITES: Record<string, (c: Record<string, unknown>) => object[]> = {
  findAndModify: (c) => [c.query ?? {}],
  update: (c) => (c.updates as { q: object }[]).map((u) => u.q),
  delete: (c) => (c.deletes as { q: object }[]).map((d) => d.q),
};

interface Captured {
  collection: string;
  explain: Record<string, unknown>;
  shape: string;
}

/** The values of a filter replaced by their types: two calls with other arguments are one shape. */
const shapeOf = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(shapeOf)
    : typeof value === 'object' && value !== null && !(value instanceof Date) && value.constructor === Object
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]))
      : typeof value;

/**
 * Every query the API and the worker send, captured on the wire while each repository function runs on a county's
 * worth of data, then explained by the server: each must be served by an index (no collection scan). Writes are
 * checked through their filters. The shapes and their indexes are listed in the README.
 */
describe('every query the service runs is served by an index', () => {
  let mongo: Connection;
  const captured: Captured[] = [];
  let capturing = false;

  beforeAll(async () => {
    mongo = await connectTestDatabase(testDatabaseUri(), { monitorCommands: true });
    await ensureIndexes(mongo);
    // FerretDB takes at most 25,000 documents per insert (more than its hello says): load in batches
    const load = async (collection: { insertMany(docs: object[], o: object): Promise<unknown> }, docs: object[]) => {
      for (let i = 0; i < docs.length; i += 5_000) await collection.insertMany(docs.slice(i, i + 5_000), { ordered: false });
    };
    await load(
      claimModel(mongo).collection,
      Array.from({ length: CLAIMS }, (_, i) => claimDoc(i)),
    );
    await load(
      claimEventModel(mongo).collection,
      Array.from({ length: CLAIMS * EVENTS_PER_CLAIM }, (_, k) => ({
        _id: `${claimDoc(Math.floor(k / EVENTS_PER_CLAIM)).claimNo}:${(k % EVENTS_PER_CLAIM) + 1}`,
        claimNo: claimDoc(Math.floor(k / EVENTS_PER_CLAIM)).claimNo,
        seq: (k % EVENTS_PER_CLAIM) + 1,
        at: new Date(),
        action: 'x',
        fromStage: 'a',
        toStage: 'b',
      })),
    );
    await load(
      householdModel(mongo).collection,
      Array.from({ length: HOUSEHOLDS }, (_, i) => ({
        householdId: `HH-${i}`,
        divisionCode: village(i),
        currentCategory: 'poverty_alleviated',
        memberNames: [`成员${i}`],
        idSuffixes: [String(i % 10_000).padStart(4, '0')],
        residentIdHashes: [`hash-${i}`],
        data: aHousehold({ householdId: `HH-${i}`, divisionCode: village(i) }), // clear text: read as a legacy record
      })),
    );
    mongo.getClient().on('commandStarted', (event) => {
      if (!capturing) return;
      const command = event.command as Record<string, unknown>;
      const collection = String(command[event.commandName]);
      const base = Object.fromEntries(Object.entries({ limit: command.limit, sort: command.sort }).filter(([, v]) => v != null));
      if (READS.has(event.commandName)) {
        const explain = Object.fromEntries(
          Object.entries(command).filter(([k]) => !k.startsWith('$') && !['lsid', 'txnNumber', 'cursor'].includes(k)),
        );
        if (event.commandName === 'aggregate') explain.cursor = {};
        captured.push({
          collection,
          explain,
          shape: JSON.stringify(shapeOf(command.filter ?? command.pipeline ?? command.query)),
        });
      } else if (FILTERED_WRITES[event.commandName]) {
        for (const filter of FILTERED_WRITES[event.commandName]!(command)) {
          captured.push({
            collection,
            explain: { find: collection, filter, ...base },
            shape: `${event.commandName} ${JSON.stringify(shapeOf(filter))}`,
          });
        }
      }
    });
  }, 120_000);
  afterAll(() => dropTestDatabase(mongo));

  test('when each repository function runs, then the server serves each of its queries from an index', async () => {
    const stores = createStores(mongo, createPiiCipher('0f'.repeat(32)));
    const canaries = createCanaryRepository(mongo);
    const household = aHousehold({ householdId: 'HH-plans', divisionCode: village(7) });
    const claimNo = claimDoc(42).claimNo;
    capturing = true;

    // claims: numbering, filing, reads, lists in every shape people use, progress, duplicates, caps
    await stores.claims.nextSequence('341324', '2026-02-01');
    await stores.claims.nextSequence('341324', '2026-02-01');
    await stores.claims.find(claimNo);
    await stores.claims.events(claimNo);
    for (const scope of ['341324', township(3), village(3)]) {
      await stores.claims.list({ scope }, 20);
      await stores.claims.list({ scope, stage: 'village_review' }, 20);
      await stores.claims.list({ scope, status: 'open', line: 'health' }, 20);
      await stores.claims.list({ scope, insurerId: 'picc-suzhou', slaBreached: true }, 20);
      await stores.claims.list({ scope, eventFrom: '2026-06-01', eventTo: '2026-08-01' }, 20);
      await stores.claims.list({ scope, claimNoContains: '0001' }, 20);
      await stores.claims.list({ scope, householdId: claimDoc(7).householdId }, 20);
      await stores.claims.list({ scope }, 20, { filedAt: iso(10_000), claimNo: claimDoc(10_000).claimNo });
    }
    await stores.claims.findDuplicates({ claimNo, eventKey: 'event-7', documentKeys: ['doc-8'] });
    await stores.claims.findDuplicates({
      claimNo,
      eventKey: 'event-7',
      documentKeys: [],
      overlapKey: { key: 'overlap-9', line: 'health' },
    });
    await stores.claims.yearToDate({
      claimNo,
      householdId: 'HH-7',
      memberId: 'm1',
      line: 'health',
      policyYear: 2026,
      benefitKey: 'health',
    });
    await stores.claims.recordProgress({
      claimNo,
      version: 4,
      projection: { ...claimDoc(42), version: 4 } as never,
      events: [
        {
          seq: 3,
          at: new Date().toISOString(),
          actor: { userId: 'u', role: 'system' },
          action: 'x',
          fromStage: 'a',
          toStage: 'b',
        },
      ],
    });
    await stores.claims.remove('FP-20260101-341324-999999');

    // ops and metrics
    for (const scope of ['341324', township(3), village(3)]) {
      await stores.claimStats.summary(scope, '2026-01-01');
      await stores.claimStats.late(
        scope,
        [
          { stage: 'village_review', before: iso(5_000) },
          { stage: 'insurer_review', line: 'health', before: iso(5_000) },
        ],
        50,
      );
      await stores.claimStats.stuck(scope, iso(5_000), 50);
      await stores.claimStats.byClaimNos(scope, [claimNo, claimDoc(43).claimNo]);
      await stores.claimStats.needingAttention(scope, 50);
      await stores.claimStats.queue('village', scope, 50);
      await stores.users.list(scope);
    }
    await stores.claimStats.openByStage();
    await stores.claimStats.installmentsInFlight();

    // households
    await stores.households.save(household);
    await stores.users.find('plans-admin');
    await stores.users.auditTrail('plans-admin');
    await stores.households.find('HH-plans');
    const proposed = await stores.households.propose(
      { ...household, payoutAccount: { ...household.payoutAccount, cardNumber: '6217000010007777777' } },
      { by: { userId: 'u', role: 'village' }, reason: 'new card', source: { kind: 'household_api' } },
    );
    if (proposed.status !== 'pending') throw new Error(`a card change should wait for approval, got ${proposed.status}`);
    await stores.households.decide('HH-plans', proposed.changeId, { approve: true, by: { userId: 'u2', role: 'township' } });
    await stores.households.history('HH-plans');
    await stores.households.untold();
    await stores.households.markNotified('HH-plans', proposed.changeId);
    await stores.claims.openOfHousehold('HH-7');
    for (const scope of ['341324', township(3), village(3)]) {
      for await (const page of stores.claims.settledPayouts({ scope, from: iso(1_000), to: iso(3_000), line: 'health' }))
        void page;
      for await (const page of stores.households.idsInScope(scope, 100)) {
        await stores.exposure.forHouseholds(
          page.map((p) => p.householdId),
          2026,
        );
        break;
      }
    }
    await stores.claims.underNotice(village(3));
    for (const scope of ['341324', township(3), village(3)]) {
      await stores.households.search({ scope }, 20);
      await stores.households.search({ scope, category: 'poverty_alleviated' }, 20, 'HH-100');
      await stores.households.search({ scope, name: '成员7' }, 20);
      await stores.households.search({ scope, idSuffix: '0007' }, 20);
      await stores.households.search({ scope, residentId: household.members[0]!.residentId }, 20);
    }

    // the exposure ledger: a hold (read, then the rev-guarded write), a payout's room, a household's buckets
    const caps = capsFor(
      SIXIAN_PRODUCTS[1]!.lines.property!,
      { householdId: 'HH-7', memberId: 'm1', loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 } },
      2026,
    );
    await stores.exposure.hold({ claimNo, caps, wantHeldFen: 750_000, paidFen: 0 });
    await stores.exposure.hold({ claimNo, caps, wantHeldFen: 700_000, paidFen: 0 });
    await stores.exposure.unpaidHeld(claimNo, caps);
    await stores.exposure.forHousehold('HH-7');

    // idempotency keys, partner deliveries, activity failures, the canary
    await stores.idempotency.claim('user-1', 'key-1', 'hash');
    await stores.idempotency.claim('user-1', 'key-1', 'hash');
    await stores.idempotency.complete('user-1', 'key-1', 202, {});
    await stores.idempotency.attach('user-1', 'key-1', 'FP-20260101-341324-000001');
    await stores.idempotency.yieldLease('user-1', 'key-2');
    await stores.idempotency.claim('user-1', 'key-1', 'hash', 0);
    await stores.deliveries.find('bank', 'd-1');
    await stores.deliveries.remember('bank', 'd-1', { status: 200, response: {} });
    await stores.activityFailures.record({ workflowId: 'w', claimNo, activityType: 'deliver', attempt: 2, message: 'x' });
    await stores.activityFailures.recent(20);
    await stores.activityFailures.clear('w', 'deliver');
    await canaries.record('canary-1');
    await canaries.confirm('canary-1', new Date());
    await canaries.find('canary-1');

    // the partner registry: seeded, read whole and one by one, keys added and retired, endpoints set, messages logged
    const secret = (n: number) => `${n}`.repeat(40);
    await stores.partners.seed({
      insurers: [{ id: 'ins-a', url: 'http://127.0.0.1:1', secrets: [secret(1)] }],
      bank: { url: 'http://127.0.0.1:2', secrets: [secret(2)] },
      dataSources: { url: 'http://127.0.0.1:3', secrets: [secret(3)] },
    });
    await stores.partners.isEmpty();
    await stores.partners.snapshot();
    await stores.partners.list();
    await stores.partners.history('bank');
    const added = await stores.partners.addKey('bank', secret(4), { by: 'ops-1', byRole: 'ops' }, 'rotation');
    await stores.partners.retireKey('bank', keyIdOf(secret(2)), { by: 'ops-1', byRole: 'ops' }, 'rotated');
    if ('version' in added)
      await stores.partners.setEndpoints(
        'bank',
        added.version + 1,
        { sandboxUrl: 'http://127.0.0.1:4' },
        { by: 'o', byRole: 'ops' },
        'x',
      );
    await stores.partners.recordMessage({ partnerId: 'bank', keyId: keyIdOf(secret(4)), route: 'payouts', deliveryId: 'd-1' });
    await stores.partners.messages('bank', new Date(0), 100);
    await stores.partners.lastUse('bank', keyIdOf(secret(4)), new Date(0));
    await stores.partners.pruneMessages(new Date(0));
    const sandboxState = {
      claimNo: 'FP-20260101-000000-000001',
      insurerId: 'ins-a',
      stage: 'with_insurer' as const,
      status: 'open' as const,
      round: 1,
      proposedFen: 1,
      productId: 'conformance-test',
      approvedFen: null,
      payout: null,
      seen: [],
      trail: [],
      createdBy: 'ops-1',
      createdAt: new Date().toISOString(),
      seq: 1,
    };
    await stores.sandboxClaims.record(sandboxState);
    await stores.sandboxClaims.record({ ...sandboxState, seq: 2 });
    await stores.sandboxClaims.record(sandboxState); // an older state: changes nothing
    await stores.sandboxClaims.find(sandboxState.claimNo);
    await stores.sandboxClaims.recent(new Date(0), 50);

    // document files: stored (chunks, then the record), found, checked as listed, read back in order
    const file = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(600_000, 7)]);
    const { document } = await stores.documents.store(file, 'application/pdf', { userId: 'u', jurisdiction: '341324' });
    await stores.documents.store(file, 'application/pdf', { userId: 'u', jurisdiction: '341324' });
    await stores.documents.find(document.sha256);
    await stores.documents.missing([document.sha256, 'f'.repeat(64)]);
    await stores.documents.read(document.sha256);

    // Excel import jobs: created, leased, progressed, finished, listed, and the abandoned ones looked for
    const job = await stores.imports.create({
      id: 'imp-0123456789abcdef',
      kind: 'roster',
      mode: 'all_or_nothing',
      fileName: 'x.xlsx',
      fileId: document.sha256,
      fileSha256: document.sha256,
      size: 1,
      by: { userId: 'u', role: 'village' },
      jurisdiction: village(3),
    });
    await stores.imports.lease(job.id, 'owner', 30_000);
    await stores.imports.progress(job.id, 'owner', 30_000, { status: 'checking', doneRows: 250 });
    await stores.imports.finish(job.id, 'owner', { status: 'done' });
    await stores.imports.find(job.id);
    await stores.imports.abandoned();
    for (const scope of ['341324', township(3), village(3)]) await stores.imports.recent(scope);

    // disaster events: declared, found, listed; losses entered (again), waiting ones paged, settled, counted, listed
    await stores.disasters.declare({
      eventId: 'DZ-20260701-abcdef',
      type: 'flood',
      name: '暴雨',
      eventDate: '2026-07-01',
      villages: [village(3)],
      lines: ['property'],
      declaredBy: { userId: 'u', role: 'county' },
      jurisdiction: '341324',
      declaredAt: new Date().toISOString(),
    });
    await stores.disasters.find('DZ-20260701-abcdef');
    for (const scope of ['341324', township(3), village(3)]) await stores.disasters.recent(scope);
    const entry = {
      id: 'DZ-20260701-abcdef:HH-3:property',
      eventId: 'DZ-20260701-abcdef',
      householdId: 'HH-3',
      divisionCode: village(3),
      line: 'property' as const,
      entry: { line: 'property' as const, householdId: 'HH-3', assessedLossFen: 100_000, documents: [] },
      memberId: 'm1',
      enteredBy: { userId: 'u', role: 'village' },
    };
    await stores.disasters.enter(entry);
    await stores.disasters.enter(entry);
    await stores.disasters.waiting('DZ-20260701-abcdef', township(3), 100);
    await stores.disasters.counts('DZ-20260701-abcdef', village(3));
    await stores.disasters.settle(entry.id, { claimNo });
    await stores.disasters.list('DZ-20260701-abcdef', { village: village(3) });
    await stores.disasters.list('DZ-20260701-abcdef', { after: entry.id });

    // early warning: a household's paid claims; findings raised (again) on its open referral, read and listed
    await stores.claims.paidOfHousehold('HH-7', 'FP-20260101-341324-000008');
    const finding = { rule: 'LARGE_PAYOUT' as const, zh: '大额赔付', en: 'large payout', figures: {}, claimNo: 'FP-1' };
    const { referralId } = await stores.referrals.raise(
      { householdId: 'HH-7', divisionCode: village(7) },
      { ...finding, key: 'FP-1:LARGE_PAYOUT' },
    );
    await stores.referrals.raise({ householdId: 'HH-7', divisionCode: village(7) }, { ...finding, key: 'FP-1:LARGE_PAYOUT' });
    await stores.referrals.find(referralId);
    await stores.referrals.openFor('HH-7');
    await stores.referrals.countsByStatus();
    for (const scope of ['341324', township(7), village(7)]) await stores.referrals.recent(scope);
    await stores.referrals.recordProgress(referralId, {
      stage: 'verification',
      pendingRole: 'village',
      dueAt: '2026-07-15T00:00:00.000Z',
      slaBreached: false,
      seq: 1,
    });
    await stores.referrals.inNotice(village(7));
    for (const scope of ['341324', township(7), village(7)]) {
      await stores.referrals.late(scope, new Date());
      await stores.referrals.countOpen(scope);
    }

    // a household's assistance plan: read, created, saved on its version
    const measure = { kind: 'industry' as const, content: '养殖补贴', startOn: '2026-12-01', status: 'planned' as const };
    const by = { userId: 'village-1', role: 'village' };
    await stores.assistancePlans.save(
      { householdId: 'HH-7', divisionCode: village(7), measures: [measure], expectedVersion: 0 },
      by,
    );
    await stores.assistancePlans.save({ householdId: 'HH-7', divisionCode: village(7), measures: [], expectedVersion: 1 }, by);
    await stores.assistancePlans.find('HH-7');

    // the settlement feed: a member's health claim for a stay; the county's cursor read, moved and listed
    await stores.claims.hasHealthClaim('HH-7', 'm1', '2026-07-01', '2026-07-20');
    await stores.feedCursors.position('medical-settlements', '341324');
    await stores.feedCursors.advance('medical-settlements', '341324', { from: null, to: '3', scanned: 3, raised: 1 });
    await stores.feedCursors.advance('medical-settlements', '341324', { from: '3', to: '5', scanned: 2, raised: 0 });
    await stores.feedCursors.ofCounty('341324');
    capturing = false;

    const shapes = new Map<string, Captured>();
    for (const c of captured) shapes.set(`${c.collection} ${c.shape}`, c);
    expect(shapes.size).toBeGreaterThan(30);
    const unindexed: string[] = [];
    for (const [shape, c] of shapes) {
      const explain = await mongo.db!.command({ explain: c.explain, verbosity: 'queryPlanner' });
      const plan = summarizePlan(explain);
      if (!isIndexed(plan)) unindexed.push(`${shape}\n    → ${plan.text}`);
    }
    expect(unindexed).toEqual([]);
  }, 180_000);

  test('when a query has no index to use, then the plan reader says so (the check above can fail)', async () => {
    const explain = await mongo.db!.command({
      explain: { find: 'claims', filter: { reportDate: '2026-07-02', memberId: 'm1' } },
      verbosity: 'queryPlanner',
    });
    expect(isIndexed(summarizePlan(explain))).toBe(false);
  });
});
