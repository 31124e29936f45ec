import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import type { FuzzRequest } from './cases.ts';

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Sends a request exactly as given (node:http, not fetch: fetch would resolve
 * `%2e%2e` segments and refuse some targets before they left). Rejects when no
 * complete answer comes: the connection failed or closed early, or nothing
 * arrived for `noAnswerAfterMs`.
 */
export function send(baseUrl: string, agent: Agent, fuzz: FuzzRequest, noAnswerAfterMs: number): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers: Record<string, string> = { ...fuzz.headers };
  if (fuzz.body !== undefined) headers['content-length'] = String(Buffer.byteLength(fuzz.body));
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method: fuzz.method, path: fuzz.target, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      incoming.on('error', (error) => reject(new Error(`the answer was cut off: ${error.message}`)));
    });
    outgoing.setTimeout(noAnswerAfterMs, () => outgoing.destroy(new Error(`no answer within ${noAnswerAfterMs / 1000} s`)));
    outgoing.on('error', (error) => reject(new Error(`no answer: ${error.message}`)));
    outgoing.end(fuzz.body);
  });
}
