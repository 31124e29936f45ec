import { STATUS_CODES, type ServerResponse } from 'node:http';
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

export function sendProblem(res: ServerResponse, body: ProblemBody, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(body.status, {
    ...headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
  });
  res.end(payload);
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
