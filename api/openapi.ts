/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. Every route is listed here;
 * test/integration/openapi.test.ts checks the list against the routes Express really serves and lints the document.
 */
import { PutAssistanceBody } from './contracts/assistance';
import {
  AddPartnerKeyBody,
  PartnerIdParam,
  PartnerKeyParam,
  PartnerMessagesQuery,
  RetirePartnerKeyBody,
  UpdatePartnerBody,
} from './contracts/partners';
import { CreateSandboxClaimBody, SandboxClaimParam, SandboxClaimsQuery } from './contracts/sandbox';
import { z } from 'zod';
import { ErrorCodes } from '../common/errors';
import { InsurerDecisionSchema, PayoutResultSchema } from '../common/partners/messages';
import { InsurerClaimsQuery } from './routes/partners';
import {
  ActionBodies,
  AppealBody,
  ClaimNoParam,
  ExportClaimsQuery,
  FileClaimBody,
  GetClaimQuery,
  ListClaimsQuery,
  PreviewClaimBody,
} from './contracts/claims';
import {
  HouseholdChangeParam,
  HouseholdDecisionBody,
  HouseholdIdParam,
  PutHouseholdBody,
  PutHouseholdQuery,
  SearchHouseholdsBody,
  SearchHouseholdsQuery,
} from './contracts/households';
import { DOCUMENT_MEDIA_TYPES } from '../domain/document-files';
import { XLSX_MEDIA_TYPE } from './views/xlsx';
import { ExportExposureQuery, ExportPayoutsQuery, ExportRosterQuery } from './contracts/exports';
import { ImportIdParam, StartImportQuery } from './contracts/imports';
import { MonitoringActionDocBodies, OpenReferralBody, ReferralIdParam, ReferralListQuery } from './contracts/referrals';
import { DeclareDisasterSchema, DisasterIdSchema, EnterLossesSchema } from '../domain/disaster';
import { OpsActionBodies, OpsLateExportQuery, OpsListQuery, OpsScopeQuery, QueueQuery } from './contracts/ops';
import {
  ChangePasswordBody,
  CreateUserBody,
  ResetPasswordBody,
  SignInBody,
  UpdateUserBody,
  UsernameParam,
} from './contracts/accounts';

type Auth = 'bearer' | 'partner' | 'none';
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A body that is a file, not JSON: its accepted types. */
  fileBody?: { mediaTypes: readonly string[]; description: string };
  success: { status: number; description: string; mediaTypes?: readonly string[] };
  /** Another success status the operation answers with (an upload of a file already stored: 200, not 201). */
  alsoSuccess?: { status: number; description: string };
  errors: (keyof typeof ErrorCodes)[];
  headers?: { name: string; description: string }[];
}

/** One operation per action of a claim (staff or operator), each with its own body schema. */
function actionOperations(
  base: string,
  idPrefix: string,
  tag: string,
  bodies: Record<string, z.ZodType>,
  summary: (action: string) => string,
  { params = ClaimNoParam, after = 'the claim state after the action' }: { params?: z.ZodObject; after?: string } = {},
): Operation[] {
  return Object.entries(bodies).map(([action, body]) => ({
    method: 'post',
    path: `${base}/${action}`,
    operationId: `${idPrefix}_${action}`,
    summary: summary(action),
    tag,
    auth: 'bearer',
    params,
    body,
    success: { status: 200, description: after },
    errors: [
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'UNPROCESSABLE',
      'DEPENDENCY_UNAVAILABLE',
    ],
  }));
}
const OPS_ERRORS: Operation['errors'] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'];

/** The ops lists share one shape: scoped to the caller's jurisdiction (or a division inside it), limited. */
const opsList = (path: string, operationId: string, summary: string): Operation => ({
  method: 'get',
  path,
  operationId,
  summary,
  tag: 'ops',
  auth: 'bearer',
  query: OpsListQuery,
  success: { status: 200, description: '{ asOf, items }' },
  errors: OPS_ERRORS,
});

const ADMIN_ERRORS: Operation['errors'] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'];

