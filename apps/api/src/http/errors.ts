import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemCode } from '@mechanic-shop/core';
import type { Logger } from '../logger.ts';
import type { RouteTable } from '../rest/routes.ts';
import type { StartupGate } from '../startup.ts';
import { problem, problemCodeForStatus, problemResponseText, sendProblem, type ProblemBody } from './problem.ts';

/** An error that already knows its problem details (a body our JSON parser refused, say). */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail);
  }
}

export interface ErrorAnswersOptions {
  log: Logger;
  routes: RouteTable;
  gate: StartupGate | undefined;
  maxBodyBytes: number;
}

/**
 * Every error answer is RFC 9457 problem details, from one place: Fastify's
 * error handler (its own refusals by code, our ProblemErrors, anything
 * unexpected as a logged 500) and its not-found handler (404, or 405 with
 * `Allow` on a path that takes other methods).
 */
export function answerErrorsAsProblems(app: FastifyInstance, options: ErrorAnswersOptions): void {
  app.setNotFoundHandler((request, reply) => answerNotFound(request, reply, options));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, { ...error.problem, request_id: request.id });
    const known = fastifyProblem(error, request, options.maxBodyBytes);
    if (known) return sendProblem(reply, { ...known, request_id: request.id }, known.status === 413 ? { connection: 'close' } : {});
    options.log.error({ request_id: request.id, err: error }, 'request handler failed');
    return sendProblem(reply, problem('internal_error', undefined, { request_id: request.id }));
  });
}

/**
 * Fastify's `frameworkErrors`: a path it cannot route, such as one with a bad
 * percent-encoding (`/customers/%ZZ`), refused before any hook ran.
 */
export function answerUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail = error.code === 'FST_ERR_BAD_URL' ? 'Percent-encode the path as RFC 3986 says' : error.message;
  sendProblem(reply.header('x-request-id', request.id), problem('malformed_request', detail, { request_id: request.id }));
}

/** 503 while starting; then 405 with `Allow` for a path that takes other methods, else 404. */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply, { routes, gate }: ErrorAnswersOptions): FastifyReply {
  if (gate?.waitingFor) return answerStarting(reply, request.id, gate.waitingFor);
  const { pathname } = request.door.url;
  // HEAD is served as GET: its answer names GET.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const allowed = routes.methodsFor(pathname);
  if (allowed.length === 0) {
    return sendProblem(reply, problem('route_not_found', `No route ${method} ${pathname}; see /docs`, { request_id: request.id }));
  }
  const detail = `${method} is not allowed on ${pathname}; use ${allowed.join(', ')}`;
  return sendProblem(reply, problem('method_not_allowed', detail, { request_id: request.id }), { allow: allowed.join(', ') });
}

/** Until the startup gate opens, API calls get 503 (the database is being migrated or is unreachable). */
export function answerStarting(reply: FastifyReply, requestId: string, waitingFor: string): FastifyReply {
  const detail = `The API is starting: waiting for ${waitingFor}`;
  return sendProblem(reply, problem('service_unavailable', detail, { request_id: requestId }), { 'retry-after': '2' });
}

/** Fastify's refusals of a body, as our problems. */
function fastifyProblem(error: FastifyError, request: FastifyRequest, maxBodyBytes: number): ProblemBody | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      return problem('unsupported_media_type', `Send the body as application/json (got ${type ? `"${type}"` : 'no Content-Type'})`);
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload_too_large', `The body may be at most ${maxBodyBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('malformed_request', 'The body is not as long as its Content-Length says');
  }
  const status = error.statusCode ?? 500;
  return status < 500 ? { ...problem(problemCodeForStatus(status), error.message), status } : undefined;
}

/**
 * Fastify's `clientErrorHandler`, for requests Node's HTTP parser refuses before
 * any route sees them: a request line or headers over its size limit (a long path
 * parameter or query string), malformed HTTP, a request that took too long to
 * arrive. Answered with problem details, as Node would answer: only when nothing
 * of a response was written on the connection yet (`responses` holds the one each
 * connection is on), so that a parse error never cuts into one under way.
 */
export function clientErrorAnswer(responses: WeakMap<Duplex, ServerResponse>) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    const current = responses.get(socket);
    if (socket.writable && !(current?.headersSent && !current.writableFinished)) {
      socket.end(problemResponseText(problem(CLIENT_ERROR_PROBLEMS[error.code ?? ''] ?? 'malformed_request')));
      // Not destroyed at once, which could reset the connection before the client read the answer (the
      // rest of its request is unread); but a client that never closes its side does not keep it open.
      setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
    } else {
      socket.destroy();
    }
  };
}

const CLIENT_ERROR_LINGER_MS = 5_000;

/** Node's HTTP parser errors by code (the rest are malformed requests), as Node's default answers classify them. */
const CLIENT_ERROR_PROBLEMS: Record<string, ProblemCode> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'payload_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};
