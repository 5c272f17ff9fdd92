// @ts-check
/* The staff workbench: plain browser JavaScript, no framework, Chinese first. Staff sign in with their account
 * (POST /session sets the HttpOnly session cookie; the page never holds the token), see what waits for them
 * (GET /queue), open a claim (GET /claims/{no}: its facts and trail) and act on it with a reason; every refusal is the
 * API's own problem detail, in the page's language. Writes carry the session's CSRF token. */
(() => {
  /**
   * The API's answers as this page reads them (see /openapi.json).
   * @typedef {{ zh: string, en: string }} Bilingual
   * @typedef {{ memberId: string, name: string, relation: string, residentId: string, joinedOn?: string, leftOn?: string, deceasedOn?: string }} Member
   * @typedef {{ category: string, from: string, to?: string, reason?: string }} CategoryPeriod
   * @typedef {{ policyYear: number, line: string, enrolledOn: string }} Enrollment
   * @typedef {{ householdId: string, divisionCode: string, members: Member[], categoryHistory: CategoryPeriod[], enrollments: Enrollment[] }} Household
   * @typedef {{ claimNo: string, stage: string, status: string, line: string, divisionCode: string, eventDate: string, stageSince: string, proposedFen: number, paidFen: number, clock: { breached: boolean, overdueMs: number, dueAt: string | null } }} ClaimRow
   * @typedef {{ at: string, actor: { userId: string, role: string }, action: string, reason?: string }} TrailEvent
   * @typedef {Bilingual & { limitFen: number, heldFen: number, paidFen: number, remainingFen: number }} Cap
   * @typedef {{ line: string, caps: Cap[] }} ExposureLine
   * @typedef {{ policyYear: number, lines: ExposureLine[] }} ExposureYear
   */
  /** @type {Record<string, Record<string, { zh: string; en: string }>>} */
  // @ts-expect-error the labels script sets it
  const LABELS = window.FANGPIN_LABELS;
  const T = {
    zh: {
      title: '防贫保理赔工作台',
      username: '用户名',
      password: '密码',
      signIn: '登录',
      signOut: '退出登录',
      mustChange: '这是管理员设置的临时密码，请先设置您自己的密码（至少 10 位，含字母和数字）。',
      currentPassword: '当前密码',
      newPassword: '新密码',
      save: '保存',
      myQueue: '待我处理',
      back: '← 返回待我处理',
      reason: '意见或原因',
      timeline: '办理记录',
      none: '暂无待办案件',
      empty: '暂无记录',
      objectorName: '异议人姓名',
      objectorNeeded: '请填写异议人姓名。',
      member: '出险成员',
      reportDate: '报案日期',
      documents: '材料',
      addDocument: '添加材料',
      preview: '测算赔款',
      fileClaim: '提交报案',
      filed: '已报案，案件编号',
      payable: '测算赔款',
      notEligible: '不符合赔付条件：',
      missingDocuments: '尚缺材料：',
      kind: '材料类型',
      file: '文件',
      cause: '出险原因',
      assessedLossFen: '核定损失（元）',
      description: '情况说明',
      admissionDate: '入院日期',
      dischargeDate: '出院日期',
      totalCostFen: '医疗总费用（元）',
      basicInsuranceFen: '基本医保报销（元）',
      criticalIllnessFen: '大病保险报销（元）',
      medicalAssistanceFen: '医疗救助（元）',
      otherInsuranceFen: '其他保险报销（元）',
      nonCompliantFen: '不合规费用（元）',
      disabilityGrade: '伤残等级（1–10 级）',
      medicalCostFen: '医疗费用（元）',
      item: '作物或品种（代码，如 wheat）',
      units: '受灾面积或数量（亩/头）',
      lossRatioPct: '损失率（%）',
      level: '录取层次',
      admissionYear: '录取年份',
      school: '录取学校',
      claimNo: '案件编号',
      stage: '环节',
      line: '险种',
      village: '村',
      waiting: '已等待',
      due: '办理时限',
      late: '已超时',
      status: '状态',
      household: '户编号',
      eventDate: '出险日期',
      proposed: '测算赔款',
      approved: '核定赔款',
      paid: '已支付',
      at: '时间（北京时间）',
      who: '办理人',
      event: '事项',
      done: '已办理：',
      ended: '登录已失效，请重新登录',
      notYours: '此案件当前不需要您办理。',
      reasonNeeded: '请填写原因。',
      households: '农户查询',
      searchBy: '户主或成员姓名，或身份证号（完整 18 位或后 4 位）',
      search: '查询',
      head: '户主',
      category: '身份类别',
      memberCount: '人口',
      members: '家庭成员',
      name: '姓名',
      relation: '与户主关系',
      residentId: '身份证号',
      joinedOn: '迁入',
      leftOn: '迁出',
      deceasedOn: '死亡',
      categoryHistory: '身份类别记录',
      from: '起',
      to: '止',
      enrollments: '参保险种',
      policyYear: '保单年度',
      enrolledOn: '参保日期',
      householdClaims: '理赔案件',
      exposure: '已获赔付与剩余额度',
      cap: '限额',
      limit: '额度',
      held: '已占用',
      remaining: '剩余',
    },
    en: {
      title: 'Claims workbench',
      username: 'Username',
      password: 'Password',
      signIn: 'Sign in',
      signOut: 'Sign out',
      mustChange: 'This is a temporary password set by an administrator: choose your own (10+ characters, letters and digits).',
      currentPassword: 'Current password',
      newPassword: 'New password',
      save: 'Save',
      myQueue: 'My queue',
      back: '← Back to my queue',
      reason: 'Comment or reason',
      timeline: 'Trail',
      none: 'Nothing waits for you',
      empty: 'None',
      objectorName: 'Objector’s name',
      objectorNeeded: 'Please give the objector’s name.',
      member: 'Member',
      reportDate: 'Report date',
      documents: 'Documents',
      addDocument: 'Add a document',
      preview: 'Preview payout',
      fileClaim: 'File the claim',
      filed: 'Filed, claim number',
      payable: 'Payout',
      notEligible: 'Not eligible: ',
      missingDocuments: 'Documents still missing: ',
      kind: 'Kind',
      file: 'File',
      cause: 'Cause',
      assessedLossFen: 'Assessed loss (yuan)',
      description: 'Description',
      admissionDate: 'Admitted',
      dischargeDate: 'Discharged',
      totalCostFen: 'Total medical cost (yuan)',
      basicInsuranceFen: 'Basic medical insurance (yuan)',
      criticalIllnessFen: 'Critical-illness insurance (yuan)',
      medicalAssistanceFen: 'Medical assistance (yuan)',
      otherInsuranceFen: 'Other insurance (yuan)',
      nonCompliantFen: 'Non-compliant costs (yuan)',
      disabilityGrade: 'Disability grade (1–10)',
      medicalCostFen: 'Medical costs (yuan)',
      item: 'Crop or breed (code, e.g. wheat)',
      units: 'Area or head affected (mu/head)',
      lossRatioPct: 'Loss ratio (%)',
      level: 'Admission level',
      admissionYear: 'Admission year',
      school: 'School',
      claimNo: 'Claim',
      stage: 'Stage',
      line: 'Line',
      village: 'Village',
      waiting: 'Waiting',
      due: 'Due',
      late: 'Late',
      status: 'Status',
      household: 'Household',
      eventDate: 'Event date',
      proposed: 'Proposed payout',
      approved: 'Approved',
      paid: 'Paid',
      at: 'Time (Beijing)',
      who: 'By',
      event: 'Event',
      done: 'Done: ',
      ended: 'Your session has ended; sign in again',
      notYours: 'Nothing on this claim waits for you now.',
      reasonNeeded: 'Please give a reason.',
      households: 'Households',
      searchBy: 'Name of a member, or a resident ID (all 18 characters or the last 4)',
      search: 'Search',
      head: 'Head',
      category: 'Category',
      memberCount: 'Members',
      members: 'Members',
      name: 'Name',
      relation: 'Relation',
      residentId: 'Resident ID',
      joinedOn: 'Joined',
      leftOn: 'Left',
      deceasedOn: 'Deceased',
      categoryHistory: 'Category history',
      from: 'From',
      to: 'To',
      enrollments: 'Enrolled lines',
      policyYear: 'Policy year',
      enrolledOn: 'Enrolled on',
      householdClaims: 'Claims',
      exposure: 'Paid and remaining under each cap',
      cap: 'Cap',
      limit: 'Limit',
      held: 'Held',
      remaining: 'Remaining',
    },
  };
  /** The actions this page offers; the others (objections, corrections, documents) need forms of their own. */
  const SIMPLE_ACTIONS = ['review', 'approve', 'object', 'return', 'reject', 'withdraw'];
  /**
   * The loss form of each line: [field, kind, label table]. Money is typed in yuan and sent in fen; a loss ratio in
   * percent and sent in basis points. Accident fields after the kind apply to one kind only.
   * @type {Record<string, [string, string, string?][]>}
   */
  const LOSS_FIELDS = {
    property: [
      ['cause', 'select', 'propertyCauses'],
      ['assessedLossFen', 'yuan'],
      ['description', 'text'],
    ],
    health: [
      ['admissionDate', 'date'],
      ['dischargeDate', 'date'],
      ['totalCostFen', 'yuan'],
      ['basicInsuranceFen', 'yuan'],
      ['criticalIllnessFen', 'yuan'],
      ['medicalAssistanceFen', 'yuan'],
      ['otherInsuranceFen', 'yuan'],
      ['nonCompliantFen', 'yuan'],
    ],
    accident: [
      ['kind', 'select', 'accidentKinds'],
      ['disabilityGrade', 'int'],
      ['medicalCostFen', 'yuan'],
      ['description', 'text'],
    ],
    crop: [
      ['item', 'text'],
      ['units', 'number'],
      ['lossRatioPct', 'number'],
      ['cause', 'select', 'cropCauses'],
    ],
    education: [
      ['level', 'select', 'admissionLevels'],
      ['admissionYear', 'int'],
      ['school', 'text'],
    ],
  };
  const ACCIDENT_ONLY = { disabilityGrade: 'disability', medicalCostFen: 'medical' };
  /** The filing's Idempotency-Key: made when the form opens, kept across retries, so a resubmission never files twice. */
  let filingKey = '';
  /** @type {Household | null} */
  let filingHousehold = null;
  const NEEDS_REASON = new Set(['object', 'return', 'reject', 'withdraw']);

  let lang = localStorage.getItem('fangpin.lang') === 'en' ? 'en' : 'zh';
  /** @type {{ role: string, jurisdiction: string, userId: string, name?: string } | null} */
  let actor = null;
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const t = (/** @type {string} */ key) => /** @type {Record<string, string>} */ (T[lang])[key] ?? key;
  const label = (/** @type {string} */ table, /** @type {string} */ key) => LABELS[table]?.[key]?.[lang] ?? key;
  const csrfToken = () => decodeURIComponent(document.cookie.match(/(?:^|;\s*)fangpin_csrf=([^;]+)/)?.[1] ?? '');
  const yuan = (/** @type {number} */ fen) =>
    '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const beijing = (/** @type {string | null} */ iso) =>
    iso ? new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ') : '—';
  function duration(/** @type {number} */ ms) {
    const hours = Math.floor(ms / 3600000);
    const days = Math.floor(hours / 24);
    if (lang === 'zh') return days > 0 ? `${days}天${hours % 24}小时` : `${hours}小时${Math.floor((ms % 3600000) / 60000)}分`;
    return days > 0 ? `${days} d ${hours % 24} h` : `${hours} h ${Math.floor((ms % 3600000) / 60000)} min`;
  }
  /** @param {string} tag @param {Record<string, unknown>} attrs @param {...(Node | string | number)} children */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'onclick') node.addEventListener('click', /** @type {EventListener} */ (v));
      else node.setAttribute(k === 'className' ? 'class' : k, String(v));
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  /** @param {string} id @param {string[]} headers @param {(Node | string)[][]} rows @param {string[]} [rowClasses] @param {string} [emptyKey] */
  function table(id, headers, rows, rowClasses = [], emptyKey = 'empty') {
    const node = $(id);
    node.replaceChildren(el('tr', {}, ...headers.map((h) => el('th', {}, t(h)))));
    if (rows.length === 0) node.append(el('tr', {}, el('td', { colspan: headers.length }, t(emptyKey))));
    rows.forEach((cells, i) => node.append(el('tr', { className: rowClasses[i] }, ...cells.map((c) => el('td', {}, c)))));
  }

  /** @param {string} path @param {RequestInit} [init] @param {Record<string, string>} [headers] */
  async function api(path, init, headers = {}) {
    const write = init?.method && init.method !== 'GET';
    const response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        'accept-language': lang === 'zh' ? 'zh-CN' : 'en',
        ...(write ? { 'x-csrf-token': csrfToken() } : {}),
        ...headers,
      },
    });
    const body = response.status === 204 ? {} : await response.json();
    if (!response.ok) {
      const fields = (body.fieldErrors ?? [])
        .map((/** @type {{ path: string, message: string }} */ f) => `${t(f.path.split('.').at(-1) ?? '')}：${f.message}`)
        .join('；');
      throw Object.assign(new Error([body.detail, fields].filter(Boolean).join(' ') || response.statusText), {
        status: response.status,
        code: body.code,
      });
    }
    return body;
  }

  function show(/** @type {string} */ view) {
    for (const id of ['login', 'change-password', 'queue-view', 'households-view', 'household-view', 'file-view', 'claim-view'])
      $(id).hidden = id !== view;
    $('signout').hidden = view === 'login';
    $('nav').hidden = view === 'login' || view === 'change-password';
  }

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
    $('lang').textContent = lang === 'zh' ? 'English' : '中文';
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n') ?? '');
    $('who').textContent = actor ? `${actor.name ?? actor.userId} · ${label('roles', actor.role)} · ${actor.jurisdiction}` : '';
  }

  /** Where the page is: the queue, or one claim (#claim/FP-…). */
  async function route() {
    applyLanguage();
    if (!actor) return;
    const claimNo = location.hash.match(/^#claim\/([A-Z0-9-]+)$/)?.[1];
    const householdId = location.hash.match(/^#household\/([A-Za-z0-9_-]+)$/)?.[1];
    const filingFor = location.hash.match(/^#file\/([A-Za-z0-9_-]+)$/)?.[1];
    try {
      if (claimNo) await showClaim(claimNo);
      else if (householdId) await showHousehold(householdId);
      else if (filingFor) await showFiling(filingFor);
      else if (location.hash === '#households') show('households-view');
      else await showQueue();
    } catch (error) {
      failed(error);
    }
  }

  function failed(/** @type {unknown} */ error) {
    const e = /** @type {Error & { status?: number, code?: string }} */ (error);
    if (e.status === 401) {
      actor = null;
      show('login');
      $('login-error').textContent = t('ended');
    } else if (e.code === 'PASSWORD_CHANGE_REQUIRED') show('change-password');
    else $('action-result').textContent = e.message;
  }

  async function showQueue() {
    const q = await api('/queue?limit=200');
    show('queue-view');
    $('stages').replaceChildren(
      ...q.stages.map((/** @type {{ stage: string, count: number, late: number }} */ s) =>
        el(
          'div',
          { className: 'stage', 'data-stage': s.stage, 'data-count': s.count },
          `${label('stages', s.stage)} `,
          el('strong', {}, s.count),
          ...(s.late ? [' · ', el('span', { className: 'late' }, `${t('late')} ${s.late}`)] : []),
        ),
      ),
    );
    const items = /** @type {ClaimRow[]} */ (q.items);
    table(
      'queue',
      ['claimNo', 'stage', 'line', 'village', 'waiting', 'due'],
      items.map((c) => [
        el('a', { className: 'claim', href: `#claim/${c.claimNo}`, 'data-claim': c.claimNo }, c.claimNo),
        label('stages', c.stage),
        label('lines', c.line),
        c.divisionCode,
        duration(Date.parse(q.asOf) - Date.parse(c.stageSince)),
        c.clock.breached ? `${t('late')} ${duration(c.clock.overdueMs)}` : beijing(c.clock.dueAt),
      ]),
      items.map((c) => (c.clock.breached ? 'late' : '')),
      'none',
    );
  }

  async function showClaim(/** @type {string} */ claimNo) {
    const { claim, timeline } = await api(`/claims/${encodeURIComponent(claimNo)}`);
    show('claim-view');
    $('claim-title').textContent = `${claim.claimNo} · ${label('stages', claim.stage)} · ${label('statuses', claim.status)}`;
    const facts = [
      ['household', el('a', { href: `#household/${claim.householdId}` }, claim.householdId)],
      ['line', label('lines', claim.line)],
      ['eventDate', claim.eventDate],
      ['village', claim.divisionCode],
      ['proposed', yuan(claim.proposedFen)],
      ['approved', yuan(claim.approvedFen)],
      ['paid', yuan(claim.paidFen)],
    ];
    $('claim-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-fact': k }, v)]));
    const mine = actor && claim.status === 'open' && (claim.pending?.roles ?? []).includes(actor.role);
    const actions = mine ? claim.pending.actions.filter((/** @type {string} */ a) => SIMPLE_ACTIONS.includes(a)) : [];
    $('action-buttons').replaceChildren(
      ...actions.map((/** @type {string} */ a) =>
        el('button', { type: 'button', 'data-action': a, onclick: () => act(claim.claimNo, a) }, label('actions', a)),
      ),
    );
    $('reason').parentElement?.toggleAttribute('hidden', actions.length === 0);
    // an objection during the public notice names who objects (recorded by the village, as the notice says)
    $('objector-row').hidden = !actions.includes('object');
    if (!$('action-result').dataset.keep) $('action-result').textContent = actions.length ? '' : t('notYours');
    delete $('action-result').dataset.keep;
    table(
      'timeline',
      ['at', 'who', 'event', 'reason'],
      [...timeline]
        .reverse()
        .map((/** @type {TrailEvent} */ e) => [
          beijing(e.at),
          `${e.actor.userId} (${label('roles', e.actor.role)})`,
          LABELS.events?.[e.action]?.[lang] ?? label('actions', e.action),
          e.reason ?? '',
        ]),
    );
  }

  /** The current category of a household (the period without an end, else the latest). */
  const currentCategory = (/** @type {Household} */ h) =>
    (h.categoryHistory.find((/** @type {CategoryPeriod} */ p) => !p.to) ?? h.categoryHistory.at(-1))?.category;

  async function searchHouseholds(/** @type {string} */ text) {
    const query = text.trim();
    const found = /^\d{17}[\dXx]$/.test(query)
      ? await api('/households/search', { method: 'POST', body: JSON.stringify({ residentId: query.toUpperCase() }) })
      : /^\d{3}[\dXx]$/.test(query)
        ? await api(`/households?idSuffix=${encodeURIComponent(query.toUpperCase())}&limit=50`)
        : await api(`/households?name=${encodeURIComponent(query)}&limit=50`);
    table(
      'household-results',
      ['household', 'head', 'village', 'category', 'memberCount'],
      found.items.map((/** @type {Household} */ h) => [
        el('a', { className: 'claim', href: `#household/${h.householdId}`, 'data-household': h.householdId }, h.householdId),
        h.members.find((/** @type {Member} */ m) => m.relation === 'head')?.name ?? '',
        h.divisionCode,
        label('categories', currentCategory(h)),
        h.members.length,
      ]),
    );
  }

  async function showHousehold(/** @type {string} */ householdId) {
    const id = encodeURIComponent(householdId);
    const [h, claims, exposure] = await Promise.all([
      api(`/households/${id}`),
      api(`/claims?household=${id}&limit=50`),
      api(`/households/${id}/exposure`),
    ]);
    show('household-view');
    /** @type {HTMLAnchorElement} */ ($('file-link')).href = `#file/${h.householdId}`;
    $('household-title').textContent =
      `${h.householdId} · ${h.members.find((/** @type {Member} */ m) => m.relation === 'head')?.name ?? ''}`;
    $('household-facts').replaceChildren(
      ...[
        ['village', h.divisionCode],
        ['category', label('categories', currentCategory(h))],
        ['memberCount', String(h.members.length)],
      ].flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { 'data-fact': k }, v)]),
    );
    table(
      'members',
      ['name', 'relation', 'residentId', 'joinedOn', 'leftOn', 'deceasedOn'],
      h.members.map((/** @type {Member} */ m) => [
        m.name,
        label('relations', m.relation),
        m.residentId,
        m.joinedOn ?? '',
        m.leftOn ?? '',
        m.deceasedOn ?? '',
      ]),
    );
    table(
      'categories',
      ['category', 'from', 'to', 'reason'],
      h.categoryHistory.map((/** @type {CategoryPeriod} */ p) => [
        label('categories', p.category),
        p.from,
        p.to ?? '',
        p.reason ?? '',
      ]),
    );
    table(
      'enrollments',
      ['policyYear', 'line', 'enrolledOn'],
      h.enrollments.map((/** @type {Enrollment} */ e) => [String(e.policyYear), label('lines', e.line), e.enrolledOn]),
    );
    table(
      'household-claims',
      ['claimNo', 'line', 'eventDate', 'stage', 'proposed', 'paid'],
      claims.items.map((/** @type {ClaimRow} */ c) => [
        el('a', { className: 'claim', href: `#claim/${c.claimNo}`, 'data-claim': c.claimNo }, c.claimNo),
        label('lines', c.line),
        c.eventDate,
        `${label('stages', c.stage)} · ${label('statuses', c.status)}`,
        yuan(c.proposedFen),
        yuan(c.paidFen),
      ]),
    );
    table(
      'exposure',
      ['policyYear', 'line', 'cap', 'limit', 'held', 'paid', 'remaining'],
      exposure.years.flatMap((/** @type {ExposureYear} */ y) =>
        y.lines.flatMap((/** @type {ExposureLine} */ l) =>
          l.caps.map((/** @type {Cap} */ c) => [
            String(y.policyYear),
            label('lines', l.line),
            lang === 'zh' ? c.zh : c.en,
            yuan(c.limitFen),
            yuan(c.heldFen),
            yuan(c.paidFen),
            yuan(c.remainingFen),
          ]),
        ),
      ),
    );
  }

  const todayInBeijing = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  const options = (/** @type {string} */ tableName, /** @type {string[]} */ keys) =>
    keys.map((k) => el('option', { value: k }, label(tableName, k)));

  async function showFiling(/** @type {string} */ householdId) {
    const h = await api(`/households/${encodeURIComponent(householdId)}`);
    filingHousehold = h;
    if (!filingKey) filingKey = crypto.randomUUID();
    show('file-view');
    $('file-title').textContent = `${t('fileClaim')} · ${h.householdId}`;
    $('f-member').replaceChildren(
      ...h.members
        .filter((/** @type {Member} */ m) => !m.leftOn && !m.deceasedOn)
        .map((/** @type {Member} */ m) => el('option', { value: m.memberId }, `${m.name}（${label('relations', m.relation)}）`)),
    );
    const lines = [...new Set(h.enrollments.map((/** @type {Enrollment} */ e) => e.line))];
    $('f-line').replaceChildren(...options('lines', /** @type {string[]} */ (lines)));
    /** @type {HTMLInputElement} */ ($('f-event')).value ||= todayInBeijing();
    /** @type {HTMLInputElement} */ ($('f-report')).value ||= todayInBeijing();
    $('f-docs').replaceChildren();
    $('f-result').replaceChildren();
    renderLossFields();
  }

  function renderLossFields() {
    const line = /** @type {HTMLSelectElement} */ ($('f-line')).value;
    $('f-loss').replaceChildren(
      el('legend', {}, label('lines', line)),
      ...(LOSS_FIELDS[line] ?? []).map(([name, kind, table]) =>
        el(
          'label',
          { 'data-field': name },
          el('span', {}, t(name)),
          kind === 'select'
            ? el('select', { name }, ...options(table ?? '', Object.keys(LABELS[table ?? ''] ?? {})))
            : el('input', {
                name,
                type: kind === 'date' ? 'date' : kind === 'text' ? 'text' : 'number',
                step: kind === 'yuan' ? '0.01' : kind === 'int' ? '1' : 'any',
                min: kind === 'text' || kind === 'date' ? undefined : '0',
              }),
        ),
      ),
    );
    showAccidentFields();
  }

  /** An accident's grade or medical cost belongs to one kind: the other fields are hidden (and not sent). */
  function showAccidentFields() {
    const kind = /** @type {HTMLSelectElement | null} */ ($('f-loss').querySelector('select[name=kind]'))?.value;
    for (const [field, only] of Object.entries(ACCIDENT_ONLY)) {
      const row = $('f-loss').querySelector(`[data-field=${field}]`);
      row?.toggleAttribute('hidden', kind !== only);
    }
  }

  function addDocumentRow() {
    $('f-docs').append(
      el(
        'div',
        { className: 'doc' },
        el(
          'label',
          {},
          el('span', {}, t('kind')),
          el('select', { name: 'kind' }, ...options('documents', Object.keys(LABELS.documents))),
        ),
        el('label', {}, el('span', {}, t('file')), el('input', { type: 'file', name: 'file' })),
      ),
    );
  }

  /** The claim as the API takes it, from the form (documents by name, kind and the file's SHA-256, computed here). */
  async function claimFromForm() {
    const line = /** @type {HTMLSelectElement} */ ($('f-line')).value;
    /** @type {Record<string, unknown>} */
    const loss = { line };
    for (const [name, kind] of LOSS_FIELDS[line] ?? []) {
      const input = /** @type {HTMLInputElement | null} */ ($('f-loss').querySelector(`[name=${name}]`));
      if (!input || input.closest('[hidden]') || input.value.trim() === '') continue;
      const value = input.value.trim();
      if (kind === 'yuan') loss[name] = Math.round(Number(value) * 100);
      else if (name === 'lossRatioPct') loss.lossRatioBp = Math.round(Number(value) * 100);
      else if (kind === 'int' || kind === 'number') loss[name] = Number(value);
      else loss[name] = value;
    }
    const documents = [];
    for (const row of $('f-docs').querySelectorAll('.doc')) {
      const file = /** @type {HTMLInputElement} */ (row.querySelector('input[type=file]')).files?.[0];
      if (!file) continue;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      documents.push({
        name: file.name,
        kind: /** @type {HTMLSelectElement} */ (row.querySelector('select')).value,
        sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
      });
    }
    return {
      householdId: /** @type {Household} */ (filingHousehold).householdId,
      memberId: /** @type {HTMLSelectElement} */ ($('f-member')).value,
      line,
      eventDate: /** @type {HTMLInputElement} */ ($('f-event')).value,
      reportDate: /** @type {HTMLInputElement} */ ($('f-report')).value,
      loss,
      documents,
    };
  }

  async function previewClaim() {
    const result = $('f-result');
    try {
      const p = await api('/claims/preview', { method: 'POST', body: JSON.stringify(await claimFromForm()) });
      if (!p.eligible) {
        result.replaceChildren(
          el(
            'div',
            { className: 'preview refused', 'data-eligible': 'false' },
            t('notEligible'),
            ...p.reasons.map((/** @type {Bilingual} */ r) => el('p', {}, r[lang])),
          ),
        );
        return;
      }
      result.replaceChildren(
        el(
          'div',
          { className: 'preview', 'data-eligible': 'true', 'data-payable': p.calculation.payableFen },
          el('p', {}, el('strong', {}, `${t('payable')} ${yuan(p.calculation.payableFen)}`)),
          el(
            'ol',
            {},
            ...p.calculation.lines.map((/** @type {Bilingual & { amountFen: number }} */ l) =>
              el('li', {}, `${l[lang]}（${yuan(l.amountFen)}）`),
            ),
          ),
          ...(p.missingDocuments.length
            ? [
                el(
                  'p',
                  {},
                  t('missingDocuments') +
                    p.missingDocuments.map((/** @type {string} */ d) => label('documents', d)).join(lang === 'zh' ? '、' : ', '),
                ),
              ]
            : []),
          ...p.warnings.map((/** @type {Bilingual} */ w) => el('p', { className: 'error' }, w[lang])),
        ),
      );
    } catch (error) {
      result.replaceChildren(el('p', { className: 'error' }, /** @type {Error} */ (error).message));
    }
  }

  async function fileClaim() {
    const result = $('f-result');
    try {
      const filed = await api(
        '/claims',
        { method: 'POST', body: JSON.stringify(await claimFromForm()) },
        { 'idempotency-key': filingKey },
      );
      filingKey = '';
      location.hash = `#claim/${filed.claimNo}`;
    } catch (error) {
      // the same key stays: pressing again after a network error returns the claim filed, never a second one
      result.replaceChildren(el('p', { className: 'error' }, /** @type {Error} */ (error).message));
    }
  }

  async function act(/** @type {string} */ claimNo, /** @type {string} */ action) {
    const reason = /** @type {HTMLTextAreaElement} */ ($('reason')).value.trim();
    if (NEEDS_REASON.has(action) && !reason) {
      $('action-result').textContent = t('reasonNeeded');
      return;
    }
    const objectorName = /** @type {HTMLInputElement} */ ($('objector-name')).value.trim();
    if (action === 'object' && !objectorName) {
      $('action-result').textContent = t('objectorNeeded');
      return;
    }
    try {
      const state = await api(`/claims/${encodeURIComponent(claimNo)}/actions/${action}`, {
        method: 'POST',
        body: JSON.stringify({ ...(reason ? { reason } : {}), ...(action === 'object' ? { objectorName } : {}) }),
      });
      /** @type {HTMLTextAreaElement} */ ($('reason')).value = '';
      /** @type {HTMLInputElement} */ ($('objector-name')).value = '';
      $('action-result').textContent = `${t('done')}${label('actions', action)} → ${label('stages', state.stage)}`;
      $('action-result').dataset.keep = '1';
      await showClaim(claimNo);
    } catch (error) {
      failed(error);
    }
  }

  async function start() {
    try {
      const session = await api('/session');
      actor = session.actor;
      if (session.user?.mustChangePassword) {
        show('change-password');
        applyLanguage();
        return;
      }
      await route();
    } catch (error) {
      actor = null;
      show('login');
      applyLanguage();
      if (/** @type {{ status?: number }} */ (error).status !== 401) $('login-error').textContent = String(error);
    }
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    const password = /** @type {HTMLInputElement} */ ($('password'));
    api('/session', {
      method: 'POST',
      body: JSON.stringify({ username: /** @type {HTMLInputElement} */ ($('username')).value.trim(), password: password.value }),
    }).then(
      () => {
        password.value = '';
        $('login-error').textContent = '';
        void start();
      },
      (error) => ($('login-error').textContent = error.message),
    );
  });
  $('change-password').addEventListener('submit', (event) => {
    event.preventDefault();
    const current = /** @type {HTMLInputElement} */ ($('current-password'));
    const next = /** @type {HTMLInputElement} */ ($('new-password'));
    api('/session/password', {
      method: 'POST',
      body: JSON.stringify({ currentPassword: current.value, newPassword: next.value }),
    }).then(
      () => {
        current.value = '';
        next.value = '';
        void start();
      },
      (error) => ($('change-error').textContent = error.message),
    );
  });
  $('signout').addEventListener('click', () => {
    void api('/session', { method: 'DELETE' }).finally(() => {
      actor = null;
      show('login');
      applyLanguage();
    });
  });
  $('f-line').addEventListener('change', renderLossFields);
  $('f-loss').addEventListener('change', (event) => {
    if (/** @type {HTMLElement} */ (event.target).getAttribute('name') === 'kind') showAccidentFields();
  });
  $('f-add-doc').addEventListener('click', addDocumentRow);
  $('f-preview').addEventListener('click', () => void previewClaim());
  $('file-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void fileClaim();
  });
  $('household-search').addEventListener('submit', (event) => {
    event.preventDefault();
    $('search-error').textContent = '';
    searchHouseholds(/** @type {HTMLInputElement} */ ($('household-query')).value).catch(
      (error) => ($('search-error').textContent = error.message),
    );
  });
  $('back').addEventListener('click', (event) => {
    event.preventDefault();
    location.hash = '';
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('fangpin.lang', lang);
    void route();
  });
  window.addEventListener('hashchange', () => void route());
  void start();
})();
