import type { AnyProcedure, AnyRouter } from '@trpc/server';
import type { ProcedureMeta } from '@mechanic-shop/core';

export interface RestRoute {
  /** The procedure's path in the router, e.g. `customers.byId`. */
  procedurePath: string;
  procedure: AnyProcedure;
  method: string;
  /** The REST path template, e.g. `/customers/{id}`. */
  path: string;
  pattern: RegExp;
  /** The names of its path parameters, e.g. `['id']`. */
  parameterNames: string[];
  /** The path parameters of a request path matching `pattern`, as trpc-to-openapi reads them. */
  parametersOf(pathname: string): Record<string, string>;
  meta: ProcedureMeta;
  /** The `examples` of the procedure's input schema, for the request body in the docs. */
  inputExamples: unknown[] | undefined;
}

/**
 * The REST routes of a router, in the order trpc-to-openapi matches them (the
 * first matching template wins, so `/customers/my-tickets` must come before
 * `/customers/{id}`).
 */
export function restRoutesOf(router: AnyRouter): RestRoute[] {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  return Object.entries(procedures).flatMap(([procedurePath, procedure]) => {
    const meta = procedure._def.meta as ProcedureMeta | undefined;
    const openapi = meta?.openapi;
    if (!openapi || openapi.enabled === false) return [];
    const path = `/${openapi.path.replace(/^\/|\/$/g, '')}`;
    const pattern = new RegExp(`^${path.replace(/\{(.+?)\}/g, '[^/]+')}/?$`, 'i');
    // trpc-to-openapi's own reading of a path: named groups on the path without its trailing slash.
    const named = new RegExp(`^${path.replace(/\{(.+?)\}/g, '(?<$1>[^/]+)')}$`, 'i');
    const parametersOf = (pathname: string) => ({ ...named.exec(`/${pathname.replace(/^\/|\/$/g, '')}`)?.groups });
    const input = (procedure._def.inputs as Array<{ meta?: () => { examples?: unknown[] } | undefined }>)[0];
    const parameterNames = [...path.matchAll(/\{(.+?)\}/g)].map(([, name]) => name!);
    return [
      {
        procedurePath,
        procedure,
        method: openapi.method,
        path,
        pattern,
        parameterNames,
        parametersOf,
        meta,
        inputExamples: input?.meta?.()?.examples,
      },
    ];
  });
}

export interface RouteTable {
  /** The router's routes, which the REST door serves. */
  byProcedure: Map<string, RestRoute>;
  /** The REST route a request would reach, for logs and headers. */
  match(method: string, pathname: string): RestRoute | undefined;
  /** The methods a path accepts, for a 405's `Allow` header; empty for unknown paths. */
  methodsFor(pathname: string): string[];
}

/** The route table of a router's routes, and of `otherRoutes` served beside them (the PDF documents) for `match` and `methodsFor`. */
export function routeTable(router: AnyRouter, otherRoutes: RestRoute[] = []): RouteTable {
  const own = restRoutesOf(router);
  const routes = [...own, ...otherRoutes];
  return {
    byProcedure: new Map(own.map((route) => [route.procedurePath, route])),
    match: (method, pathname) => routes.find((route) => route.method === method && route.pattern.test(pathname)),
    methodsFor: (pathname) => [...new Set(routes.filter((route) => route.pattern.test(pathname)).map((route) => route.method))],
  };
}

/**
 * The query string as trpc-to-openapi reads it (a key's one value, or all the
 * values of a repeated key), in an object without a prototype: gathered in a
 * plain object, a key such as `constructor` or `toString` found the
 * prototype's member and the request failed with a 500.
 */
export function queryOf(url: URL): Record<string, string | string[]> {
  const query = Object.create(null) as Record<string, string | string[]>;
  for (const key of url.searchParams.keys()) {
    if (key in query) continue;
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
