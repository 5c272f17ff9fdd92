import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Dialog, Page } from 'playwright-core';
import { hashPassword } from '../../api/auth/passwords';
import { pollUntil } from '../../common/poll';
import { DOCUMENT_LABELS } from '../../domain/codes';
import type { StaffRole } from '../../domain/lifecycle';
import { aHousehold, aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { launchChromium, workbenchBuilt } from '../helpers/browser';
import { uniqueName } from '../helpers/servers';
import type { Actor } from '../../workflows/claim/types';

const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const VILLAGE = '341324105003';

/**
 * The staff workbench (web/, Vue and Element Plus) in headless Chromium against the real stack, through its pages
 * only: a village cadre finds a household, files a claim with its documents uploaded, the village head reviews, the
 * notice runs, the township and the county (two more accounts) approve, the insurer and bank simulators answer, and
 * the claim shows as paid with its trail; with the refusals a person meets on the way (self-review, another village's
 * claim, a missing document, a file that is not a document, a wrong password five times).
 */
describe('staff workbench in a real browser', () => {
  let h: ClaimHarness;
  let browser: Browser;
  let page: Page;
  const suffix = uniqueName('wb')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-8);
  const account = (name: string, role: StaffRole, jurisdiction: string, displayName: string) => ({
    username: `${name}${suffix}`,
    password: `${name}-pass-2026`,
    role,
    jurisdiction,
    displayName,
  });
  const clerk = account('clerk', 'village', VILLAGE, '村干部甲');
  const head = account('head', 'village', VILLAGE, '村主任乙');
  const outsider = account('outsider', 'village', '341324106001', '外村干部');
  const township = account('town', 'township', VILLAGE.slice(0, 9), '镇审核员');
  const county = account('county', 'county', '341324', '县审批员');
  const admin = account('admin', 'admin', '341324', '县管理员');
  const county2 = account('countyb', 'county', '341324', '县复核员');
  let household: Awaited<ReturnType<ClaimHarness['newHousehold']>>;
  const files = mkdtempSync(join(tmpdir(), 'fangpin-wb-'));

  /** A file of a kind the API takes (its first bytes say what it is), or anything else. */
  function fileOf(name: string, signature: number[] | string): string {
    const path = join(files, name);
    const head = typeof signature === 'string' ? Buffer.from(signature) : Buffer.from(signature);
    writeFileSync(path, Buffer.concat([head, randomBytes(2048)]));
    return path;
  }
  const JPEG = [0xff, 0xd8, 0xff, 0xe0];
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

  /** The text field of a form item: Element Plus puts the attribute on the input itself, or on its wrapper. */
  const input = (test: string) => {
    const at = `[data-test="${test}"]`;
    return page.locator(`:is(input${at}, textarea${at}, ${at} input, ${at} textarea)`).first();
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `workbench-${name}.png`), fullPage: true });
  /** Picks an option of an Element Plus select by its label. */
  async function choose(test: string, text: string) {
    await page.click(`[data-test="${test}"]`);
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
  }
  async function open(hash: string) {
    await page.goto(`${h.apiUrl}/app/#${hash}`);
    await page.reload();
  }
  async function signIn(who: { username: string; password: string }) {
    await page.context().clearCookies(); // whoever was signed in before (a test that stopped midway) is gone
    await page.goto(`${h.apiUrl}/app/`);
    await page.waitForSelector('[data-test="sign-in"]');
    await input('username').fill(who.username);
    await input('password').fill(who.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="queue-page"]');
  }
  async function signOut() {
    await page.click('[data-test="sign-out"]');
    await page.waitForSelector('[data-test="sign-in"]');
  }
  /** Reloads the claim page until its title says what is awaited (the workflow moves on its own between actions). */
  async function claimPageUntil(claimNo: string, title: RegExp, timeoutMs = 60_000) {
    await pollUntil(
      `claim ${claimNo} to show ${title}`,
      async () => {
        await open(`/claims/${claimNo}`);
        await page.waitForSelector('[data-test="claim-title"]');
        return title.test((await page.textContent('[data-test="claim-title"]')) ?? '') ? true : undefined;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  beforeAll(async () => {
    workbenchBuilt();
    h = await startClaimHarness();
    for (const a of [clerk, head, outsider, township, county, county2, admin])
      await h.stores.users.create({
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        jurisdiction: a.jurisdiction,
        passwordHash: await hashPassword(a.password),
        mustChangePassword: false,
        createdBy: 'test',
      });
    // a head with a name of this run's own, so the search by name finds this household among the suite's others
    const given = [...'明华建国秀英志强海燕春梅'];
    const name = `欧阳${given[Math.floor(Math.random() * given.length)]}${given[Math.floor(Math.random() * given.length)]}`;
    const base = aHousehold();
    household = await h.newHousehold({
      members: base.members.map((m) => (m.relation === 'head' ? { ...m, name } : m)),
      payoutAccount: { ...base.payoutAccount, holderName: name },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  test('a claim from the household search to paid, through the pages of five accounts', async () => {
    // the village cadre: sign in, find the household by the head's name
    await page.goto(`${h.apiUrl}/app`);
    await page.waitForSelector('[data-test="sign-in"]');
    expect(await page.textContent('h1')).toBe('防贫保理赔工作台');
    await shot('sign-in');
    await signIn(clerk);
    await page.click('nav a[href="#/households"]');
    const headMember = household.members.find((m) => m.relation === 'head')!;
    await input('household-query').fill(headMember.name);
    await page.click('[data-test="household-search-submit"]');
    await page.locator(`[data-test="household-results"] a[data-household="${household.householdId}"]`).waitFor();
    // the household number (户编号) finds it too
    await input('household-query').fill(household.householdId);
    await page.click('[data-test="household-search-submit"]');
    await page.locator(`[data-test="household-results"] a[data-household="${household.householdId}"]`).waitFor();
    expect(await page.locator('[data-test="household-results"] .el-table__row').count()).toBe(1);
    await page.click(`[data-test="household-results"] a[data-household="${household.householdId}"]`);
    await page.waitForSelector('[data-test="members"] .el-table__row');
    const members = (await page.textContent('[data-test="members"]')) ?? '';
    expect(members).toContain(headMember.name);
    expect(members).toContain('户主');
    expect(members).not.toContain(headMember.residentId);
    expect(members).toContain(headMember.residentId.slice(-4));
    expect(await page.textContent('[data-fact="category"]')).toContain('脱贫不稳定户'); // 监测对象 since 2026-09
    await shot('household');
    // its claims as Excel, with the page's session
    const exported = await page.request.get(
      `${h.apiUrl}${await page.getAttribute('[data-test="export-household-claims"]', 'href')}`,
    );
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toContain('spreadsheetml');

    // the filing form: property (fire, ¥8,000), the preview first without documents, then with them
    await page.click('[data-test="file-link"]');
    await page.waitForSelector('[data-test="f-loss"] [data-field="assessedLossFen"]');
    await input('f-event').fill('2026-08-15');
    await input('f-event').press('Enter');
    await input('f-report').fill('2026-08-16');
    await input('f-report').press('Enter');
    await choose('loss-cause', '火灾');
    await input('loss-assessedLossFen').fill('8000');
    await input('loss-assessedLossFen').press('Tab');
    await page.click('[data-test="f-preview"]');
    await page.waitForSelector('[data-test="f-preview-result"][data-eligible="true"]');
    expect(await page.getAttribute('[data-test="f-preview-result"]', 'data-payable')).toBe('750000');
    expect(await page.textContent('[data-test="f-preview-result"]')).toContain('¥7,500.00');
    // a missing document is said before anything is filed, by name, and each required one is marked
    const missing = (await page.textContent('[data-test="f-missing"]')) ?? '';
    for (const kind of ['id_card', 'payout_account', 'photo', 'loss_list'] as const)
      expect(missing).toContain(DOCUMENT_LABELS[kind].zh);
    expect(await page.locator('[data-test="required-documents"] [data-provided="false"]').count()).toBe(4);

    // a file that is not a document is refused from its content, in Chinese
    await page.setInputFiles('[data-test="document-file"] input[type=file]', fileOf('照片.jpg', '<html>not a photo</html>'));
    await page.locator('[data-test="upload-error"]', { hasText: '只能上传 PDF' }).waitFor();
    for (const [kind, file] of [
      ['id_card', fileOf('身份证.jpg', JPEG)],
      ['payout_account', fileOf('社保卡.png', PNG)],
      ['photo', fileOf('现场照片.jpg', JPEG)],
      ['loss_list', fileOf('损失清单.pdf', '%PDF-1.4\n')],
    ] as const) {
      await choose('document-kind', DOCUMENT_LABELS[kind].zh);
      await page.setInputFiles('[data-test="document-file"] input[type=file]', file);
      await page.locator(`[data-test="required-documents"] [data-kind="${kind}"][data-provided="true"]`).waitFor();
    }
    expect(await page.locator('[data-test="document-list"] .el-table__row').count()).toBe(4);
    await page.click('[data-test="f-preview"]');
    await pollUntil('the preview without missing documents', async () =>
      (await page.locator('[data-test="f-missing"]').count()) === 0 ? true : undefined,
    );
    await shot('file-claim');
    await page.click('[data-test="f-submit"]');
    await page.waitForSelector('[data-test="claim-title"]');
    const claimNo = /FP-\d{8}-341324-\d{6}/.exec((await page.textContent('[data-test="claim-title"]')) ?? '')?.[0];
    expect(claimNo).toBeDefined();
    if (!claimNo) return;
    await claimPageUntil(claimNo, /村级审核/);
    expect(await page.locator('[data-test="claim-documents"] .el-table__row').count()).toBe(4);
    // the documents open through the claim, as they were uploaded
    const href = await page.getAttribute('[data-test="claim-documents"] a', 'href');
    const opened = await page.request.get(`${h.apiUrl}${href}`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toMatch(/^(image\/jpeg|image\/png|application\/pdf)/);
    // maker ≠ checker: the filer's own review is refused by the workflow, in Chinese
    await page.click('[data-action="review"]');
    await page.locator('[data-test="action-error"]', { hasText: /[\u4e00-\u9fff]/ }).waitFor();
    expect(await page.locator('[data-test="action-done"]').count()).toBe(0);
    await signOut();

    // another village's cadre: the claim does not exist for them
    await signIn(outsider);
    await open(`/claims/${claimNo}`);
    await page.locator('[data-test="action-error"]', { hasText: '您的辖区内没有理赔案件' }).waitFor();
    await signOut();

    // the village head reviews from the queue; the notice (1 s in tests) runs; the township and the county approve
    await signIn(head);
    await page.locator(`[data-test="queue"] a[data-claim="${claimNo}"]`).waitFor();
    expect(Number(await page.getAttribute('[data-stage="village_review"]', 'data-count'))).toBeGreaterThanOrEqual(1);
    await shot('queue');
    // the same queue on a village cadre's phone: one card per claim; and the English switch
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    await page.locator(`.queue-card a[data-claim="${claimNo}"]`).waitFor();
    await shot('phone');
    await page.click('[data-test="lang"]');
    await expect(page.textContent('h2')).resolves.toBe('My queue');
    await page.click('[data-test="lang"]');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await page.locator(`[data-test="queue"] a[data-claim="${claimNo}"]`).waitFor();
    await page.click(`[data-test="queue"] a[data-claim="${claimNo}"]`);
    await page.waitForSelector('[data-action="review"]');
    await input('reason').fill('经入户核实，损失属实');
    await page.click('[data-action="review"]');
    await page.locator('[data-test="action-done"]', { hasText: '已办理：' }).waitFor();
    await signOut();

    for (const approver of [township, county]) {
      await signIn(approver);
      await pollUntil(`the claim in the ${approver.role} queue`, async () => {
        await page.reload();
        await page.waitForSelector('[data-test="queue-page"]');
        return (await page.locator(`[data-test="queue"] a[data-claim="${claimNo}"]`).count()) === 1 ? true : undefined;
      });
      await page.click(`[data-test="queue"] a[data-claim="${claimNo}"]`);
      await page.waitForSelector('[data-action="approve"]');
      await page.click('[data-action="approve"]');
      await page.locator('[data-test="action-done"]', { hasText: '已办理：' }).waitFor();
      if (approver === township) await signOut();
    }

    // the insurer simulator decides, the bank simulator pays: the county sees it paid, with the whole trail
    await claimPageUntil(claimNo, /已支付|已赔付|已结案/, 90_000);
    expect(await page.textContent('[data-fact="paid"]')).toBe('¥7,500.00');
    const trail = (await page.textContent('[data-test="timeline"]')) ?? '';
    for (const step of ['报案', '审核通过', '经入户核实，损失属实', '批准']) expect(trail).toContain(step);
    expect(trail).toContain(township.username);
    expect(trail).toContain(county.username);
    expect(await page.textContent('[data-test="exposure"]')).toContain('¥');
    await shot('claim-paid');
    // the payment is on the county's payouts report, downloaded from the Excel page (the month so far, every line)
    await page.click('nav a[href="#/excel"]');
    await page.waitForSelector('[data-test="excel-page"]');
    await shot('excel');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="export-payouts"] button')]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const payouts: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => payouts.push((row.values as unknown[]).slice(1)));
    expect(payouts.find((r) => r[1] === claimNo)?.slice(8, 10)).toEqual([7500, '已到账']);
    // the ops dashboard is part of the same sign-in: from the menu, its figures without a second sign-in
    await page.click('nav a[href="#/ops"]');
    await page.waitForSelector('[data-test="tile-paid"][data-value]');
    expect(await page.isVisible('[data-test="sign-in"]')).toBe(false);
    await page.click('nav a[href="#/"]');
    await page.waitForSelector('[data-test="queue-page"]');

    await signOut();
  });

  test('an objection during the public notice is recorded from the claim page and sends the claim to the township', async () => {
    const filer: Actor = { userId: clerk.username, role: 'village', jurisdiction: VILLAGE, name: clerk.displayName };
    const longNotice = h.serviceWith({ noticeMs: 120_000 });
    const { claimNo } = await longNotice.file(aPropertyClaim((await h.newHousehold()).householdId), filer);
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: { userId: head.username, role: 'village', jurisdiction: VILLAGE } });
    await h.waitFor(claimNo, 'public_notice');

    await signIn(head);
    // the village's printable notice lists it, name masked; the objection is recorded from it
    await pollUntil('the claim on the notice list', async () => ((await h.claims.find(claimNo))?.notice ? true : undefined));
    await page.click('nav a[href="#/notices"]');
    await page.locator(`[data-test="notice"] a[data-claim="${claimNo}"]`).waitFor();
    const listed = (await page.textContent('[data-test="notice"]')) ?? '';
    expect(listed).toContain('因火灾造成家庭财产损失');
    expect(listed).toContain('¥7,500.00');
    expect(listed).toContain('0557-7021234');
    expect(listed).not.toMatch(/\d{15,}/);
    await shot('notice');
    const pdf = await page.request.get(`${h.apiUrl}${await page.getAttribute('[data-test="notice-pdf"]', 'href')}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.click(`[data-test="notice"] a[data-claim="${claimNo}"]`);
    await page.waitForSelector('[data-action="object"]');
    expect(await page.textContent('[data-test="claim-title"]')).toContain('公示');
    // the objector's name is required, and said so in Chinese before anything is sent
    await input('reason').fill('邻居反映损失金额偏高');
    await page.click('[data-action="object"]');
    await page.locator('[data-test="action-error"]', { hasText: '请填写异议人姓名。' }).waitFor();
    await input('objector-name').fill('王大明');
    await page.click('[data-action="object"]');
    await page.locator('[data-test="action-done"]', { hasText: '乡镇审核' }).waitFor();
    await h.waitFor(claimNo, 'township_review');
    await signOut();
  });

  test('the later forms: documents the insurer asked for, a corrected account approved by a second person, an appeal', async () => {
    const asActor = (a: typeof clerk): Actor => ({ userId: a.username, role: a.role, jurisdiction: a.jurisdiction });
    /** A claim through the county's approval by the API (the pages for those steps are tested above). */
    async function approved(householdId: string, decisions?: object[]) {
      const { claimNo } = await h.service.file(aPropertyClaim(householdId), asActor(clerk));
      if (decisions) {
        const scripted = await fetch(`${h.insurerUrl()}/_sim/script`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ claimNo, decisions }),
        });
        expect(scripted.status).toBe(204);
      }
      await h.waitFor(claimNo, 'village_review');
      await h.service.act(claimNo, { action: 'review', actor: asActor(head) });
      await h.waitFor(claimNo, 'township_review');
      await h.service.act(claimNo, { action: 'approve', actor: asActor(township) });
      await h.service.act(claimNo, { action: 'approve', actor: asActor(county) });
      return claimNo;
    }

    // the insurer asks for an invoice: the county uploads it on the claim page and supplies it
    const asked = await approved((await h.newHousehold()).householdId, [
      { outcome: 'documents_requested' },
      { outcome: 'approved_full' },
    ]);
    await h.waitFor(asked, 'documents_requested');
    await signIn(county);
    await open(`/claims/${asked}`);
    await page.waitForSelector('[data-action="supplyDocuments"]');
    await page.click('[data-action="supplyDocuments"]');
    await page.locator('[data-test="action-error"]', { hasText: '请至少上传一份材料。' }).waitFor();
    await choose('document-kind', DOCUMENT_LABELS.invoice.zh);
    await page.setInputFiles('[data-test="document-file"] input[type=file]', fileOf('维修发票.pdf', '%PDF-1.4\n'));
    await page.locator('[data-test="document-list"] .el-table__row').waitFor();
    await page.click('[data-action="supplyDocuments"]');
    await page.locator('[data-test="action-done"]', { hasText: '已办理：' }).waitFor();
    expect((await h.waitFor(asked, 'closed')).status).toBe('paid');

    // the card bounces: one county account corrects it, a second approves the correction, and it pays
    const bouncing = await h.newHousehold();
    await fetch(`${h.bankUrl}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ forcedBounces: { [bouncing.payoutAccount.cardNumber]: 'card_closed' } }),
    });
    const bounced = await approved(bouncing.householdId);
    await h.waitFor(bounced, 'payout_bounced');
    await open(`/claims/${bounced}`);
    await page.waitForSelector('[data-action="correctAccount"]');
    await input('card-number').fill('6217000010009999999');
    await input('holder-name').fill(bouncing.payoutAccount.holderName);
    await input('holder-resident-id').fill(bouncing.payoutAccount.holderResidentId);
    await input('reason').fill('原社保卡已注销，更换为新卡');
    await page.click('[data-action="correctAccount"]');
    await page.locator('[data-test="action-done"]', { hasText: '已办理：' }).waitFor();
    // the page never shows the whole new number
    expect(await page.textContent('[data-test="claim-page"]')).not.toContain('6217000010009999999');
    await signIn(county2);
    await open(`/claims/${bounced}`);
    await page.click('[data-action="approveAccount"]');
    await page.locator('[data-test="action-done"]', { hasText: '已办理：' }).waitFor();
    expect((await h.waitFor(bounced, 'closed')).status).toBe('paid');

    // a claim rejected at the eligibility check (not enrolled): the village appeals it with a new document
    const { claimNo: rejected } = await h.service.file(
      aPropertyClaim((await h.newHousehold({ enrollments: [] })).householdId),
      asActor(clerk),
    );
    await h.waitFor(rejected, 'closed');
    await signIn(clerk);
    await open(`/claims/${rejected}`);
    await page.waitForSelector('[data-action="appeal"]');
    await input('reason').fill('该户已于年初参保，补交参保凭证');
    await choose('document-kind', DOCUMENT_LABELS.other.zh);
    await page.setInputFiles('[data-test="document-file"] input[type=file]', fileOf('参保凭证.jpg', JPEG));
    await page.locator('[data-test="document-list"] .el-table__row').waitFor();
    await page.click('[data-action="appeal"]');
    await pollUntil('the appeal’s own page', async () => {
      const title = (await page.textContent('[data-test="claim-title"]').catch(() => '')) ?? '';
      const no = /FP-\d{8}-341324-\d{6}/.exec(title)?.[0];
      return no && no !== rejected ? no : undefined;
    });
    await page.locator(`a[href="#/claims/${rejected}"]`).first().waitFor();
    await shot('appeal');
  });

  test('a village cadre files a batch of claims from the claim template and opens a filed claim from the report', async () => {
    const household = await h.newHousehold({ divisionCode: VILLAGE });
    await signIn(clerk);
    await page.click('nav a[href="#/excel"]');
    await page.waitForSelector('[data-test="claims-import"]');
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="claims-template"] button')]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await template.path());
    // in the template's column order: 户编号 成员编号 姓名 险种 出险日期 报案日期 出险原因 … 财产损失（元）
    const sheet = book.getWorksheet('报案')!;
    const at = (header: string) =>
      (sheet.getRow(1).values as unknown[]).findIndex((v) => String(v).replace(/\*$/, '') === header);
    const row: unknown[] = [];
    const put = (header: string, value: unknown) => (row[at(header)] = value);
    put('户编号', household.householdId);
    put('成员编号', 'm1');
    put('姓名', household.members[0]!.name);
    put('险种', '家庭财产');
    put('出险日期', '2026-07-01');
    put('报案日期', '2026-07-02');
    put('出险原因', '火灾');
    put('财产损失（元）', 8000);
    sheet.addRow(row.slice(1));
    const path = join(files, '批量报案-七月.xlsx');
    await book.xlsx.writeFile(path);
    await page.click('[data-test="claims-import"] [data-test="mode-valid"]');
    await page.setInputFiles('[data-test="claims-upload"] input[type=file]', path);
    await page.waitForSelector('[data-test="claims-progress"][data-status="done"]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-test="claims-counts"] [data-outcome="filed"]', 'data-count')).toBe('1');
    await shot('claims-import');
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="claims-report"] button')]);
    const result = new ExcelJS.Workbook();
    await result.xlsx.readFile(await report.path());
    const claimNo = String((result.worksheets[0]!.getRow(2).values as unknown[])[8]);
    expect(claimNo).toMatch(/^FP-\d{8}-341324-\d{6}$/);
    await open(`/claims/${claimNo}`);
    await page.waitForSelector(`[data-test="claim-title"]:has-text("${claimNo}")`);
    await signOut();
  });

  test('a village cadre downloads the roster template, fills it, imports it from the Excel page and gets the report', async () => {
    await signIn(clerk);
    await page.click('nav a[href="#/excel"]');
    await page.waitForSelector('[data-test="roster-import"]');
    const [template] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="roster-template"] button')]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await template.path());
    const imported = aHousehold({ householdId: `WB-${suffix}-R1`, divisionCode: VILLAGE });
    const [first, ...others] = imported.members;
    const account = imported.payoutAccount;
    const sheet = book.getWorksheet('花名册')!;
    // filled by the template's own headers (a required column's ends in *), as a clerk would, whatever the column order
    const headers = (sheet.getRow(1).values as unknown[]).map((v) => (typeof v === 'string' ? v.replace(/\*$/, '') : ''));
    const row = (cells: Record<string, string>) => {
      const unknown = Object.keys(cells).filter((header) => !headers.includes(header));
      if (unknown.length > 0) throw new Error(`not in the template: ${unknown.join(', ')}`);
      sheet.addRow(headers.map((header) => cells[header] ?? null));
    };
    row({
      户编号: imported.householdId,
      村代码: VILLAGE,
      成员编号: first!.memberId,
      姓名: first!.name,
      身份证号: first!.residentId,
      与户主关系: '户主',
      户类别: '脱贫户',
      户类别起始日期: '2018-12-01',
      参保年度: '2026',
      参保险种: '3+2',
      参保日期: '2026-01-01',
      收款账户类型: '社保卡',
      卡号: account.cardNumber,
      开户银行: account.bankName,
      持卡人姓名: account.holderName,
      持卡人身份证号: account.holderResidentId,
    });
    const relation = { spouse: '配偶', child: '子女' } as Record<string, string>;
    for (const m of others) {
      row({
        户编号: imported.householdId,
        成员编号: m.memberId,
        姓名: m.name,
        身份证号: m.residentId,
        与户主关系: relation[m.relation]!,
      });
    }
    const path = join(files, '花名册-第一批.xlsx');
    await book.xlsx.writeFile(path);
    await page.setInputFiles('[data-test="roster-upload"] input[type=file]', path);
    await page.waitForSelector('[data-test="roster-progress"][data-status="done"]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-outcome="created"]', 'data-count')).toBe(String(imported.members.length));
    await shot('roster-import');
    const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="roster-report"] button')]);
    const result = new ExcelJS.Workbook();
    await result.xlsx.readFile(await report.path());
    const outcomes: unknown[] = [];
    result.worksheets[0]!.eachRow((row, n) => n > 1 && outcomes.push((row.values as unknown[])[5]));
    expect(outcomes).toEqual(imported.members.map(() => '新增'));
    // the household is there, found by its number on the household search
    expect((await h.households.find(imported.householdId))?.members.map((m) => m.name)).toEqual(
      imported.members.map((m) => m.name),
    );
    await signOut();
  });

  test('a township declares a flood; the village enters a loss on the event page and files the batch; the claim is listed', async () => {
    const flooded = await h.newHousehold({ householdId: `WB-${suffix}-D1` });
    await signIn(township);
    await page.click('nav a[href="#/disasters"]');
    await page.waitForSelector('[data-test="declare-form"]');
    await input('disaster-name').fill('草沟镇暴雨内涝');
    await page.click('[data-test="disaster-villages"]');
    await page.keyboard.type(VILLAGE);
    await page.locator('.el-select-dropdown__item:visible', { hasText: VILLAGE }).first().click();
    await page.keyboard.press('Escape');
    await page.click('[data-test="declare-submit"]');
    await page.waitForSelector('[data-test="disaster-title"]');
    const eventId = /#\/disasters\/(DZ-\d{8}-[0-9a-f]{6})/.exec(page.url())![1]!;
    await signOut();

    await signIn(clerk);
    await page.click('nav a[href="#/disasters"]');
    await page.click(`[data-test="disaster-list"] a[data-event="${eventId}"]`);
    const amount = page.locator(`[data-test="property-loss"][data-household="${flooded.householdId}"] input`);
    await amount.waitFor();
    await amount.fill('6000');
    await page.click('[data-test="save-losses"]');
    await page.locator('[data-test="disaster-entries"] .el-table__row', { hasText: flooded.householdId }).waitFor();
    await page.click('[data-test="file-batch"]');
    await page.waitForSelector('[data-test="batch-status"][data-status="done"]', { timeout: 60_000 });
    const link = page
      .locator('[data-test="disaster-entries"] .el-table__row', { hasText: flooded.householdId })
      .locator('a[data-claim]');
    await link.waitFor();
    const claimNo = (await link.textContent())!.trim();
    expect(claimNo).toMatch(/^FP-\d{8}-341324-\d{6}$/);
    expect((await h.claims.find(claimNo))?.householdId).toBe(flooded.householdId);
    await shot('disaster');
    await signOut();
  });

  test('a paid claim’s referral: the village verifies with the signed authorization and appraises it on the monitoring page', async () => {
    const stricken = await h.newHousehold({ householdId: `WB-${suffix}-M1` });
    const { claimNo } = await h.service.file(
      aPropertyClaim(stricken.householdId, { loss: { line: 'property', cause: 'storm', assessedLossFen: 3_000_000 } }),
      people.filer,
    );
    await h.throughCounty(claimNo);
    await h.waitFor(claimNo, 'closed', (s) => s.history.some((e) => e.action === 'referral_raised'), 60_000);
    const referralId = (await h.stores.referrals.openFor(stricken.householdId))!.referralId;
    await signIn(clerk);
    await page.click('nav a[href="#/monitoring"]');
    await page.locator(`[data-test="referral-list"] a[href="#/monitoring/${referralId}"]`).click();
    await page.locator('[data-test="findings"]', { hasText: '大额赔付' }).waitFor();
    await page.waitForSelector('[data-test="monitoring-step"][data-step="verify"]');
    await page.setInputFiles('[data-test="authorization-upload"] input[type=file]', fileOf('授权书.pdf', '%PDF-1.4\n'));
    await page.locator('[data-test="monitoring-step"]', { hasText: '授权书.pdf' }).waitFor();
    await input('findings-input').fill('入户核实：房屋受损严重');
    await page.click('[data-test="submit-step"]');
    await pollUntil('the data comparison done', async () => {
      await page.reload();
      return (await page.getAttribute('[data-test="procedure"]', 'data-stage')) === 'village_appraisal' ? true : undefined;
    });
    await choose('category', '突发严重困难户');
    await input('reason').fill('因灾基本生活出现严重困难');
    await page.click('[data-test="submit-step"]');
    await page.waitForSelector('[data-test="procedure"][data-stage="public_notice"]');
    await page.locator('[data-test="monitoring-trail"]', { hasText: '村级评议，进入公示' }).waitFor();
    await shot('monitoring');
    // the village's appraisal notice, printable from the referrals list
    await page.click('nav a[href="#/monitoring"]');
    const href = await page.getAttribute('[data-test="monitoring-notice-pdf"]', 'href');
    const printed = await page.request.get(`${h.apiUrl}${href}`);
    expect(printed.status()).toBe(200);
    expect(printed.headers()['content-type']).toContain('application/pdf');
    await signOut();
  });

  test('on the household page a village cadre writes the one-household plan, and proposes risk elimination: refused while nobody can work', async () => {
    // the fixture household is monitored (脱贫不稳定户); nobody in it is recorded as able to work
    const household = await h.newHousehold({ householdId: `WB-${suffix}-A1` });
    await signIn(clerk);
    await open(`/households/${household.householdId}`);
    await page.click('[data-test="edit-plan"]');
    await input('measure-content').fill('发放肉牛养殖补贴 3000 元');
    await page.locator('[data-test="measure-start"] input').fill('2026-12-01');
    await page.locator('[data-test="measure-start"] input').press('Enter');
    await choose('measure-status', '落实中');
    await input('plan-note').fill('纳入监测后制定');
    await page.click('[data-test="save-plan"]');
    await page.waitForSelector('[data-test="assistance"][data-version="1"]');
    await page.locator('[data-test="plan-measures"]', { hasText: '发放肉牛养殖补贴 3000 元' }).waitFor();
    await page.locator('[data-test="plan-measures"]', { hasText: '产业帮扶' }).waitFor();
    expect((await h.stores.assistancePlans.find(household.householdId))?.measures).toEqual([
      { kind: 'industry', content: '发放肉牛养殖补贴 3000 元', startOn: '2026-12-01', status: 'in_progress' },
    ]);

    await page.click('[data-test="open-referral"][data-kind="elimination"]');
    await input('referral-reason').fill('务工收入稳定');
    await page.click('[data-test="referral-submit"]');
    await page.locator('[data-test="referral-error"]', { hasText: '整户无劳动能力的监测对象不标注风险消除' }).waitFor();
    await shot('household-assistance');
    expect(await h.stores.referrals.openFor(household.householdId)).toBeNull();

    // with a member able to work, the proposal opens a risk-elimination referral at its first step
    const able = {
      ...household,
      members: household.members.map((m, i) => (i === 0 ? { ...m, labour: 'ordinary' as const } : m)),
    };
    await h.stores.households.save(able);
    await page.click('[data-test="referral-submit"]');
    await page.waitForSelector('[data-test="referral"]');
    await page.locator('[data-test="referral"]', { hasText: '风险消除' }).waitFor();
    await pollUntil('the procedure at its first step', async () => {
      await page.reload();
      return (await page.getAttribute('[data-test="procedure"]', 'data-stage')) === 'verification' ? true : undefined;
    });
    await page.waitForSelector('[data-test="monitoring-step"][data-step="verify"]');
    await signOut();
  });

  test('the administrator creates an account; its first sign-in must change the temporary password; five wrong passwords lock it', async () => {
    await signIn(admin);
    await page.click('nav a[href="#/admin/users"]');
    await page.waitForSelector('[data-test="users"] .el-table__row');
    await page.click('[data-test="new-user"]');
    const username = `newclerk${suffix}`;
    await input('new-username').fill(username);
    await input('new-display-name').fill('新村干部');
    await input('new-jurisdiction').fill(VILLAGE);
    await page.click('[data-test="create-user"]');
    const notice = (await page.locator('[data-test="users-notice"]').textContent()) ?? '';
    const temporary = /([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})/i.exec(notice)?.[1];
    expect(temporary).toBeDefined();
    await page.locator('[data-test="users"]', { hasText: username }).waitFor();
    await shot('users');
    await signOut();

    // the temporary password opens only the password change
    await page.goto(`${h.apiUrl}/app/`);
    await input('username').fill(username);
    await input('password').fill(temporary!);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="change-password"]');
    await input('current-password').fill(temporary!);
    await input('new-password').fill('my-own-pass-2026');
    await page.click('[data-test="change-submit"]');
    await page.waitForSelector('[data-test="queue-page"]');
    await signOut();

    // five wrong passwords: the account is locked, and the sixth attempt (even the right password) says so
    for (let i = 0; i < 5; i++) {
      await input('password').fill(`wrong-${i}`);
      await input('username').fill(username);
      await page.click('[data-test="sign-in-submit"]');
      await page.locator('[data-test="sign-in-error"]').waitFor();
      // each attempt answered before the next (a click while one is in flight would not count)
      await pollUntil(`attempt ${i + 1} counted`, async () => {
        const user = await h.stores.users.find(username);
        return (user?.failedAttempts ?? 0) >= i + 1 || (user?.lockedUntil?.getTime() ?? 0) > Date.now() ? true : undefined;
      });
      await page.waitForSelector('[data-test="sign-in-submit"]:not(.is-loading)');
    }
    await input('password').fill('my-own-pass-2026');
    await page.click('[data-test="sign-in-submit"]');
    await pollUntil('the lock to be said', async () =>
      /锁定|尝试次数过多/.test((await page.textContent('[data-test="sign-in-error"]')) ?? '') ? true : undefined,
    );
    expect(await page.locator('[data-test="queue-page"]').count()).toBe(0);
  });
  test("ops rotate a partner's key on the partners page: the secret is shown once, the old key is retired after a confirmation", async () => {
    const answers: string[] = [];
    const onDialog = (dialog: Dialog) => {
      answers.push(dialog.type());
      void (dialog.type() === 'prompt' ? dialog.accept('年度密钥轮换') : dialog.accept());
    };
    page.on('dialog', onDialog);
    try {
      await signIn(admin);
      await page.click('nav a[href="#/partners"]');
      await page.waitForSelector('[data-test="partners"] .el-table__row');
      expect(await page.locator('[data-test="partners"] .el-table__row').count()).toBe(4);
      const old = h.partners.bank.secrets[0]!;
      await page.click('[data-add-key="bank"]');
      const shown = (await page.locator('[data-test="new-secret"]').textContent()) ?? '';
      expect(shown).toContain('仅显示这一次');
      const secret = /：([0-9a-f]{64})/.exec(shown)?.[1];
      expect(secret).toBeDefined();
      expect(secret).not.toBe(old);
      await shot('partners');
      const oldKey = (await h.stores.partners.get('bank'))!.keys[0]!.keyId;
      await page.click(`[data-retire="${oldKey}"]`);
      await pollUntil('the old key retired', async () =>
        (await h.stores.partners.get('bank'))?.keys.find((k) => k.keyId === oldKey)?.state === 'retired' ? true : undefined,
      );
      // a reason for each change; a confirmation too when the old key verified a message within the last minutes
      expect(answers.slice(0, 2)).toEqual(['prompt', 'prompt']);
      await page.locator(`[data-key="${oldKey}"]`, { hasText: '已停用' }).waitFor();
      expect(await page.locator('[data-test="partners-error"]').count()).toBe(0);
    } finally {
      page.off('dialog', onDialog);
    }
  });
});
