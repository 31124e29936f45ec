import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { PROBLEMS, type FieldError, type ProblemCode } from '@mechanic-shop/core';

/** An RFC 9457 problem details object, with our stable `code` and the bad fields of a validation error. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  request_id?: string;
}

/** Each problem type's `type` URI; `GET /problems/{code}` describes it. */
export const problemType = (code: ProblemCode) => `/problems/${code}`;

export function problem(code: ProblemCode, detail?: string, extra: Pick<ProblemBody, 'errors' | 'request_id'> = {}): ProblemBody {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, detail: detail ?? title, code, ...extra };
}

/** A problem answer. Bodies go out as bytes: Fastify would add `; charset=utf-8` to the type of a string (JSON is UTF-8 by definition, RFC 8259). */
export function sendProblem(reply: FastifyReply, body: ProblemBody, headers: Record<string, string> = {}): FastifyReply {
  return reply
    .code(body.status)
    .headers({ ...headers, 'content-type': 'application/problem+json', 'cache-control': 'no-store' })
    .send(Buffer.from(JSON.stringify(body)));
}

/** A whole HTTP response carrying a problem, for a socket that has no `ServerResponse`; it closes the connection. */
export function problemResponseText(body: ProblemBody): string {
  const payload = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(payload)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    payload,
  ].join('\r\n');
}

/** The problem of an error that only knows its HTTP status. */
export function problemCodeForStatus(status: number): ProblemCode {
  const byStatus: Record<number, ProblemCode> = {
    400: 'validation_failed',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'service_unavailable',
  };
  return byStatus[status] ?? 'internal_error';
}
