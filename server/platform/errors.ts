// Typed domain errors with stable codes. One exhaustive table maps every code to an HTTP
// status and a title; the HTTP layer turns them into application/problem+json (RFC 9457).

const ERRORS = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  invalid_credentials: { status: 401, title: 'Email or password is incorrect' },
  session_expired: { status: 401, title: 'Your session has expired; sign in again' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token' },
  forbidden: { status: 403, title: 'You do not have permission to do this' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  possible_duplicate: { status: 409, title: 'This looks like someone already on record' },
  transition_forbidden: { status: 409, title: 'The workflow does not allow this status change' },
  resolution_required: { status: 422, title: 'Resolving a case needs a resolution code and a summary' },
  cannot_contact: { status: 422, title: 'This person cannot be contacted this way' },
  privacy_release_required: { status: 409, title: "The constituent's privacy release is needed first" },
  gone: { status: 410, title: 'No longer available' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  idempotency_mismatch: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  login_throttled: { status: 429, title: 'Too many failed sign-in attempts; try again later' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type FieldIssue = { field: string; message: string };

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly issues: FieldIssue[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    opts: { message?: string; field?: string; issues?: FieldIssue[]; extra?: Record<string, unknown> } = {},
  ) {
    super(opts.message ?? ERRORS[code].title);
    this.name = 'DomainError';
    this.code = code;
    this.field = opts.field;
    this.issues = opts.issues ?? (opts.field ? [{ field: opts.field, message: opts.message ?? ERRORS[code].title }] : undefined);
    this.extra = opts.extra;
  }
}

export function errorStatus(code: ErrorCode): number {
  return ERRORS[code].status;
}

export function errorTitle(code: ErrorCode): string {
  return ERRORS[code].title;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  field?: string;
  errors?: FieldIssue[];
  [key: string]: unknown;
};

export function toProblem(err: DomainError, instance?: string): Problem {
  return {
    type: `https://civitas.dev/problems/${err.code.replace(/_/g, '-')}`,
    title: errorTitle(err.code),
    status: errorStatus(err.code),
    code: err.code,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.field ? { field: err.field } : {}),
    ...(err.issues ? { errors: err.issues } : {}),
    ...err.extra,
  };
}

/** PostgreSQL error codes that mean the client sent something the schema refuses. */
export function fromPgError(err: unknown): DomainError | undefined {
  const e = err as { code?: string; constraint?: string; detail?: string };
  if (typeof e?.code !== 'string') return undefined;
  if (e.code === '23505') return new DomainError('conflict', { message: `Already exists${e.constraint ? ` (${e.constraint})` : ''}` });
  if (e.code === '23503') return new DomainError('validation_failed', { message: 'A referenced record does not exist' });
  if (e.code === '23514') return new DomainError('validation_failed', { message: `A value is out of range${e.constraint ? ` (${e.constraint})` : ''}` });
  if (e.code === '22021' || e.code === '22P05') return new DomainError('validation_failed', { message: 'Text must not contain NUL characters or invalid encodings' });
  if (e.code === '22P02' || e.code === '22007' || e.code === '22008') return new DomainError('validation_failed', { message: 'A value has the wrong format' });
  return undefined;
}
