/**
 * The workbench's client of the public API (the only way it reaches data: every rule stays server-side). The
 * session is the HttpOnly cookie sign-in set; writes carry the CSRF token from the readable cookie; every refusal is
 * the API's problem+json, in the page's language, with its field errors.
 */
import { lang } from './i18n';

export interface FieldError {
  path: string;
  message: string;
  zh?: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly fieldErrors: FieldError[],
  ) {
    super(message);
  }
}

const csrfToken = () => decodeURIComponent(document.cookie.match(/(?:^|;\s*)fangpin_csrf=([^;]+)/)?.[1] ?? '');

interface Problem {
  detail?: string;
  code?: string;
  fieldErrors?: FieldError[];
}

async function send<T>(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<T> {
  const write = init.method !== undefined && init.method !== 'GET';
  const response = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: {
      'accept-language': lang.value === 'zh' ? 'zh-CN' : 'en',
      ...(write ? { 'x-csrf-token': csrfToken() } : {}),
      ...init.headers,
    },
  });
  const text = response.status === 204 ? '' : await response.text();
  const body: unknown = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const problem = body as Problem;
    const fields = problem.fieldErrors ?? [];
    const message = [
      problem.detail,
      fields.map((f) => `${f.path}：${lang.value === 'zh' ? (f.zh ?? f.message) : f.message}`).join('；'),
    ]
      .filter(Boolean)
      .join(' ');
    throw new ApiError(message || response.statusText, response.status, problem.code, fields);
  }
  return body as T;
}

export const get = <T>(path: string): Promise<T> => send<T>(path, { method: 'GET' });

export const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> =>
  send<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

export const put = <T>(path: string, body: unknown): Promise<T> =>
  send<T>(path, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

export const patch = <T>(path: string, body: unknown): Promise<T> =>
  send<T>(path, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

export const remove = <T>(path: string): Promise<T> => send<T>(path, { method: 'DELETE' });

export interface StoredDocument {
  sha256: string;
  size: number;
  mediaType: string;
}

/** Uploads a file's bytes (POST /documents); the API finds its type from the content and answers with its SHA-256. */
export const uploadFile = (file: File): Promise<StoredDocument> =>
  send<StoredDocument>('/documents', {
    method: 'POST',
    body: file,
    headers: { 'content-type': file.type || 'application/octet-stream' },
  });

/** An Excel import job as the API answers it. */
/** What an upload imports: a household roster, or a batch of claims. */
export type ImportKind = 'roster' | 'claims';

export interface ImportJob {
  id: string;
  kind: ImportKind | 'disaster_claims';
  mode: 'all_or_nothing' | 'valid_rows';
  status: 'queued' | 'checking' | 'importing' | 'done' | 'refused' | 'failed';
  fileName: string;
  totalRows: number | null;
  doneRows: number;
  counts: Partial<Record<string, number>>;
  problem: { zh: string; en: string } | null;
  createdAt: string;
  finishedAt: string | null;
  by: { userId: string; name?: string };
  links: { self: string; report?: string };
}

/** Sends a roster .xlsx to be imported; answers the job at once (its progress is polled). */
export const startImport = (kind: ImportKind, file: File, mode: ImportJob['mode']): Promise<ImportJob> =>
  send<ImportJob>(`/imports/${kind}?mode=${mode}&fileName=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    body: file,
    headers: { 'content-type': 'application/octet-stream' },
  });

/** Sends a filled .xlsx to a path that reads it (a disaster event's loss sheet). */
export const uploadSheet = <T>(path: string, file: File): Promise<T> =>
  send<T>(path, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });

/** The message to show for any failure. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
