import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hashPassword } from '../../api/auth/passwords';
import { pollUntil } from '../../common/poll';
import { aHousehold, aPropertyClaim } from '../fixtures/households';
import { startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import type { Actor } from '../../workflows/claim/types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const VILLAGE = '341324105003';

/**
 * The staff workbench in headless Chromium against the real stack: two village staff with accounts of their own; the
 * one who filed cannot also review (refused in Chinese), the other finds the claim in the queue, reviews it, and the
 * claim leaves the queue. On a phone-sized screen the queue is still there to read.
 */
describe('staff workbench in a real browser', () => {
  let h: ClaimHarness;
  let browser: Browser;
  let page: Page;
  const suffix = uniqueName('wb')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-10);
  const clerk = { username: `clerk${suffix}`, password: 'clerk-pass-2026', displayName: '村干部甲' };
  const head = { username: `head${suffix}`, password: 'head-pass-2026', displayName: '村主任乙' };
  let claimNo: string;
  let household: Awaited<ReturnType<ClaimHarness['newHousehold']>>;

  async function signIn(account: { username: string; password: string }) {
    await page.goto(`${h.apiUrl}/app`);
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('#username', account.username);
    await page.fill('#password', account.password);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#queue-view:not([hidden])');
  }
  async function signOut() {
    await page.click('#signout');
    await page.waitForSelector('#login:not([hidden])');
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
    h = await startClaimHarness();
    for (const account of [clerk, head])
      await h.stores.users.create({
        username: account.username,
        displayName: account.displayName,
        role: 'village',
        jurisdiction: VILLAGE,
        passwordHash: await hashPassword(account.password),
        mustChangePassword: false,
        createdBy: 'test',
      });
    const filer: Actor = { userId: clerk.username, role: 'village', jurisdiction: VILLAGE, name: clerk.displayName };
    // a head with a name of this run's own, so the search by name finds this household among the suite's others
    const given = [...'明华建国秀英志强海燕春梅'];
    const name = `欧阳${given[Math.floor(Math.random() * given.length)]}${given[Math.floor(Math.random() * given.length)]}`;
    const base = aHousehold();
    household = await h.newHousehold({
      members: base.members.map((m) => (m.relation === 'head' ? { ...m, name } : m)),
      payoutAccount: { ...base.payoutAccount, holderName: name },
    });
    claimNo = (await h.service.file(aPropertyClaim(household.householdId), filer)).claimNo;
    await h.waitFor(claimNo, 'village_review');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  test('the filer may not review but files another loss with a preview; the other village account reviews from its queue', async () => {
    await signIn(clerk);
    expect(await page.textContent('h1')).toBe('防贫保理赔工作台');
    await page.locator(`#queue a.claim[data-claim="${claimNo}"]`).waitFor();
    expect(Number(await page.getAttribute('[data-stage="village_review"]', 'data-count'))).toBeGreaterThanOrEqual(1);
    await page.click(`#queue a.claim[data-claim="${claimNo}"]`);
    await page.waitForSelector('#claim-view:not([hidden]) [data-action="review"]');
    expect(await page.textContent('#claim-title')).toContain('村级审核');
    expect(await page.textContent('[data-fact="proposed"]')).toMatch(/^¥[\d,]+\.\d{2}$/);
    expect(await page.textContent('#timeline')).toContain('报案');
    await page.click('[data-action="review"]');
    // maker ≠ checker: the workflow refuses, and the page shows its Chinese
    await page.locator('#action-result', { hasText: /[\u4e00-\u9fff]/ }).waitFor();
    expect(await page.textContent('#action-result')).not.toContain('已办理');

    // the clerk files another loss of the household from its page: the line's form, a preview, then the claim
    await page.goto(`${h.apiUrl}/app#household/${household.householdId}`);
    await page.reload();
    await page.click('#file-link');
    await page.waitForSelector('#file-view:not([hidden]) #f-loss legend');
    await page.selectOption('#f-line', 'property');
    await page.waitForSelector('#f-loss [name=assessedLossFen]');
    await page.fill('#f-event', '2026-08-15');
    await page.fill('#f-report', '2026-08-16');
    await page.selectOption('#f-loss [name=cause]', 'storm');
    await page.fill('#f-loss [name=assessedLossFen]', '8000');
    await page.click('#f-preview');
    await page.waitForSelector('#f-result .preview[data-eligible=true]');
    expect(await page.getAttribute('#f-result .preview', 'data-payable')).toBe('750000');
    expect(await page.textContent('#f-result')).toContain('¥7,500.00');
    await page.click('#f-submit');
    await page.waitForSelector('#claim-view:not([hidden]) #claim-title');
    const filedNo = /FP-\d{8}-341324-\d{6}/.exec((await page.textContent('#claim-title')) ?? '')?.[0];
    expect(filedNo).toBeDefined();
    expect(filedNo).not.toBe(claimNo);
    await pollUntil('both claims on the household’s list', async () => {
      const listed = await h.claims.list({ scope: VILLAGE, householdId: household.householdId }, 10);
      return listed.items.length === 2 ? listed : undefined;
    }).then((listed) => expect(listed.items.map((c) => c.claimNo).sort()).toEqual([claimNo, filedNo].sort()));
    await signOut();

    await signIn(head);
    await page.click(`#queue a.claim[data-claim="${claimNo}"]`);
    await page.waitForSelector('[data-action="review"]');
    await page.fill('#reason', '经入户核实，损失属实');
    await page.click('[data-action="review"]');
    await page.locator('#action-result', { hasText: '已办理：' }).waitFor();
    await pollUntil('the review in the trail', async () => {
      await page.reload();
      await page.waitForSelector('#claim-view:not([hidden]) #timeline tr');
      const reviewed = (await page.textContent('#timeline'))?.includes('经入户核实，损失属实');
      // the trail and the claim's stage are written one after the other: wait for both
      return reviewed && !(await page.textContent('#claim-title'))?.includes('村级审核') ? true : undefined;
    });
    expect(await page.isVisible('[data-action="review"]')).toBe(false);
    await pollUntil('the claim to leave the village queue', async () => {
      await page.goto(`${h.apiUrl}/app`);
      await page.reload();
      await page.waitForSelector('#queue-view:not([hidden]) #queue tr');
      return (await page.locator(`#queue a.claim[data-claim="${claimNo}"]`).count()) === 0 ? true : undefined;
    });

    // the household: found by a member's name, its members (IDs masked), category and claims
    const headMember = household.members.find((m) => m.relation === 'head')!;
    await page.goto(`${h.apiUrl}/app#households`);
    await page.fill('#household-query', headMember.name);
    await page.click('#household-search button[type=submit]');
    await page.click(`#household-results a[data-household="${household.householdId}"]`);
    await page.waitForSelector('#household-view:not([hidden]) #members tr');
    const members = await page.textContent('#members');
    expect(members).toContain(headMember.name);
    expect(members).toContain('户主');
    expect(members).not.toContain(headMember.residentId);
    expect(members).toContain(headMember.residentId.slice(-4));
    expect(await page.textContent('#categories')).toContain('脱贫户');
    expect(await page.locator(`#household-claims a[data-claim="${claimNo}"]`).count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-household.png'), fullPage: true });

    // a village cadre's phone: the same queue, one card per claim
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${h.apiUrl}/app`);
    await page.reload();
    await page.waitForSelector('#queue-view:not([hidden])');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-phone.png'), fullPage: true });
    await page.click('#lang');
    await expect(page.textContent('h2')).resolves.toBe('My queue');
    await page.click('#lang');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  test('an objection during the public notice is recorded from the claim page and sends the claim to the township', async () => {
    // a claim of another household with a notice long enough to object during it, reviewed by the village head
    const filer: Actor = { userId: clerk.username, role: 'village', jurisdiction: VILLAGE, name: clerk.displayName };
    const longNotice = h.serviceWith({ noticeMs: 120_000 });
    const { claimNo: noticed } = await longNotice.file(aPropertyClaim((await h.newHousehold()).householdId), filer);
    await h.waitFor(noticed, 'village_review');
    await h.service.act(noticed, { action: 'review', actor: { userId: head.username, role: 'village', jurisdiction: VILLAGE } });
    await h.waitFor(noticed, 'public_notice');

    await page.goto(`${h.apiUrl}/app#claim/${noticed}`);
    await page.reload();
    await page.waitForSelector('#claim-view:not([hidden]) [data-action="object"]');
    expect(await page.textContent('#claim-title')).toContain('公示');
    expect(await page.isVisible('#objector-row')).toBe(true);
    // the objector's name is required, and said so in Chinese before anything is sent
    await page.fill('#reason', '邻居反映损失金额偏高');
    await page.click('[data-action="object"]');
    expect(await page.textContent('#action-result')).toBe('请填写异议人姓名。');
    await page.fill('#objector-name', '王大明');
    await page.click('[data-action="object"]');
    await page.locator('#action-result', { hasText: '已办理：' }).waitFor();
    expect(await page.textContent('#action-result')).toContain('乡镇审核');
    await h.waitFor(noticed, 'township_review');
  });
});
