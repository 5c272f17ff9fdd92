import ExcelJS from 'exceljs';
import { pollUntil } from '../../common/poll';
import { addDays, shanghaiDateOf } from '../../domain/dates';
import { documentsFor } from '../../domain/synthetic';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { claimInputFor, entryKey, type DisasterEvent } from '../../domain/disaster';
import { createKeyedFiling } from '../../api/services/keyed-filing';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';

const VILLAGE = '341324105003';

/** 灾情批量报案 through the API: declare, enter losses, file them as a batch, follow them to payout. */
describe('disaster claims in bulk', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness({ imports: { sweepMs: 200 } });
  }, 60_000);
  afterAll(() => h.stop());

  async function call<T>(actor: Actor, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(actor)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const yesterday = () => addDays(shanghaiDateOf(new Date()), -1);
  async function declare(actor: Actor = people.township, villages = [VILLAGE]) {
    return call<DisasterEvent>(actor, 'POST', '/disasters', {
      type: 'flood',
      name: '草沟镇暴雨内涝',
      eventDate: yesterday(),
      villages,
      lines: ['property'],
    });
  }
  /** A property loss with its documents uploaded (each household's own files: shared ones would flag duplicates). */
  async function lossOf(householdId: string, assessedLossFen: number, withDocuments = true) {
    const documents = withDocuments ? documentsFor('property', `disaster-${householdId}`, SIXIAN_PRODUCTS) : [];
    await h.storeFiles(documents);
    return { line: 'property' as const, householdId, assessedLossFen, documents };
  }
  interface Job {
    id: string;
    status: string;
    counts: Record<string, number>;
  }
  const finished = (id: string) =>
    pollUntil(
      `batch ${id} to finish`,
      async () => {
        const job = (await call<Job>(people.filer, 'GET', `/imports/${id}`)).body;
        return ['done', 'refused', 'failed'].includes(job.status) ? job : undefined;
      },
      { timeoutMs: 60_000 },
    );

  it('declares an event only over villages of the declarer’s jurisdiction, field by field', async () => {
    const outside = await declare(people.township, [VILLAGE, '341324106001']);
    expect(outside.status).toBe(400);
    expect((outside.body as unknown as { fieldErrors: { path: string }[] }).fieldErrors.map((f) => f.path)).toEqual([
      'villages.1',
    ]);
    expect((await declare(people.filer)).status).toBe(403);
    const bad = await call<{ fieldErrors: { path: string }[] }>(people.county, 'POST', '/disasters', {
      type: 'meteor',
      name: '',
      eventDate: '2999-01-01',
      villages: [],
      lines: ['health'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((f) => f.path).sort()).toEqual(['lines.0', 'name', 'type', 'villages']);
    const future = await call<{ fieldErrors: { path: string; message: string }[] }>(people.county, 'POST', '/disasters', {
      type: 'flood',
      name: '未来的灾情',
      eventDate: '2999-01-01',
      villages: [VILLAGE],
      lines: ['property'],
    });
    expect(future.body.fieldErrors.map((f) => [f.path, f.message])).toEqual([['eventDate', '不能晚于今天']]);
  });

  it('offers a village its loss sheet, and the filled sheet enters each row’s loss, answered row by row', async () => {
    const event = (
      await call<DisasterEvent>(people.county, 'POST', '/disasters', {
        type: 'hail',
        name: '冰雹灾害',
        eventDate: yesterday(),
        villages: [VILLAGE],
        lines: ['crop', 'property'],
      })
    ).body;
    const [a, b, c] = [await h.newHousehold(), await h.newHousehold(), await h.newHousehold()];
    const res = await fetch(`${h.apiUrl}/disasters/${event.eventId}/sheet?village=${VILLAGE}`, {
      headers: { authorization: `Bearer ${await tokenFor(people.filer)}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('损失登记表'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('损失登记')!;
    expect((sheet.getRow(1).values as string[]).slice(1, 4)).toEqual(['户编号', '户主', '险种']);
    const rowOf = (householdId: string, line: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === householdId && row.getCell(3).value === line) found = row;
      });
      return found!;
    };
    rowOf(a.householdId, '家庭财产').getCell(4).value = 5000;
    const crop = rowOf(b.householdId, '特色农产品');
    crop.getCell(5).value = 'wheat';
    crop.getCell(6).value = 2.5;
    crop.getCell(7).value = 60;
    const bad = rowOf(c.householdId, '家庭财产');
    bad.getCell(4).value = '很多';
    const upload = await fetch(`${h.apiUrl}/disasters/${event.eventId}/sheet`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(people.filer)}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from(await book.xlsx.writeBuffer()),
    });
    expect(upload.status).toBe(200);
    const answer = (await upload.json()) as {
      counts: Record<string, number>;
      results: { row: number; householdId: string; result: string; reasons?: { zh: string }[] }[];
    };
    expect(answer.counts).toEqual({ entered: 2, replaced: 0, settled: 0, refused: 1 });
    expect(answer.results.find((r) => r.householdId === c.householdId)).toEqual({
      row: bad.number,
      householdId: c.householdId,
      result: 'refused',
      reasons: [expect.objectContaining({ zh: '财产损失须为大于 0 的金额（元）' })],
    });
    expect(answer.results.find((r) => r.householdId === a.householdId)).toMatchObject({
      row: rowOf(a.householdId, '家庭财产').number,
      result: 'entered',
    });
    const progress = (
      await call<{ entries: { householdId: string; line: string; status: string; entry: object }[] }>(
        people.filer,
        'GET',
        `/disasters/${event.eventId}`,
      )
    ).body;
    expect(progress.entries.map((e) => [e.householdId, e.line, e.status])).toEqual(
      [
        [a.householdId, 'property', 'waiting'],
        [b.householdId, 'crop', 'waiting'],
      ].sort((x, y) => `${x[0]}:${x[1]}`.localeCompare(`${y[0]}:${y[1]}`)),
    );
    expect(progress.entries.find((e) => e.line === 'crop')?.entry).toMatchObject({
      item: 'wheat',
      units: 2.5,
      lossRatioBp: 6000,
    });
    const notXlsx = await fetch(`${h.apiUrl}/disasters/${event.eventId}/sheet`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(people.filer)}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from('not a workbook'),
    });
    expect(notXlsx.status).toBe(415);
  });

  it('files the entered losses as ordinary claims, once however often entered or filed, and follows them to payout', async () => {
    const event = (await declare()).body;
    expect(event.eventId).toMatch(/^DZ-\d{8}-[0-9a-f]{6}$/);
    const households = await Promise.all(Array.from({ length: 6 }, () => h.newHousehold()));
    const elsewhere = await h.newHousehold({ divisionCode: '341324106001' });
    const losses = await Promise.all(households.map((x, i) => lossOf(x.householdId, 300_000 + i * 10_000)));
    const offered = (
      await call<{ households: { householdId: string; lines: { line: string }[] }[] }>(
        people.filer,
        'GET',
        `/disasters/${event.eventId}/households?village=${VILLAGE}`,
      )
    ).body;
    for (const x of households)
      expect(offered.households.find((o) => o.householdId === x.householdId)?.lines).toEqual([{ line: 'property' }]);

    const entered = await call<{ counts: Record<string, number>; results: { result: string; reasons?: { zh: string }[] }[] }>(
      people.filer,
      'POST',
      `/disasters/${event.eventId}/losses`,
      {
        entries: [
          ...losses,
          await lossOf(elsewhere.householdId, 100_000),
          { line: 'crop', householdId: households[0]!.householdId, item: 'wheat', units: 2, lossRatioBp: 5000 },
        ],
      },
    );
    expect(entered.status).toBe(200);
    expect(entered.body.counts).toEqual({ entered: 6, replaced: 0, settled: 0, refused: 2 });
    expect(entered.body.results[6]!.reasons![0]!.zh).toContain('辖区内没有农户');
    expect(entered.body.results[7]!.reasons![0]!.zh).toContain('不涉及该险种');
    // entered again before filing: replaced, still one entry each
    expect(
      (
        await call<{ counts: Record<string, number> }>(people.filer, 'POST', `/disasters/${event.eventId}/losses`, {
          entries: losses,
        })
      ).body.counts,
    ).toMatchObject({ replaced: 6 });

    // a filing cut short by a crash: the first household's claim filed under its key, the entry never settled
    const keyed = createKeyedFiling({ service: h.service, idempotency: h.stores.idempotency });
    const first = households[0]!;
    const early = await keyed.file(
      claimInputFor(event, losses[0]!, 'm1', shanghaiDateOf(new Date())),
      people.filer,
      `disaster:${entryKey(event.eventId, losses[0]!)}`,
    );

    const job = (await call<Job>(people.filer, 'POST', `/disasters/${event.eventId}/file`)).body;
    expect((await finished(job.id)).counts).toEqual({ filed: 6, refused: 0 });
    const progress = (
      await call<{ counts: Record<string, number>; entries: { householdId: string; claimNo: string | null }[] }>(
        people.filer,
        'GET',
        `/disasters/${event.eventId}`,
      )
    ).body;
    expect(progress.entries.filter((e) => households.some((x) => x.householdId === e.householdId))).toHaveLength(6);
    const claimNos = progress.entries.map((e) => e.claimNo!);
    expect(new Set(claimNos).size).toBe(6);
    expect(progress.entries.find((e) => e.householdId === first.householdId)?.claimNo).toBe(early.body.claimNo);

    // entered and filed again: nothing new
    expect(
      (
        await call<{ counts: Record<string, number> }>(people.filer, 'POST', `/disasters/${event.eventId}/losses`, {
          entries: losses,
        })
      ).body.counts,
    ).toMatchObject({ settled: 6 });
    const again = (await call<Job>(people.filer, 'POST', `/disasters/${event.eventId}/file`)).body;
    expect((await finished(again.id)).counts).toEqual({ filed: 0, refused: 0 });
    for (const x of households) {
      // the list is the read model, which a new claim's workflow writes moments after its filing: wait for it, then
      // it holds that one claim and no second
      const items = await pollUntil(`the claim of ${x.householdId} in the list`, async () => {
        const list = (await call<{ items: unknown[] }>(people.filer, 'GET', `/claims?household=${x.householdId}`)).body;
        return list.items.length > 0 ? list.items : undefined;
      });
      expect(items).toHaveLength(1);
    }

    // each an ordinary claim: the village reviews, the notice runs, township and county approve, insurer and bank pay
    for (const claimNo of claimNos) {
      await h.waitFor(claimNo, 'village_review');
      await h.service.act(claimNo, { action: 'review', actor: people.village });
    }
    for (const claimNo of claimNos) {
      await h.waitFor(claimNo, 'township_review');
      await h.service.act(claimNo, { action: 'approve', actor: people.township });
      await h.service.act(claimNo, { action: 'approve', actor: people.county });
    }
    for (const claimNo of claimNos) await h.waitFor(claimNo, 'closed', (s) => s.status === 'paid', 60_000);
    const paid = await pollUntil('the event’s claims paid in its progress', async () => {
      const now = (await call<{ counts: Record<string, number> }>(people.township, 'GET', `/disasters/${event.eventId}`)).body;
      return now.counts.paid === 6 ? now : undefined;
    });
    expect(paid.counts).toEqual({ waiting: 0, filed: 0, held: 0, rejected: 0, paid: 6 });
    // another village sees nothing of the event
    expect((await call(people.otherVillage, 'GET', `/disasters/${event.eventId}`)).status).toBe(404);
  }, 240_000);
});
