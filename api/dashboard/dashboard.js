// @ts-check
/* The ops dashboard: plain browser JavaScript, no framework. Staff sign in with their account (POST /session sets
 * the HttpOnly session cookie; the page never sees the token), the page reads the ops API with that cookie, sends
 * the CSRF token on writes, and refreshes itself. Chinese by default. */
'use strict';

(function () {
  const REFRESH_MS = 15000;
  const LINES = ['crop', 'health', 'accident', 'property', 'education'];
  const COLORS = { crop: '#2e7d32', health: '#1769aa', accident: '#c62828', property: '#8e5a00', education: '#6a3fa0' };
  const T = {
    zh: {
      title: '防贫保理赔运行监控',
      asOf: '数据时间',
      username: '用户名',
      password: '密码',
      signIn: '登录',
      signOut: '退出登录',
      noAccess: '此页面需要运维人员或县级审批人账号',
      openClaims: '在办案件',
      lateClaims: '超时案件',
      stuckClaims: '停滞案件',
      failingActivities: '失败重试中的步骤',
      paidTotal: '已支付赔款',
      approvedTotal: '核定赔款',
      funnel: '各阶段案件数',
      overTime: '近30天每日报案（按险种）',
      late: '超时（SLA）清单',
      openReferrals: '办理中的监测线索',
      lateReferrals: '超期监测线索',
      lateReferralsList: '超期未审定的监测线索（自线索起 15 天）',
      referralId: '线索号',
      kind: '类型',
      household: '户编号',
      exportExcel: '导出 Excel',
      stuck: '停滞清单',
      attention: '异常待人工处理',
      attentionClaims: '异常待处理',
      attentionReason: '原因',
      failing: '失败重试中的自动步骤',
      payouts: '赔款支付',
      recentEvents: '最近记录',
      claimNo: '案件号',
      stage: '阶段',
      responsible: '延误方',
      overdue: '超时',
      dueAt: '时限',
      since: '进入阶段',
      waiting: '待办',
      stuckFor: '停滞时长',
      activity: '步骤',
      attempt: '尝试次数',
      lastError: '最近错误',
      nextRetry: '下次重试',
      line: '险种',
      paid: '已支付',
      approved: '核定',
      outcome: '支付结果',
      count: '笔数',
      amount: '金额',
      none: '无',
      switchTo: 'English',
      badToken: '登录已失效，请重新登录',
      temporal: '在 Temporal 中查看',
      action: '操作',
      reason: '请输入原因',
      assignee: '指派给（用户ID）',
      at: '时间',
      actor: '操作人',
      event: '事件',
      done: '已提交',
    },
    en: {
      title: 'Claims operations',
      asOf: 'as of',
      username: 'Username',
      password: 'Password',
      signIn: 'Sign in',
      signOut: 'Sign out',
      noAccess: 'This page needs an ops or county account',
      openClaims: 'Open claims',
      lateClaims: 'Late (SLA)',
      stuckClaims: 'Stuck',
      failingActivities: 'Failing activities',
      paidTotal: 'Paid',
      approvedTotal: 'Approved',
      funnel: 'Claims by stage',
      overTime: 'Claims filed per day, last 30 days, by line',
      late: 'SLA breaches',
      openReferrals: 'Open referrals',
      lateReferrals: 'Overdue referrals',
      lateReferralsList: 'Referrals past their deadline (15 days from the clue)',
      referralId: 'Referral',
      kind: 'Kind',
      household: 'Household',
      exportExcel: 'Export to Excel',
      stuck: 'Stuck claims',
      attention: 'Needs attention',
      attentionClaims: 'Needs attention',
      attentionReason: 'Reason',
      failing: 'Failing activities',
      payouts: 'Payouts',
      recentEvents: 'Recent events',
      claimNo: 'Claim',
      stage: 'Stage',
      responsible: 'Delayed by',
      overdue: 'Overdue',
      dueAt: 'Due',
      since: 'In stage since',
      waiting: 'Pending',
      stuckFor: 'Stuck for',
      activity: 'Activity',
      attempt: 'Attempt',
      lastError: 'Last error',
      nextRetry: 'Next retry',
      line: 'Line',
      paid: 'Paid',
      approved: 'Approved',
      outcome: 'Outcome',
      count: 'Count',
      amount: 'Amount',
      none: 'None',
      switchTo: '中文',
      badToken: 'Your session has ended; sign in again',
      temporal: 'Open in Temporal',
      action: 'Action',
      reason: 'Reason',
      assignee: 'Assign to (user id)',
      at: 'At',
      actor: 'By',
      event: 'Event',
      done: 'Submitted',
    },
  };
  // stages, statuses, lines, parties, roles, actions and trail events in both languages, from the domain's own tables
  // (served as /dashboard/labels.js)
  const LABELS = /** @type {Record<string, Record<string, {zh: string, en: string}>>} */ (Reflect.get(window, 'FANGPIN_LABELS'));
  const OUTCOMES = {
    instructed: ['待银行确认', 'awaiting bank'],
    confirmed: ['已到账', 'confirmed'],
    bounced: ['被退回', 'bounced'],
  };

  let lang = localStorage.getItem('fangpin.lang') === 'en' ? 'en' : 'zh';
  let signedIn = false;
  let last = null;
  let openClaim = null;
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const t = (key) => T[lang][key] ?? key;
  const pick = (pair) => (pair ? pair[lang === 'zh' ? 0 : 1] : '');
  /** A domain label: as written in Chinese; in English without a leading "the", capitalized, for a table cell. */
  const label = (table, key) => {
    const entry = LABELS[table]?.[key];
    if (!entry) return key;
    return lang === 'zh' ? entry.zh : entry.en.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase());
  };

  if (new URLSearchParams(location.search).get('lang') === 'en') lang = 'en';
  /** The CSRF token of the session (a readable cookie set at sign-in), sent back on every write. */
  const csrfToken = () => document.cookie.match(/(?:^|;\s*)fangpin_csrf=([^;]+)/)?.[1] ?? '';

  function yuan(fen) {
    return '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function shanghai(iso) {
    if (!iso) return '—';
    return new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ');
  }
  function duration(ms) {
    const units =
      lang === 'zh'
        ? [
            [86400000, '天'],
            [3600000, '小时'],
            [60000, '分'],
            [1000, '秒'],
          ]
        : [
            [86400000, ' d'],
            [3600000, ' h'],
            [60000, ' min'],
            [1000, ' s'],
          ];
    const parts = [];
    let rest = Math.max(0, ms);
    for (const [size, unit] of units) {
      const n = Math.floor(rest / size);
      if (n > 0) {
        parts.push(n + unit);
        rest -= n * size;
      }
      if (parts.length === 2) break;
    }
    return parts.length ? parts.join(lang === 'zh' ? '' : ' ') : lang === 'zh' ? '0秒' : '0 s';
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k === 'onclick') node.addEventListener('click', v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function claimLink(claimNo) {
    return el('a', { class: 'claim', 'data-claim': claimNo, onclick: () => explainClaim(claimNo) }, claimNo);
  }
  function table(id, headers, rows) {
    const tableEl = $(id);
    tableEl.replaceChildren(el('tr', {}, ...headers.map((h) => el('th', {}, t(h)))));
    if (rows.length === 0) tableEl.append(el('tr', {}, el('td', { class: 'empty', colspan: headers.length }, t('none'))));
    for (const cells of rows)
      tableEl.append(el('tr', {}, ...cells.map((c) => (c instanceof Node && c.nodeName === 'TD' ? c : el('td', {}, c)))));
  }
  const num = (value, text) => el('td', { class: 'num', 'data-value': value }, text ?? value);

  async function api(path, init) {
    const response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        ...(init?.method && init.method !== 'GET' ? { 'x-csrf-token': decodeURIComponent(csrfToken()) } : {}),
        // problem details come back in the page's language
        'accept-language': lang === 'zh' ? 'zh-CN' : 'en',
        ...(init?.headers || {}),
      },
    });
    const body = response.status === 204 ? {} : await response.json();
    // signing in answers for itself (wrong password, locked account); elsewhere a 401 means the session ended
    if (path === '/session' && !response.ok) throw new Error(body.detail || response.statusText);
    if (response.status === 401) throw Object.assign(new Error(t('badToken')), { auth: true });
    if (response.status === 403 && path.startsWith('/ops/') && !init?.method)
      throw Object.assign(new Error(t('noAccess')), { auth: true });
    if (!response.ok) throw new Error(body.detail || response.statusText);
    return body;
  }

  async function refresh() {
    try {
      const [summary, late, stuck, failing, attention, referrals] = await Promise.all([
        api('/ops/summary'),
        api('/ops/late?limit=200'),
        api('/ops/stuck?limit=200'),
        api('/ops/failing-activities?limit=100'),
        api('/ops/attention?limit=200'),
        api('/ops/referrals/late?limit=200'),
      ]);
      last = { summary, late, stuck, failing, attention, referrals };
      signedIn = true;
      $('login').hidden = true;
      $('signout').hidden = false;
      $('board').hidden = false;
      render();
    } catch (error) {
      // a passing failure while signed in: the next refresh tries again
      if (!error.auth && signedIn) return;
      // the first read without a session just shows the form; an ended session or a role without access says so
      showLogin(!signedIn && error.message === t('badToken') ? '' : error.message);
    }
  }

  function render() {
    applyLanguage();
    if (!last) return;
    const { summary, late, stuck, failing, attention, referrals } = last;
    $('as-of').textContent = shanghai(summary.asOf);
    const tile = (id, value, text) => {
      $(id).textContent = text ?? String(value);
      $(id).dataset.value = String(value);
    };
    tile('tile-open', summary.open.total);
    tile('tile-late', late.items.length);
    tile('tile-stuck', stuck.items.length);
    tile('tile-failing', failing.items.length);
    tile('tile-attention', attention.items.length);
    tile('tile-paid', summary.payouts.paidFen, yuan(summary.payouts.paidFen));
    tile('tile-approved', summary.payouts.approvedFen, yuan(summary.payouts.approvedFen));
    tile('tile-referrals-open', referrals.open);
    tile('tile-referrals-late', referrals.items.length);
    table(
      'late-referrals-table',
      ['referralId', 'kind', 'household', 'stage', 'responsible', 'overdue', 'dueAt'],
      referrals.items.map((r) => [
        el('a', { href: `/app/#/monitoring/${r.referralId}` }, r.referralId),
        label('referralKinds', r.kind),
        r.householdId,
        r.progress ? label('monitoringStages', r.progress.stage) : '—',
        label('parties', r.responsible),
        duration(r.overdueMs),
        r.progress ? shanghai(r.progress.dueAt) : '—',
      ]),
    );

    const max = Math.max(1, ...summary.funnel.map((s) => s.count));
    $('funnel').replaceChildren(
      ...summary.funnel.map((s) =>
        el(
          'div',
          { class: 'bar', 'data-stage': s.stage },
          el('span', {}, label('stages', s.stage)),
          el('span', {}, el('div', { class: 'fill', style: `width:${(100 * s.count) / max}%` })),
          el('span', { class: 'count', 'data-count': s.count }, s.count),
        ),
      ),
    );
    renderChart(summary.filedPerDay);

    table(
      'late-table',
      ['claimNo', 'stage', 'responsible', 'overdue', 'dueAt'],
      late.items.map((c) => [
        claimLink(c.claimNo),
        label('stages', c.stage),
        label('parties', c.responsible),
        c.clock.breached ? duration(c.clock.overdueMs) : '—',
        shanghai(c.clock.dueAt),
      ]),
    );
    table(
      'stuck-table',
      ['claimNo', 'stage', 'since', 'stuckFor', 'waiting'],
      stuck.items.map((c) => [
        claimLink(c.claimNo),
        label('stages', c.stage),
        shanghai(c.stageSince),
        duration(c.stuckForMs),
        `${label('parties', c.pending.waitingOn)}: ${(c.pending.actions || []).join(', ') || '—'} (${(c.pending.roles || []).join('/')})` +
          (c.pending.assignee ? ` → ${c.pending.assignee.userId}` : ''),
      ]),
    );
    table(
      'attention-table',
      ['claimNo', 'stage', 'attentionReason', 'since'],
      attention.items.map((c) => [
        claimLink(c.claimNo),
        label('stages', c.attention?.fromStage || c.stage),
        (c.attention && c.attention[lang]) || '—',
        shanghai(c.stageSince),
      ]),
    );
    table(
      'failing-table',
      ['claimNo', 'activity', 'attempt', 'lastError', 'nextRetry'],
      failing.items.map((c) => [
        claimLink(c.claimNo),
        c.activity.activityType,
        num(c.activity.attempt),
        c.activity.lastFailure || '—',
        shanghai(c.activity.nextAttemptAt),
      ]),
    );
    const p = summary.payouts;
    table(
      'payout-table',
      ['line', 'paid', 'approved'],
      LINES.map((line) => [
        label('lines', line),
        num(p.paidFenByLine[line] || 0, yuan(p.paidFenByLine[line] || 0)),
        num(p.approvedFenByLine[line] || 0, yuan(p.approvedFenByLine[line] || 0)),
      ]),
    );
    table(
      'installment-table',
      ['outcome', 'count', 'amount'],
      Object.keys(OUTCOMES).map((o) => [
        pick(OUTCOMES[o]),
        num(p.installments.count[o] || 0),
        num(p.installments.fen[o] || 0, yuan(p.installments.fen[o] || 0)),
      ]),
    );
    if (openClaim) void explainClaim(openClaim, true);
  }

  function renderChart(perDay) {
    const days = [];
    const today = new Date(Date.now() + 8 * 3600000);
    for (let i = perDay.days - 1; i >= 0; i--) days.push(new Date(today.getTime() - i * 86400000).toISOString().slice(0, 10));
    const counts = Object.fromEntries(LINES.map((l) => [l, Object.fromEntries(days.map((d) => [d, 0]))]));
    for (const row of perDay.series) if (counts[row.line] && row.day in counts[row.line]) counts[row.line][row.day] = row.count;
    const max = Math.max(1, ...LINES.flatMap((l) => Object.values(counts[l])));
    const W = 560,
      H = 200,
      L = 30,
      B = 20;
    const x = (i) => L + (i * (W - L - 6)) / Math.max(1, days.length - 1);
    const y = (v) => H - B - (v * (H - B - 8)) / max;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('width', '100%');
    const add = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      if (text !== undefined) node.textContent = text;
      svg.append(node);
    };
    add('line', { x1: L, y1: H - B, x2: W, y2: H - B, stroke: '#aab' });
    add('text', { x: 2, y: 12, 'font-size': 10, fill: '#667' }, String(max));
    add('text', { x: 2, y: H - B, 'font-size': 10, fill: '#667' }, '0');
    add('text', { x: L, y: H - 4, 'font-size': 10, fill: '#667' }, days[0].slice(5));
    add('text', { x: W - 36, y: H - 4, 'font-size': 10, fill: '#667' }, days[days.length - 1].slice(5));
    for (const line of LINES) {
      const points = days.map((d, i) => `${x(i).toFixed(1)},${y(counts[line][d]).toFixed(1)}`).join(' ');
      add('polyline', {
        points,
        fill: 'none',
        stroke: COLORS[line],
        'stroke-width': 2,
        'data-line': line,
        'data-total': Object.values(counts[line]).reduce((a, b) => a + b, 0),
      });
    }
    $('chart').replaceChildren(svg);
    $('legend').replaceChildren(
      ...LINES.map((l) => el('span', {}, el('i', { style: `background:${COLORS[l]}` }), label('lines', l))),
    );
  }

  async function explainClaim(claimNo, quiet) {
    openClaim = claimNo;
    try {
      const x = await api('/ops/claims/' + encodeURIComponent(claimNo));
      $('explain').hidden = false;
      $('explain-title').textContent = `${claimNo} · ${label('stages', x.stage)} · ${label('statuses', x.status)}`;
      $('explain-text').replaceChildren(...x.explanation[lang].map((s) => el('li', {}, s)));
      $('explain-links').replaceChildren(
        ...(x.links.temporal ? [el('a', { href: x.links.temporal, target: '_blank', rel: 'noopener' }, t('temporal'))] : []),
      );
      $('explain-actions').replaceChildren(
        ...x.availableActions.map((action) =>
          el('button', { type: 'button', 'data-action': action, onclick: () => act(claimNo, action) }, label('actions', action)),
        ),
      );
      table(
        'explain-events',
        ['at', 'actor', 'event'],
        x.recentEvents
          .slice()
          .reverse()
          .map((e) => [
            shanghai(e.at),
            `${LABELS.roles?.[e.actor.role] ? label('roles', e.actor.role) : e.actor.role} ${e.actor.userId}`,
            el(
              'span',
              { 'data-event': e.action },
              (LABELS.events?.[e.action] ? label('events', e.action) : label('actions', e.action)) +
                (e.reason ? `（${e.reason}）` : ''),
            ),
          ]),
      );
    } catch (error) {
      if (!quiet) alert(error.message);
    }
  }

  async function act(claimNo, action) {
    const reason = prompt(t('reason'));
    if (!reason) return;
    const body = { reason };
    if (action === 'reassign') {
      const userId = prompt(t('assignee'));
      if (!userId) return;
      body.assignee = { userId };
    }
    try {
      await api(`/ops/claims/${encodeURIComponent(claimNo)}/actions/${action}`, { method: 'POST', body: JSON.stringify(body) });
      alert(t('done'));
      await refresh();
    } catch (error) {
      alert(error.message);
    }
  }

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
    $('lang').textContent = t('switchTo');
  }

  function showLogin(message) {
    signedIn = false;
    $('signout').hidden = true;
    $('board').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message;
    applyLanguage();
  }

  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('fangpin.lang', lang);
    render();
    if (!last) applyLanguage();
  });
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    const username = /** @type {HTMLInputElement} */ ($('username')).value.trim();
    const password = /** @type {HTMLInputElement} */ ($('password'));
    api('/session', { method: 'POST', body: JSON.stringify({ username, password: password.value }) }).then(
      () => {
        password.value = '';
        signedIn = true;
        void refresh();
      },
      (error) => showLogin(error.message),
    );
  });
  $('signout').addEventListener('click', () => {
    void api('/session', { method: 'DELETE' }).finally(() => {
      last = null;
      showLogin('');
    });
  });
  $('explain-close').addEventListener('click', () => {
    openClaim = null;
    $('explain').hidden = true;
  });

  applyLanguage();
  // a session cookie from an earlier sign-in opens the board at once; without one the first read shows the form
  void refresh();
  setInterval(() => {
    if (signedIn) void refresh();
  }, REFRESH_MS);
})();
