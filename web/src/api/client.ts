// The one way the web app talks to the API: same-origin fetch with the session cookie, the
// CSRF token on every write, and problem+json errors turned into ApiError.
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

async function toProblem(res: Response): Promise<{ problem: Problem; extensions: Record<string, unknown> }> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem> & Record<string, unknown>;
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

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network', detail: 'Could not reach the server. Check your connection and try again.' });
  }
  if (!res.ok) {
    const { problem, extensions } = await toProblem(res);
    if (res.status === 401 && !opts.allow401) onUnauthenticated?.();
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, extensions);
  }
  if (res.status === 204 || res.status === 202 || res.headers.get('content-length') === '0') return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
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
