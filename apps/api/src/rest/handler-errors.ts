import { describeFieldErrors, type ErrorData, type ProblemCode } from '@mechanic-shop/core';
import { problem, problemCodeForStatus, problemType, type ProblemBody } from '../http/problem.ts';

interface HandlerErrorBody {
  message?: string;
  code?: string;
  data?: Partial<ErrorData>;
}

/**
 * Turns the handler's error body into problem details. Our error formatter put
 * the problem code and the bad fields in `data`; errors raised before a context
 * existed still carry tRPC's code.
 */
export function toProblem(status: number, raw: string | undefined, requestId: string): ProblemBody {
  let parsed: HandlerErrorBody = {};
  try {
    parsed = raw ? (JSON.parse(raw) as HandlerErrorBody) : {};
  } catch {
    // Not JSON: fall through to a generic problem for the status.
  }
  const code: ProblemCode =
    parsed.data?.reason ?? (status === 400 && parsed.code === 'PARSE_ERROR' ? 'malformed_json' : problemCodeForStatus(status));
  // trpc-to-openapi words every validation error "Input validation failed": name the fields instead.
  const fields = parsed.data?.fields;
  const detail = fields ? describeFieldErrors(fields) : status >= 500 && !parsed.data?.reason ? undefined : parsed.message;
  const body = problem(code, detail, {
    ...(parsed.data?.fields ? { errors: parsed.data.fields } : {}),
    request_id: parsed.data?.requestId ?? requestId,
  });
  // The error's details are extension members of the problem (RFC 9457 §3.2), never in place of the standard ones.
  // Our own problems keep their status: tRPC has no 410, which its handler answers as a 404.
  return { ...parsed.data?.details, ...body, status: parsed.data?.reason ? body.status : status, type: problemType(code) };
}
