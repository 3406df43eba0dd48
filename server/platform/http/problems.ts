// The single error handler: every failure leaves as application/problem+json with a stable
// code. Unknown errors are logged with the request id and answered with a generic 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type FieldIssue, fromPgError, toProblem } from '../errors.js';

export function sendProblem(reply: FastifyReply, err: DomainError): FastifyReply {
  const problem = toProblem(err, reply.request.url.split('?')[0]);
  if (err.code === 'rate_limited' || err.code === 'login_throttled') {
    const retry = err.extra?.retryAfterSeconds;
    if (typeof retry === 'number') reply.header('retry-after', String(Math.ceil(retry)));
  }
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

function fieldOf(context: string | undefined, path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+/g, '.');
  if (context === 'body') return trimmed || 'body';
  return trimmed ? trimmed : context ?? 'request';
}

export function toDomainError(err: unknown, req: FastifyRequest): DomainError {
  if (err instanceof DomainError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    const issues: FieldIssue[] = err.validation.map((v) => {
      // fastify-type-provider-zod puts the zod issue code in `keyword` and its other
      // properties (such as the unknown `keys`) in `params`.
      const keys = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: string[] } | undefined)?.keys : undefined;
      return {
        field: keys?.length ? fieldOf(context, `${v.instancePath}/${keys[0]}`) : fieldOf(context, v.instancePath),
        message: keys?.length ? `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}` : v.message ?? 'is not valid',
      };
    });
    const first = issues[0];
    return new DomainError('validation_failed', {
      message: first ? `${first.field}: ${first.message}` : 'The request is not valid',
      ...(first ? { field: first.field } : {}),
      issues,
    });
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('invalid_json', { message: fe.message });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('payload_too_large', { message: `The request body is larger than the limit of ${req.routeOptions.bodyLimit ?? 'the server'} bytes` });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError('unsupported_media_type', { message: fe.message });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_BAD_URL':
      return new DomainError('validation_failed', { message: fe.message });
    case 'FST_ERR_VALIDATION':
      return new DomainError('validation_failed', { message: fe.message });
    default:
      break;
  }
  if (fe instanceof SyntaxError || fe.statusCode === 400) return new DomainError('validation_failed', { message: fe.message });
  if (fe.statusCode === 429) return new DomainError('rate_limited', { message: fe.message });
  if (fe.statusCode === 413) return new DomainError('payload_too_large', { message: fe.message });
  if (fe.statusCode === 415) return new DomainError('unsupported_media_type', { message: fe.message });
  const pgError = fromPgError(err);
  if (pgError) return pgError;
  if (isResponseSerializationError(err)) req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
  else req.log.error({ err }, 'unhandled error');
  return new DomainError('internal', { message: `Something went wrong on our side. Quote request id ${req.id} when reporting it.` });
}
