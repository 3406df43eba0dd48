// The one way the web app talks to the API: same-origin fetch with the session cookie, the
// CSRF token on every write, and problem+json errors turned into ApiError. File uploads (the
// file as the raw body) go through upload(), over XMLHttpRequest when progress is wanted.
import type { z } from 'zod';
import type { Problem } from '../../../contract/index.js';

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** From Retry-After on 429 answers. */
  readonly retryAfterSeconds: number | undefined;
  /** The problem's extension members (such as `matches` of possible_duplicate). */
  readonly extensions: Record<string, unknown>;

  constructor(problem: Problem, retryAfterSeconds?: number, extensions: Record<string, unknown> = {}) {
    super(problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.extensions = extensions;
  }

  /** Messages keyed by field ("email", "businessHours.mon.0"), for showing beside inputs. */
  get fieldErrors(): FieldErrors {
    const out: FieldErrors = {};
    for (const e of this.problem.errors ?? []) if (!(e.field in out)) out[e.field] = e.message;
    if (this.problem.field && !(this.problem.field in out)) out[this.problem.field] = this.problem.detail;
    return out;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request (other than sign-in and the session probe) answers 401. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export type RequestOptions = {
  body?: unknown;
  query?: Query;
  /** Do not redirect to the sign-in page on 401 (sign-in itself, the session probe). */
  allow401?: boolean;
};

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'field', 'errors']);

/** What the error handling reads of an answer: a fetch Response, or an XMLHttpRequest's through xhrAnswer. */
type Answer = { ok: boolean; status: number; statusText: string; headers: { get(name: string): string | null }; text(): Promise<string> };

const xhrAnswer = (xhr: XMLHttpRequest): Answer => ({
  ok: xhr.status >= 200 && xhr.status < 300,
  status: xhr.status,
  statusText: xhr.statusText,
  headers: { get: (name) => xhr.getResponseHeader(name) },
  text: () => Promise.resolve(xhr.responseText),
});

const networkError = () =>
  new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network', detail: 'Could not reach the server. Check your connection and try again.' });

async function toProblem(res: Answer): Promise<{ problem: Problem; extensions: Record<string, unknown> }> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = JSON.parse(await res.text()) as Partial<Problem> & Record<string, unknown>;
      if (typeof body.detail === 'string') {
        const extensions = Object.fromEntries(Object.entries(body).filter(([k]) => !PROBLEM_MEMBERS.has(k)));
        return {
          problem: { type: body.type ?? 'about:blank', title: body.title ?? res.statusText, status: res.status, code: body.code ?? 'unknown', detail: body.detail, ...(body.field ? { field: body.field } : {}), ...(body.errors ? { errors: body.errors } : {}) },
          extensions,
        };
      }
    } catch {
      // fall through to the generic problem below
    }
  }
  return { problem: { type: 'about:blank', title: res.statusText, status: res.status, code: 'http_error', detail: `The server answered ${res.status} ${res.statusText}`.trim() }, extensions: {} };
}

/** The parsed JSON body of a successful answer; otherwise throws its problem as ApiError (and reports a 401). */
async function settle<T>(res: Answer, allow401 = false): Promise<T> {
  if (!res.ok) {
    const { problem, extensions } = await toProblem(res);
    if (res.status === 401 && !allow401) onUnauthenticated?.();
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, extensions);
  }
  if (res.status === 204 || res.status === 202 || res.headers.get('content-length') === '0') return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** accept, the body's type if there is one, and the CSRF token on writes. */
function headersFor(method: string, contentType: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

/** fetch with the session cookie; a failure to reach the server becomes ApiError. */
async function send(url: string, init: { method: string; headers: Record<string, string>; body?: BodyInit }): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await send(withQuery(path, opts.query), { method, headers: headersFor(method, body === undefined ? undefined : 'application/json'), body });
  return settle<T>(res, opts.allow401);
}

export type UploadOptions = {
  /** POST unless given. */
  method?: 'POST' | 'PUT';
  /** The body's type, else the file's own type, else application/octet-stream. */
  contentType?: string;
  query?: Query;
  /** Bytes sent so far and in all; when given, the upload goes over XMLHttpRequest for its progress events. */
  onProgress?: (done: number, total: number) => void;
};

/** Sends a file as the raw request body; answers and fails like request(). */
export async function upload<T>(path: string, body: Blob, opts: UploadOptions = {}): Promise<T> {
  const method = opts.method ?? 'POST';
  const url = withQuery(path, opts.query);
  const headers = headersFor(method, opts.contentType || body.type || 'application/octet-stream');
  const { onProgress } = opts;
  if (!onProgress) return settle<T>(await send(url, { method, headers, body }));
  const res = await new Promise<Answer>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onload = () => resolve(xhrAnswer(xhr));
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(networkError());
    xhr.send(body);
  });
  return settle<T>(res);
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * Checks a form's values against the contract schema before sending, so the same rules
 * and the same field-error display apply whether the browser or the server finds the problem.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
  throw new ApiError({
    type: 'about:blank',
    title: 'The form has errors',
    status: 400,
    code: 'validation_failed',
    detail: errors.length === 1 ? 'One field needs attention.' : `${errors.length} fields need attention.`,
    field: errors[0]!.field,
    errors,
  });
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
