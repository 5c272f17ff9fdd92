import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { pollUntil } from '../../common/poll';
import { type aHousehold, aPropertyClaim } from '../fixtures/households';
import { hashPassword } from '../../api/auth/passwords';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import type { Json } from '../helpers/json';
import type { StaffRole } from '../../domain/lifecycle';

const ARTIFACTS = join(__dirname, '..', '..', 'test-results');

/**
 * The dashboard in Debian's headless Chromium (driven by playwright-core, no browser download) against the real
 * stack: the numbers it shows equal the ops API's, a late claim can be opened and explained, the language switches.
 */
describe('ops dashboard in a real browser', () => {
  let h: ClaimHarness;
  let browser: Browser;
  let page: Page;
  let token: string;
  const planted = { paid: '', rejected: '', waiting: '' };
  /** An account of the test's own, made in the database (a username the account rules accept). */
  async function account(prefix: string, password: string, role: StaffRole, jurisdiction: string, displayName: string) {
    const username = uniqueName(prefix)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 24);
    await h.stores.users.create({
      username,
      displayName,
      role,
      jurisdiction,
      passwordHash: await hashPassword(password),
      mustChangePassword: false,
      createdBy: 'test',
    });
    return { username, password };
  }
  let operator: { username: string; password: string };

  const claimFor = (householdId: string) => aPropertyClaim(householdId);
  const household = (overrides: Parameters<typeof aHousehold>[0] = {}) => h.newHousehold(overrides);

  async function api(path: string): Promise<Json> {
    const res = await fetch(`${h.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    h = await startClaimHarness({ ops: { sla: { reviewMs: 500 }, stuckAfterMs: 500 } });
    token = await tokenFor(people.ops);
    operator = await account('ops', 'on-call-2026', 'ops', '341324', '运维值班');
    planted.paid = (await h.service.file(claimFor((await household()).householdId), people.filer)).claimNo;
    planted.rejected = (await h.service.file(claimFor((await household({ enrollments: [] })).householdId), people.filer)).claimNo;
    planted.waiting = (await h.service.file(claimFor((await household()).householdId), people.filer)).claimNo;
    await h.waitFor(planted.paid, 'village_review');
    await h.service.act(planted.paid, { action: 'review', actor: people.village });
    await h.waitFor(planted.paid, 'township_review');
    await h.service.act(planted.paid, { action: 'approve', actor: people.township });
    await h.service.act(planted.paid, { action: 'approve', actor: people.county });
    await Promise.all([
      h.waitFor(planted.paid, 'closed'),
      h.waitFor(planted.rejected, 'closed'),
      h.waitFor(planted.waiting, 'village_review'),
    ]);
    // the read model catches up with the workflows, and the waiting claim passes its 0.5 s clocks
    await pollUntil('the read model to settle', async () => {
      const [summary, late] = await Promise.all([api('/ops/summary'), api('/ops/late')]);
      const closed = (summary.funnel as { stage: string; count: number }[]).find((f) => f.stage === 'closed')?.count;
      return closed === 2 && (late.items as { claimNo: string }[]).some((i) => i.claimNo === planted.waiting) ? true : undefined;
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const at = (test: string) => `[data-test="${test}"]`;
  /** The text field of a form item: Element Plus puts the attribute on the input itself, or on its wrapper. */
  const input = (test: string) =>
    page.locator(`:is(input${at(test)}, textarea${at(test)}, ${at(test)} input, ${at(test)} textarea)`).first();

  test('the numbers shown equal the API, a late claim is explained and reassigned, and the language switches', async () => {
    // the old address leads to the workbench's page, where staff sign in with their account
    await page.goto(`${h.apiUrl}/dashboard`);
    await page.waitForSelector(at('sign-in'));
    expect(page.url()).toBe(`${h.apiUrl}/app/#/ops`);
    await input('username').fill(operator.username);
    await input('password').fill('not-the-password-1');
    await page.click(at('sign-in-submit'));
    await page.locator(at('sign-in-error'), { hasText: '用户名或密码不正确' }).waitFor();
    await input('password').fill(operator.password);
    await page.click(at('sign-in-submit'));
    await page.waitForSelector(`${at('tile-open')}[data-value]`);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'fangpin_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('document.cookie')).not.toContain('fangpin_session');
    expect(await page.textContent(`${at('ops-page')} h2`)).toContain('运行监控');

    const [summary, late, stuck, failing, referrals] = await Promise.all([
      api('/ops/summary'),
      api('/ops/late?limit=200'),
      api('/ops/stuck?limit=200'),
      api('/ops/failing-activities?limit=100'),
      api('/ops/referrals/late?limit=200'),
    ]);
    const tile = (id: string) => page.getAttribute(at(`tile-${id}`), 'data-value');
    expect(await tile('open')).toBe(String(summary.open.total));
    expect(await tile('late')).toBe(String(late.items.length));
    expect(await tile('stuck')).toBe(String(stuck.items.length));
    expect(await tile('failing')).toBe(String(failing.items.length));
    expect(await tile('paid')).toBe(String(summary.payouts.paidFen));
    expect(await tile('referrals-open')).toBe(String(referrals.open));
    expect(await tile('referrals-late')).toBe(String(referrals.items.length));
    expect(summary.payouts.paidFen).toBeGreaterThan(0);
    expect(await page.textContent(at('tile-paid'))).toBe(
      `¥${(summary.payouts.paidFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );

    for (const { stage, count } of summary.funnel as { stage: string; count: number }[]) {
      expect(await page.getAttribute(`[data-stage="${stage}"] .count`, 'data-count')).toBe(String(count));
    }
    const totals = await Promise.all(
      (await page.locator(`${at('chart')} polyline`).all()).map((l) => l.getAttribute('data-total')),
    );
    const charted = totals.reduce((n, t) => n + Number(t), 0);
    expect(charted).toBe((summary.filedPerDay.series as { count: number }[]).reduce((n, r) => n + r.count, 0));
    const lateShown = await page.locator(`${at('late-table')} a[data-claim]`).allTextContents();
    expect(lateShown).toEqual((late.items as { claimNo: string }[]).map((i) => i.claimNo));
    expect(lateShown).toContain(planted.waiting);

    await page.click(`${at('late-table')} a[data-claim="${planted.waiting}"]`);
    await page.waitForSelector(`${at('explain-text')} li`);
    const explanation: Json = await api(`/ops/claims/${planted.waiting}`);
    const shown = await page.locator(`${at('explain-text')} li`).allTextContents();
    // durations move on between the two reads; the sentences and who is waiting do not
    expect(shown).toHaveLength((explanation.explanation.zh as string[]).length);
    expect(shown[1]).toBe(explanation.explanation.zh[1]);
    expect(await page.textContent(at('explain-text'))).toContain('延误方：村级');
    expect(await page.getAttribute(at('temporal-link'), 'href')).toBe(explanation.links.temporal);
    // the claim panel names actions, statuses and trail events in Chinese, not by their codes
    expect(await page.textContent(at('explain-title'))).toContain('办理中');
    expect((await page.textContent(`${at('explain-actions')} [data-action="reassign"]`))?.trim()).toBe('改派经办人');
    expect(await page.textContent(`${at('explain-events')} [data-event="filed"]`)).toBe('报案');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-zh.png'), fullPage: true });

    // an operator's action from the panel's form: without a reason the API refuses it, field by field, in Chinese
    await page.click(`${at('explain-actions')} [data-action="reassign"]`);
    await input('ops-assignee').fill('cunwei-zhang');
    await page.click(at('ops-action-submit'));
    await page.locator(at('ops-action-error'), { hasText: '必须填写原因' }).waitFor();
    await input('ops-reason').fill('原经办人休假');
    await page.click(at('ops-action-submit'));
    await page.locator(`${at('explain-events')} [data-event="reassign"]`).waitFor();
    const after: Json = await api(`/ops/claims/${planted.waiting}`);
    expect(after.pending.assignee).toMatchObject({ userId: 'cunwei-zhang' });
    expect(await page.textContent(`${at('explain-events')} [data-event="reassign"]`)).toContain('原经办人休假');
    await page.keyboard.press('Escape');

    await page.click(at('lang'));
    await page.locator(`${at('ops-page')} h2`, { hasText: 'Operations' }).waitFor();
    expect(await page.textContent('[data-stage="village_review"]')).toContain('village review');
    await page.click(`${at('late-table')} a[data-claim="${planted.waiting}"]`);
    await page.locator(at('explain-text'), { hasText: 'delayed by the village' }).waitFor();
    expect((await page.textContent(`${at('explain-actions')} [data-action="reassign"]`))?.trim()).toBe('reassign');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await page.click(at('lang'));

    // a reload keeps the session; signing out ends it
    await page.reload();
    await page.waitForSelector(`${at('tile-open')}[data-value]`);
    await page.click(at('sign-out'));
    await page.waitForSelector(at('sign-in'));
    await page.reload();
    await page.waitForSelector(at('sign-in'));
    expect(await page.locator(at('ops-page')).count()).toBe(0);
  });

  test('a village account sees no figures on the page: the ops API refuses it in Chinese', async () => {
    const cadre = await account('cunwei', 'village-2026', 'village', '341324105003', '村级经办');
    await page.goto(`${h.apiUrl}/app/#/ops`);
    await page.waitForSelector(at('sign-in'));
    await input('username').fill(cadre.username);
    await input('password').fill(cadre.password);
    await page.click(at('sign-in-submit'));
    await page.waitForSelector(at('ops-error'));
    expect(await page.locator(at('tile-open')).count()).toBe(0);
    expect(await page.locator('nav a[href="#/ops"]').count()).toBe(0);
    await page.click(at('sign-out'));
  });
});
