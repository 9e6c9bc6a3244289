/** Small node:http helpers shared by the Graph and control routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphError } from './errors.js';
import { serializeLikeMeta } from './webhook-sender.js';

/** Cloud API media tops out at 100 MB (documents); anything larger is refused before buffering. */
export const MAX_BODY_BYTES = 110 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      throw new BodyTooLargeError(`Request body exceeds ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; returns `undefined` for an empty body and throws SyntaxError when malformed. */
export function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8').trim();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Graph answers with escaped-unicode JSON and `application/json; charset=UTF-8`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  traceId?: string,
): void {
  const raw = serializeLikeMeta(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(raw),
    ...(traceId ? { 'x-fb-trace-id': traceId } : {}),
  });
  res.end(raw);
}

export function sendGraphError(res: ServerResponse, error: GraphError): void {
  if (error.httpStatus === 401) {
    // Graph adds an RFC 6750 challenge on token failures.
    res.setHeader(
      'www-authenticate',
      `OAuth "Facebook Platform" "invalid_token" "${error.body.error.message}"`,
    );
  }
  sendJson(res, error.httpStatus, error.body, error.body.error.fbtrace_id);
}

export function bearerToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match?.[1]?.trim() ?? null;
  }
  // Graph also accepts ?access_token=…; some SDKs still use it.
  return url.searchParams.get('access_token');
}

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
