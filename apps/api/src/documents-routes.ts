import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import {
  AppError,
  appRouter,
  describeFieldErrors,
  documentCaller,
  documentRouter,
  type PdfFile,
  type RequestContext,
} from '@mechanic-shop/core';
import { ProblemError } from './http/errors.ts';
import { toProblem } from './rest/handler-errors.ts';
import { restRoutesOf, type RestRoute } from './rest/routes.ts';

/** The REST routes that answer a PDF (core's documentRouter): served here, not by the REST door, which answers JSON. */
export const DOCUMENT_ROUTES: RestRoute[] = restRoutesOf(documentRouter);

/** Every REST route the server serves: the router's, in the order they match, then the documents'. */
export const everyRestRoute = (): RestRoute[] => [...restRoutesOf(appRouter), ...DOCUMENT_ROUTES];

export interface DocumentRoutesOptions {
  createContext(request: FastifyRequest): RequestContext;
  onError(error: unknown, request: FastifyRequest): void;
  /** Runs first on every call (the startup gate). */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
}

type DocumentProcedure = (caller: ReturnType<typeof documentCaller>, input: Record<string, string>) => Promise<PdfFile>;

const CALLS: Record<string, DocumentProcedure> = {
  'documents.invoicePdf': (caller, input) => caller.documents.invoicePdf(input as { number: string }),
  'documents.estimatePdf': (caller, input) => caller.documents.estimatePdf(input as never),
};

/**
 * `GET /invoices/{number}/pdf` and `GET /service_tickets/{id}/estimate/pdf`:
 * each calls its procedure with the request's context, so that who may read a
 * document, the rate limit and the validation of its path are the same code as
 * for every other route, and answers the bytes as `application/pdf`. Errors
 * become problem details in the server's one error handler.
 */
export async function documentRoutes(app: FastifyInstance, options: DocumentRoutesOptions): Promise<void> {
  for (const route of DOCUMENT_ROUTES) {
    const call = CALLS[route.procedurePath];
    if (!call) throw new Error(`No call for the document route ${route.procedurePath}`);
    app.get(route.path.replace(/\{(.+?)\}/g, ':$1'), {
      onRequest: (request, reply, done) => {
        request.door.route = route.path;
        options.onRequest(request, reply, done);
      },
      handler: async (request, reply) => {
        const context = options.createContext(request);
        try {
          const file = await call(documentCaller(context), inputOf(request, route));
          return reply
            .headers(context.responseHeaders)
            .headers({
              'content-type': 'application/pdf',
              'content-disposition': `inline; filename="${file.filename}"`,
              'cache-control': 'private, no-store',
            })
            .send(file.bytes);
        } catch (caught) {
          options.onError(caught, request);
          reply.headers(context.responseHeaders);
          throw new ProblemError(problemOf(caught, context, route, request.id));
        }
      },
    });
  }
}

/** The path parameters; a query string is refused, as an unknown field of the strict input would be. */
function inputOf(request: FastifyRequest, route: RestRoute): Record<string, string> {
  const fields = [...new Set(request.door.url.searchParams.keys())].map((field) => ({ field, message: 'Unknown field' }));
  if (fields.length > 0) throw new AppError('validation_failed', describeFieldErrors(fields), { fields });
  return route.parametersOf(request.door.url.pathname);
}

/** The problem details of a failed call, as the REST door words them (tRPC's error shape, through our formatter). */
function problemOf(caught: unknown, context: RequestContext, route: RestRoute, requestId: string) {
  const error = getTRPCErrorFromUnknown(caught);
  const shape = getErrorShape({
    config: documentRouter._def._config,
    error,
    type: 'query',
    path: route.procedurePath,
    input: undefined,
    ctx: context,
  });
  return toProblem(shape.data.httpStatus, shape, requestId);
}