/** Signing in and out, and the administrator's account management. */
const ACCOUNT_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/session',
    operationId: 'signIn',
    summary:
      'Sign in with username and password: the token (as a bearer for API clients), also set as an HttpOnly SameSite cookie, and the CSRF token cookie-authenticated writes send as X-CSRF-Token. Five wrong passwords in a row lock the account for 15 minutes.',
    tag: 'accounts',
    auth: 'none',
    body: SignInBody,
    success: { status: 200, description: '{ token, csrfToken, expiresAt, user }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'TOO_MANY_REQUESTS'],
  },
  {
    method: 'get',
    path: '/session',
    operationId: 'currentSession',
    summary: 'Who the token or cookie belongs to',
    tag: 'accounts',
    auth: 'bearer',
    success: { status: 200, description: '{ actor, user }' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'delete',
    path: '/session',
    operationId: 'signOut',
    summary: 'Sign out of the browser: clears the session cookies',
    tag: 'accounts',
    auth: 'none',
    success: { status: 204, description: 'signed out' },
    errors: [],
  },
  {
    method: 'post',
    path: '/session/password',
    operationId: 'changePassword',
    summary: "Change one's own password (ends every other session; answers with a new session)",
    tag: 'accounts',
    auth: 'bearer',
    body: ChangePasswordBody,
    success: { status: 200, description: '{ token, csrfToken, expiresAt, user }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/queue',
    operationId: 'myQueue',
    summary:
      '待我处理: open claims waiting for an action of the caller’s role in the caller’s jurisdiction, late ones first, then the longest waiting, each with its SLA clock; and the count per stage (with how many are late)',
    tag: 'claims',
    auth: 'bearer',
    query: QueueQuery,
    success: { status: 200, description: '{ asOf, stages: [{ stage, count, late }], items }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/admin/users',
    operationId: 'listUsers',
    summary: "The accounts in the administrator's jurisdiction",
    tag: 'accounts',
    auth: 'bearer',
    success: { status: 200, description: '{ items }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/admin/users',
    operationId: 'createUser',
    summary: 'Create an account (without a password: a temporary one, returned once, to be changed at first sign-in)',
    tag: 'accounts',
    auth: 'bearer',
    body: CreateUserBody,
    success: { status: 201, description: '{ user, temporaryPassword? }' },
    errors: [...ADMIN_ERRORS, 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/admin/users/{username}',
    operationId: 'getUser',
    summary: 'One account',
    tag: 'accounts',
    auth: 'bearer',
    params: UsernameParam,
    success: { status: 200, description: 'the account' },
    errors: ADMIN_ERRORS,
  },
  {
    method: 'patch',
    path: '/admin/users/{username}',
    operationId: 'updateUser',
    summary:
      'Rename, re-scope, disable, enable or unlock an account, on the version read (a new role, jurisdiction or status ends its sessions)',
    tag: 'accounts',
    auth: 'bearer',
    params: UsernameParam,
    body: UpdateUserBody,
    success: { status: 200, description: 'the account after the change' },
    errors: [...ADMIN_ERRORS, 'CONFLICT', 'UNPROCESSABLE'],
  },
  {
    method: 'post',
    path: '/admin/users/{username}/password-reset',
    operationId: 'resetPassword',
    summary: 'A new temporary password for the account, to be changed at its next sign-in',
    tag: 'accounts',
    auth: 'bearer',
    params: UsernameParam,
    body: ResetPasswordBody,
    success: { status: 200, description: '{ user, temporaryPassword }' },
    errors: [...ADMIN_ERRORS, 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/admin/users/{username}/audit',
    operationId: 'userAudit',
    summary: 'Every change to the account: when, what, by whom',
    tag: 'accounts',
    auth: 'bearer',
    params: UsernameParam,
    success: { status: 200, description: '{ items }' },
    errors: ADMIN_ERRORS,
  },
];

export const OPERATIONS: Operation[] = [
  ...ACCOUNT_OPERATIONS,
  {
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    summary: 'The process is alive',
    tag: 'operations',
    auth: 'none',
    success: { status: 200, description: 'alive' },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'MongoDB and Temporal answer (503 names what is down)',
    tag: 'operations',
    auth: 'none',
    success: { status: 200, description: 'ready' },
    errors: ['DEPENDENCY_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tag: 'operations',
    auth: 'none',
    success: { status: 200, description: 'the OpenAPI document' },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'This document as a browsable page',
    tag: 'operations',
    auth: 'none',
    success: { status: 200, description: 'an HTML page' },
    errors: [],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics: HTTP latency by route, claims by stage, payouts by outcome, callback verifications',
    tag: 'operations',
    auth: 'none',
    success: { status: 200, description: 'Prometheus text exposition format' },
    errors: [],
  },
  {
    method: 'get',
    path: '/app',
    operationId: 'workbench',
    summary:
      'The staff workbench (a Vue and Element Plus application: sign in, my queue, households, filing with documents, a claim with its trail and the actions allowed now, user administration)',
    tag: 'claims',
    auth: 'none',
    success: { status: 200, description: 'an HTML page' },
    errors: [],
  },
  {
    method: 'get',
    path: '/dashboard',
    operationId: 'dashboard',
    summary:
      "The ops dashboard's old address: redirects to the workbench's 运行监控 page (/app/#/ops; sign in with an ops or county account)",
    tag: 'ops',
    auth: 'none',
    success: { status: 302, description: 'a redirect to /app/#/ops' },
    errors: [],
  },
  {
    method: 'get',
    path: '/app/labels.js',
    operationId: 'workbenchLabels',
    summary:
      "The workbench's names of stages, statuses, lines, parties, roles, actions and events in Chinese and English (a script)",
    tag: 'claims',
    auth: 'none',
    success: { status: 200, description: 'JavaScript setting window.FANGPIN_LABELS' },
    errors: [],
  },
  {
    method: 'get',
    path: '/ops/summary',
    operationId: 'opsSummary',
    summary: 'Counts by stage, status, line, township and insurer; payout totals; claims filed per day and line',
    tag: 'ops',
    auth: 'bearer',
    query: OpsScopeQuery,
    success: { status: 200, description: 'the summary' },
    errors: OPS_ERRORS,
  },
  opsList('/ops/late', 'opsLate', 'Open claims past their stage deadline (or escalated), with the party responsible'),
  opsList(
    '/ops/attention',
    'opsAttention',
    'Claims stopped for a person (a bank result that does not match its instruction, a step that cannot succeed), with the reason',
  ),
  opsList('/ops/stuck', 'opsStuck', 'Open claims with no stage change for longer than OPS_STUCK_AFTER, with the pending action'),
  opsList(
    '/ops/failing-activities',
    'opsFailingActivities',
    "Activities that keep failing: attempt, last failure and next retry from Temporal's describe",
  ),
  {
    method: 'get',
    path: '/ops/claims/{claimNo}',
    operationId: 'opsExplainClaim',
    summary: 'Why a claim is where it is: state, pending action, SLA clock, activities, trail, Temporal UI link',
    tag: 'ops',
    auth: 'bearer',
    params: ClaimNoParam,
    success: { status: 200, description: 'the explanation (zh and en) with the facts behind it' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  ...actionOperations(
    '/ops/claims/{claimNo}/actions',
    'opsAction',
    'ops',
    OpsActionBodies,
    (action) => `Operator action '${action}' (only in a stage where it is safe; audited)`,
  ),
  {
    method: 'get',
    path: '/households',
    operationId: 'searchHouseholds',
    summary: 'Search households in your jurisdiction (by division, category, member name, ID suffix)',
    tag: 'households',
    auth: 'bearer',
    query: SearchHouseholdsQuery,
    success: { status: 200, description: 'a page of households, IDs and cards masked' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/households/search',
    operationId: 'searchHouseholdsByBody',
    summary: 'Search households in your jurisdiction, also by a full resident ID (in the body, never in a URL)',
    tag: 'households',
    auth: 'bearer',
    body: SearchHouseholdsBody,
    success: { status: 200, description: 'one page of households, IDs and cards masked' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },

  {
    method: 'get',
    path: '/households/{householdId}',
    operationId: 'getHousehold',
    summary: 'One household, IDs and cards masked',
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    success: { status: 200, description: 'the household' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/households/{householdId}/exposure',
    operationId: 'getHouseholdExposure',
    summary: "The household's exposure ledger: each cap's limit, reserved, paid and remaining money, by year, line and insurer",
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    success: { status: 200, description: 'the ledger, with the part of every cap each claim holds' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/households/{householdId}/changes',
    operationId: 'getHouseholdChanges',
    summary: 'Who changed the household record, when, why and which fields (before and after, numbers masked)',
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    success: { status: 200, description: 'the changes, newest first' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/households/{householdId}/assistance',
    operationId: 'getAssistance',
    summary:
      "The household's assistance: its assistance contact (帮扶联系人, phone masked) and its one-household plan (一户一方案): the measures with their kind, content, dates, who carries them out and status, the plan's version and its revisions (who saved, when, why)",
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    success: { status: 200, description: '{ householdId, contact, version, measures, updatedAt, revisions }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/households/{householdId}/assistance',
    operationId: 'putAssistance',
    summary:
      "Save the household's one-household plan (village, township or county staff of its jurisdiction) on the version you read (0: no plan yet); 409 with currentVersion when someone saved in between",
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    body: PutAssistanceBody,
    success: { status: 200, description: 'the plan as saved, at its new version' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'put',
    path: '/households/{householdId}',
    operationId: 'putHousehold',
    summary: 'Register or update a household in your jurisdiction',
    tag: 'households',
    auth: 'bearer',
    params: HouseholdIdParam,
    query: PutHouseholdQuery,
    body: PutHouseholdBody,
    success: {
      status: 200,
      description:
        'updated (201 when registered); 202 when the change waits for a second person (category, member removed, left or died, payout account, village)',
    },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/households/{householdId}/changes/{changeId}/{decision}',
    operationId: 'decideHouseholdChange',
    summary: 'Approve or reject a pending household change (never the person who asked for it)',
    tag: 'households',
    auth: 'bearer',
    params: HouseholdChangeParam,
    body: HouseholdDecisionBody,
    success: { status: 200, description: 'applied or rejected (a repeated decision answers with the first)' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/claims',
    operationId: 'fileClaim',
    summary: 'File a claim; starts its workflow',
    tag: 'claims',
    auth: 'bearer',
    body: FileClaimBody,
    success: { status: 202, description: 'filed; Location names the claim' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'UNPROCESSABLE', 'DEPENDENCY_UNAVAILABLE'],
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'the same key and body return the first result; the same key with another body is 422',
      },
    ],
  },
  {
    method: 'get',
    path: '/claims',
    operationId: 'listClaims',
    summary: 'List claims in your jurisdiction, newest first, with filters and a cursor',
    tag: 'claims',
    auth: 'bearer',
    query: ListClaimsQuery,
    success: { status: 200, description: '{ items, nextCursor }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/claims/preview',
    operationId: 'previewClaim',
    summary: 'The payout a claim would get, with its explanation (writes nothing)',
    tag: 'claims',
    auth: 'bearer',
    body: PreviewClaimBody,
    success: { status: 200, description: 'eligibility and calculation' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/claims/{claimNo}',
    operationId: 'getClaim',
    summary: 'A claim from the read model with its timeline (audit events); include=live adds the workflow state',
    tag: 'claims',
    auth: 'bearer',
    params: ClaimNoParam,
    query: GetClaimQuery,
    success: {
      status: 200,
      description:
        '{ claim, timeline, live? }; while the workflow service is away, include=live answers from the read model with possiblyStale { reason, zh, en } instead of live',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'DEPENDENCY_UNAVAILABLE'],
  },
  ...actionOperations(
    '/claims/{claimNo}/actions',
    'claimAction',
    'claim actions',
    ActionBodies,
    (action) => `Action '${action}' on a claim (validated by the claim's workflow: 409 names the current stage)`,
  ),
  {
    method: 'post',
    path: '/claims/{claimNo}/appeal',
    operationId: 'appealClaim',
    summary: 'Appeal a rejected claim: a new review round linked to it',
    tag: 'claims',
    auth: 'bearer',
    params: ClaimNoParam,
    body: AppealBody,
    success: { status: 202, description: 'the new claim' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE'],
  },
  {
    method: 'get',
    path: '/exports/claims',
    operationId: 'exportClaims',
    summary:
      'The claim list as .xlsx (the filters of GET /claims, no paging): Chinese headers, money in yuan with two decimals, times in Beijing time; at most 100,000 rows',
    tag: 'claims',
    auth: 'bearer',
    query: ExportClaimsQuery,
    success: {
      status: 200,
      description: 'the workbook',
      mediaTypes: [XLSX_MEDIA_TYPE],
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/exports/payouts',
    operationId: 'exportPayouts',
    summary:
      'Payouts settled (confirmed or bounced) in a period of Beijing days, as .xlsx: one row per bank result with the claim, line, insurer, amount in yuan, card tail and bank reference, and a sheet of totals by line and insurer; payees named in full for county staff only (张*明 for others)',
    tag: 'claims',
    auth: 'bearer',
    query: ExportPayoutsQuery,
    success: { status: 200, description: 'the workbook', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/exports/roster',
    operationId: 'exportRoster',
    summary:
      "The jurisdiction's households as .xlsx in the roster import template's layout (one row per member, the year's enrollments, default this year); resident IDs, card and phone numbers masked to their last 4; edited and imported back, a masked number keeps its stored value",
    tag: 'households',
    auth: 'bearer',
    query: ExportRosterQuery,
    success: { status: 200, description: 'the workbook', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/exports/exposure',
    operationId: 'exportExposure',
    summary:
      "Each household's exposure ledger in the jurisdiction as .xlsx: per policy year, line, insurer and cap, the limit, what claims hold, what was paid and what remains (yuan)",
    tag: 'households',
    auth: 'bearer',
    query: ExportExposureQuery,
    success: { status: 200, description: 'the workbook', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/ops/late/export',
    operationId: 'exportLateClaims',
    summary: 'The ops late list as .xlsx: who must act, since and due when (Beijing time), how late',
    tag: 'ops',
    auth: 'bearer',
    query: OpsLateExportQuery,
    success: {
      status: 200,
      description: 'the workbook',
      mediaTypes: [XLSX_MEDIA_TYPE],
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/notices/{village}',
    operationId: 'villageNotice',
    summary:
      "公示名单: a village's claims under public notice by round — masked names, relation, line, the event in plain words, proposed amount — with the issuer and how to object (never an ID, phone, account or health detail)",
    tag: 'claims',
    auth: 'bearer',
    params: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: {
      status: 200,
      description:
        '{ village, issuer, villageContact, objectionLine, howToObject, issuedOn, rounds: [{ roundId, startedOn, endsOn, entries }] }',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/notices/{village}/pdf',
    operationId: 'villageNoticePdf',
    summary: 'The same notice as an A4 PDF in Chinese, to print and pin up in the village',
    tag: 'claims',
    auth: 'bearer',
    params: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: { status: 200, description: 'the PDF', mediaTypes: ['application/pdf'] },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'DEPENDENCY_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/notices/{village}/monitoring',
    operationId: 'villageMonitoringNotice',
    summary:
      "防返贫监测评议公示: the village's monitoring appraisals under public notice, by notice round: each household's head (name masked), how many live in it and what the village proposes (include, with the category, or not; clear of risk or not), and how to object. No IDs, no findings",
    tag: 'monitoring',
    auth: 'bearer',
    params: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: { status: 200, description: '{ village, issuer, villageContact, objectionLine, howToObject, issuedOn, rounds }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/notices/{village}/monitoring/pdf',
    operationId: 'villageMonitoringNoticePdf',
    summary: 'The same notice as an A4 PDF in Chinese, to print and pin up in the village',
    tag: 'monitoring',
    auth: 'bearer',
    params: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: { status: 200, description: 'the PDF', mediaTypes: ['application/pdf'] },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'DEPENDENCY_UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/documents',
    operationId: 'uploadDocument',
    summary:
      'Upload a document file (its bytes as the body, up to 10 MB; PDF, JPEG, PNG, WebP or HEIC judged by the content). ' +
      'Answers its SHA-256, by which claims, supplied documents, objections and appeals list it; the same file twice is stored once (200).',
    tag: 'claims',
    auth: 'bearer',
    fileBody: { mediaTypes: ['application/octet-stream', ...DOCUMENT_MEDIA_TYPES], description: 'the file’s bytes' },
    success: { status: 201, description: '{ sha256, size, mediaType, uploadedAt }: stored' },
    alsoSuccess: { status: 200, description: '{ sha256, size, mediaType, uploadedAt }: the same file was stored already' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    method: 'get',
    path: '/imports/templates/roster',
    operationId: 'rosterTemplate',
    summary:
      'The household roster import template (.xlsx): instructions with an example, the 花名册 sheet (Chinese headers, required ones marked *, text-formatted number columns, drop-down lists of codes) and the 代码表 sheet',
    tag: 'households',
    auth: 'bearer',
    success: { status: 200, description: 'the template', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/imports/roster',
    operationId: 'importRoster',
    summary:
      'Import a household roster (.xlsx in the template, up to 30 MB and 100,000 rows, as the body). Answers at once with the job (202); every row is checked with the API’s rules, then the good households are registered or changed like PUT /households/{id} (changes needing approval wait for a second person). mode=all_or_nothing (default) imports nothing when any row is bad; valid_rows imports the good households. Re-importing a file changes nothing.',
    tag: 'households',
    auth: 'bearer',
    query: StartImportQuery,
    fileBody: { mediaTypes: ['application/octet-stream', XLSX_MEDIA_TYPE], description: 'the .xlsx file’s bytes' },
    success: { status: 202, description: 'the import job: { id, status, doneRows, totalRows, counts, links }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    method: 'get',
    path: '/imports/templates/claims',
    operationId: 'claimsTemplate',
    summary:
      'The claim batch import template (.xlsx): instructions with an example of each line, the 报案 sheet (household, member, line, event date, then each line’s loss columns; required ones marked *, drop-down lists) and the 代码表 sheet (lines, causes, the crop items in force, accident kinds, admission levels)',
    tag: 'claims',
    auth: 'bearer',
    success: { status: 200, description: 'the template', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/imports/claims',
    operationId: 'importClaims',
    summary:
      'Import a batch of claims (.xlsx in the template, one claim per row, up to 30 MB and 100,000 rows, as the body). Answers at once with the job (202); every row is read as the body of POST /claims and checked with its schema and the payout preview’s eligibility rules (a name, when given, must be the member’s), then the good rows are filed 4 at a time, each under its own key (household, member, line, event date): re-importing a file files nothing twice, a crash never files a row twice. mode=all_or_nothing (default) files nothing when any row is bad; valid_rows files the good rows. The report gives each row’s claim number, proposed payout and the documents to upload on the claim page.',
    tag: 'claims',
    auth: 'bearer',
    query: StartImportQuery,
    fileBody: { mediaTypes: ['application/octet-stream', XLSX_MEDIA_TYPE], description: 'the .xlsx file’s bytes' },
    success: { status: 202, description: 'the import job: { id, kind: claims, status, doneRows, totalRows, counts, links }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    method: 'get',
    path: '/imports',
    operationId: 'listImports',
    summary: 'The newest imports of my jurisdiction (status, progress, counts)',
    tag: 'households',
    auth: 'bearer',
    success: { status: 200, description: '{ items: import jobs }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/imports/{importId}',
    operationId: 'getImport',
    summary:
      'An import’s progress: status (queued, checking, importing, done, refused, failed), rows done of the total, counts per outcome, a whole-file problem in Chinese and English',
    tag: 'households',
    auth: 'bearer',
    params: ImportIdParam,
    success: { status: 200, description: 'the import job' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/imports/{importId}/report',
    operationId: 'importReport',
    summary:
      'A finished import’s report (.xlsx): each row’s outcome and the reason in Chinese (a roster: 新增, 已更新, 待审核, 未变更, 有误未导入, 未导入; a claim batch: 已报案, 此前已报案, 有误未报案, 未报案, with the claim number and proposed payout)',
    tag: 'households',
    auth: 'bearer',
    params: ImportIdParam,
    success: { status: 200, description: 'the report', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/referrals',
    operationId: 'listReferrals',
    summary:
      'Referrals for monitoring review (防返贫监测线索) of my jurisdiction, newest first: raised by the early-warning rules when a claim pays (a large payout, a heavy out-of-pocket medical cost, death or severe disability of a working-age member, a total loss, several claims in a short period), one open referral per household, each finding with its rule, figures and words in Chinese and English',
    tag: 'monitoring',
    auth: 'bearer',
    query: ReferralListQuery,
    success: { status: 200, description: '{ items: referrals }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/ops/referrals/late',
    operationId: 'lateReferrals',
    summary:
      'Ops: the open referrals of my jurisdiction past their deadline (15 days from the clue by default), the most overdue first, each with its stage, the party that must act (village, township, county) and how overdue; byParty counts them per party, open counts the open referrals',
    tag: 'ops',
    auth: 'bearer',
    query: ReferralListQuery,
    success: { status: 200, description: '{ asOf, open, byParty, items }' },
    errors: OPS_ERRORS,
  },
  {
    method: 'get',
    path: '/ops/feeds',
    operationId: 'listFeeds',
    summary:
      "Ops and county staff: the government data feeds this deployment reads (the medical-insurance bureau's settlements): the county's cursor, how many records were read and how many findings raised, when last read, and the feed workflow's status",
    tag: 'ops',
    auth: 'bearer',
    success: {
      status: 200,
      description: '{ items: [{ feed, countyCode, cursor, scanned, raised, lastScanAt, workflowId, workflow, scanIntervalMs }] }',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/ops/feeds/medical-settlements/scan',
    operationId: 'scanSettlementFeed',
    summary:
      'Ops and county staff: read the settlement feed now (instead of at its next interval); a large out-of-pocket stay of an enrolled member with no claim raises a referral (SETTLEMENT_WITHOUT_CLAIM)',
    tag: 'ops',
    auth: 'bearer',
    success: { status: 202, description: '{ workflowId, status: scanning }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'DEPENDENCY_UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/ops/partners',
    operationId: 'listPartners',
    summary:
      "Ops and the county's administrator: the partner registry (each insurer, the bank, the data service) with URL, sandbox URL and keys (id, state, who added or retired it, when it last verified a message); never a secret",
    tag: 'partner registry',
    auth: 'bearer',
    success: {
      status: 200,
      description:
        '{ items: [{ partnerId, kind, url, sandboxUrl, sandbox, keys: [{ keyId, state, addedAt, addedBy, retiredAt, retiredBy, lastUsedAt }], version, updatedAt }] }',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/ops/partners/{partnerId}',
    operationId: 'getPartner',
    summary: 'One partner of the registry, as in the list',
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    success: { status: 200, description: 'the partner' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'patch',
    path: '/ops/partners/{partnerId}',
    operationId: 'updatePartner',
    summary:
      "Set the partner's URL or its sandbox URL (null: no sandbox) on the version read (stale: 409 with currentVersion); audited; the API and the worker use it within PARTNER_REFRESH_INTERVAL, without a restart",
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    body: UpdatePartnerBody,
    success: { status: 200, description: 'the partner after the change' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/ops/partners/{partnerId}/keys',
    operationId: 'addPartnerKey',
    summary:
      "Add the partner's next key (at most two are active): made here unless given, answered this once (Cache-Control: no-store) to be handed to the partner out of band. From now on fangpin signs with both keys and accepts either",
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    body: AddPartnerKeyBody,
    success: { status: 201, description: '{ partner, key: { keyId, secret } }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/ops/partners/{partnerId}/keys/{keyId}/retire',
    operationId: 'retirePartnerKey',
    summary:
      "Retire one of the partner's two active keys. Refused (409 KEY_IN_USE, with lastUsedAt) while the key verified a message within two replay windows, unless force; the partner's last active key cannot be retired (422)",
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerKeyParam,
    body: RetirePartnerKeyBody,
    success: { status: 200, description: 'the partner after the change' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE'],
  },
  {
    method: 'get',
    path: '/ops/partners/{partnerId}/messages',
    operationId: 'listPartnerMessages',
    summary:
      'The signed messages the partner sent in the last hours, newest first, with the key that verified each (kept 30 days)',
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    query: PartnerMessagesQuery,
    success: { status: 200, description: '{ items: [{ partnerId, keyId, route, deliveryId, at }] }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/ops/partners/{partnerId}/history',
    operationId: 'getPartnerHistory',
    summary: "Every change to the partner's registry entry, newest first: who, when, why, which key, before and after",
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    success: { status: 200, description: '{ items: [{ at, action, by, byRole, reason, keyId, before, after }] }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/ops/partners/{partnerId}/sandbox/claims',
    operationId: 'createSandboxClaim',
    summary:
      "Ops and the county's administrator: a test claim for an insurer with a sandbox URL (numbered FP-<day>-000000-<n>, county 000000 naming no county): its package goes to the insurer's sandbox only, its decisions come back through the usual signed callback, a documents request starts a new round (documentsFirst asks for one), and its payout goes to a test card at the bank's sandbox, or is simulated when the bank has none. Never a real claim, payout or exposure",
    tag: 'partner registry',
    auth: 'bearer',
    params: PartnerIdParam,
    body: CreateSandboxClaimBody,
    success: { status: 202, description: '{ claimNo, insurerId, sandbox: true, label, links }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNPROCESSABLE'],
  },
  {
    method: 'get',
    path: '/ops/sandbox/claims',
    operationId: 'listSandboxClaims',
    summary:
      'The test claims of the last days, newest first, each marked sandbox: true with its label (测试案件（沙箱，不付款）)',
    tag: 'partner registry',
    auth: 'bearer',
    query: SandboxClaimsQuery,
    success: {
      status: 200,
      description:
        '{ items: [{ claimNo, insurerId, stage, status, round, proposedFen, approvedFen, payout, trail, sandbox, label }] }',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/ops/sandbox/claims/{claimNo}',
    operationId: 'getSandboxClaim',
    summary: 'One test claim: its stage, rounds, decisions, payout and trail',
    tag: 'partner registry',
    auth: 'bearer',
    params: SandboxClaimParam,
    success: { status: 200, description: 'the test claim' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/referrals',
    operationId: 'openReferral',
    summary:
      'Open a referral by hand: a clue for inclusion into monitoring (kind inclusion: 村级排查、农户申报; refused 422 ALREADY_MONITORED for a monitored household) or a proposal to clear a monitored household of risk (kind elimination, 风险消除; refused 422 NOT_MONITORED, or NO_LABOUR_CAPACITY when nobody in the household is recorded as able to work). 409 names the household’s open referral. The procedure starts at once; 202 with the referral id. Village, township and county staff.',
    tag: 'monitoring',
    auth: 'bearer',
    body: OpenReferralBody,
    success: { status: 202, description: '{ referralId, kind, householdId, divisionCode, status, links }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'UNPROCESSABLE'],
  },
  {
    method: 'get',
    path: '/referrals/{referralId}',
    operationId: 'getReferral',
    summary:
      'One referral: its household, status and findings (rule, claim, figures, when), and its monitoring procedure (the workflow state: stage, verification, data comparison, appraisal, notice, objections, township review, decision, 15-day deadline) or null before it starts',
    tag: 'monitoring',
    auth: 'bearer',
    params: ReferralIdParam,
    success: { status: 200, description: 'the referral with procedure' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  ...actionOperations(
    '/referrals/{referralId}/actions',
    'monitoringAction',
    'monitoring',
    MonitoringActionDocBodies,
    (action) =>
      `Monitoring step '${action}' (verify and appraise: village; object: village or township during the notice; review: township; decide: county; validated by the referral's workflow: 409 names the current step, 403 a role or the same person twice). An inclusion's appraisal and decision carry include (and the monitoring category), a risk elimination's carry eliminate; agreeing to eliminate is refused (422, reason NO_LABOUR_CAPACITY or NOT_MONITORED) for a household nobody in which can work`,
    { params: ReferralIdParam, after: 'the procedure after the step' },
  ),
  {
    method: 'post',
    path: '/disasters',
    operationId: 'declareDisaster',
    summary:
      'Declare a disaster event (灾情): type, name, date, the affected villages (inside my jurisdiction), the lines concerned (crop, property). Township and county staff.',
    tag: 'disasters',
    auth: 'bearer',
    body: DeclareDisasterSchema,
    success: { status: 201, description: 'the event, with its id DZ-<date>-<hex>' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/disasters',
    operationId: 'listDisasters',
    summary: 'The newest disaster events declared in my jurisdiction or touching my village',
    tag: 'disasters',
    auth: 'bearer',
    success: { status: 200, description: '{ items: events }' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/disasters/{eventId}',
    operationId: 'disasterProgress',
    summary:
      "An event's progress inside my jurisdiction: its entered losses (waiting, filed with the claim's stage and amounts, refused with the reasons) and the counts waiting, filed, held, rejected, paid",
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    query: z.strictObject({
      village: z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
    }),
    success: { status: 200, description: '{ event, counts, entries }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/disasters/{eventId}/households',
    operationId: 'disasterHouseholds',
    summary:
      "An affected village's households enrolled in the event's lines (on the event's date), with what was entered for each",
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    query: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: { status: 200, description: '{ event, village, households }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/disasters/{eventId}/losses',
    operationId: 'enterDisasterLosses',
    summary:
      'Enter households’ losses in the event (up to 5,000): each checked with the claim rules (household in an affected village and my jurisdiction, line of the event, enrolled on the date, reported in time); an entry again replaces the waiting one, never a filed one',
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    body: EnterLossesSchema,
    success: {
      status: 200,
      description: '{ counts: { entered, replaced, settled, refused }, results: per entry, with reasons }',
    },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/disasters/{eventId}/sheet',
    operationId: 'disasterLossSheet',
    summary:
      "An affected village's loss sheet (.xlsx, 损失登记表): its enrolled households not yet filed, one row per line, the loss columns to fill",
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    query: z.strictObject({ village: z.string().regex(/^\d{12}$/) }),
    success: { status: 200, description: 'the sheet', mediaTypes: [XLSX_MEDIA_TYPE] },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/disasters/{eventId}/sheet',
    operationId: 'uploadDisasterLossSheet',
    summary:
      'The filled loss sheet (.xlsx as the body, ≤ 5 MB): each row with a loss entered like POST /disasters/{id}/losses; every row answered with its number (entered, replaced, settled, refused with the reasons); rows left empty are skipped',
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    fileBody: { mediaTypes: ['application/octet-stream', XLSX_MEDIA_TYPE], description: 'the filled sheet' },
    success: { status: 200, description: '{ counts, results: per row }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    method: 'post',
    path: '/disasters/{eventId}/file',
    operationId: 'fileDisasterLosses',
    summary:
      'File the waiting losses of my jurisdiction as ordinary claims, a batch job (4 at a time, each under its own key: a crash never files one twice); answers the job (202), followed at GET /imports/{id}',
    tag: 'disasters',
    auth: 'bearer',
    params: z.strictObject({ eventId: DisasterIdSchema }),
    success: { status: 202, description: 'the batch job' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/claims/{claimNo}/documents/{sha256}',
    operationId: 'claimDocument',
    summary: "A file a claim lists (or an objection's evidence), to the claim's jurisdiction only",
    tag: 'claims',
    auth: 'bearer',
    params: z.strictObject({ claimNo: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    success: { status: 200, description: 'the file, with its type found at upload', mediaTypes: DOCUMENT_MEDIA_TYPES },
    errors: ['UNAUTHENTICATED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/partners/insurers/{insurerId}/decisions',
    operationId: 'insurerDecision',
    summary: "An insurer's signed decision (docs/partner-protocol.md)",
    tag: 'partners',
    auth: 'partner',
    params: z.strictObject({ insurerId: z.string() }),
    body: InsurerDecisionSchema,
    success: { status: 200, description: '{ outcome: applied | duplicate | stale, stage }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/partners/insurers/{insurerId}/claims/query',
    operationId: 'insurerClaims',
    summary: "An insurer pulls the claims assigned to it (signed; never another insurer's)",
    tag: 'partners',
    auth: 'partner',
    params: z.strictObject({ insurerId: z.string() }),
    body: InsurerClaimsQuery,
    success: { status: 200, description: '{ items, nextCursor }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED'],
  },
  {
    method: 'post',
    path: '/partners/bank/payouts',
    operationId: 'payoutResult',
    summary: "The bank's signed payout result",
    tag: 'partners',
    auth: 'partner',
    body: PayoutResultSchema,
    success: { status: 200, description: '{ outcome, stage }' },
    errors: ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'NOT_FOUND'],
  },
];

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(ErrorCodes) },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    fieldErrors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

function parameters(op: Operation): object[] {
  const fromObject = (schema: z.ZodObject | undefined, where: 'path' | 'query') =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      schema: jsonSchema(field as z.ZodType),
    }));
  return [
    ...fromObject(op.params, 'path'),
    ...fromObject(op.query, 'query'),
    ...(op.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      schema: { type: 'string' },
    })),
  ];
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {
      [String(op.success.status)]: {
        description: op.success.description,
        ...(op.success.mediaTypes
          ? {
              content: Object.fromEntries(
                op.success.mediaTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
              ),
            }
          : {}),
      },
      ...(op.alsoSuccess ? { [String(op.alsoSuccess.status)]: { description: op.alsoSuccess.description } } : {}),
    };
    // path, query and body parameters are validated, so every operation that takes one can answer 400 field by field;
    // a JSON body can also be over the size limit (413) or not JSON at all (415), before any route reads it
    const takesInput = op.params !== undefined || op.query !== undefined || op.body !== undefined || op.fileBody !== undefined;
    const always: (keyof typeof ErrorCodes)[] = [
      ...(takesInput ? ['VALIDATION_FAILED' as const] : []),
      ...(op.body ? ['PAYLOAD_TOO_LARGE' as const, 'UNSUPPORTED_MEDIA_TYPE' as const] : []),
    ];
    const errors = [...always.filter((code) => !op.errors.includes(code)), ...op.errors];
    for (const code of errors) {
      responses[String(ErrorCodes[code].status)] = {
        description: `${ErrorCodes[code].title.en} · ${ErrorCodes[code].title.zh}`,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      security:
        op.auth === 'bearer'
          ? [{ staffBearer: [] }, { staffCookie: [] }]
          : op.auth === 'partner'
            ? [{ partnerSignature: [] }]
            : [],
      ...(parameters(op).length ? { parameters: parameters(op) } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      ...(op.fileBody
        ? {
            requestBody: {
              required: true,
              description: op.fileBody.description,
              content: Object.fromEntries(
                op.fileBody.mediaTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'fangpin 防贫保理赔 API',
      version: '0.1.0',
      description: 'Claims service for poverty-prevention insurance. Amounts are integer fen; dates YYYY-MM-DD (Asia/Shanghai).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        staffBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Staff token: sub, role, jurisdiction (division-code prefix)',
        },
        staffCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'fangpin_session',
          description: 'The browser session set by POST /session; writes also need the X-CSRF-Token header',
        },
        partnerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Fangpin-Signature',
          description: 'HMAC-SHA256 over timestamp + "." + raw body; see docs/partner-protocol.md',
        },
      },
    },
  };
}
