import type { SerializedRequest, SerializedResponse } from 'pino';
import { redactUrl } from './redact-url.js';

type RequestFields = Partial<
  Pick<SerializedRequest, 'id' | 'method' | 'url' | 'remoteAddress' | 'headers'>
> & { raw?: unknown };

interface RequestLog {
  id: string | undefined;
  method: string | undefined;
  url: string | undefined;
  remoteAddress: string | undefined;
  /** Express's req.ip: the client behind a TRUST_PROXY proxy, the one rate limits count. */
  clientIp: string | undefined;
  userAgent: string | undefined;
}

/**
 * What a log line says about its request: enough to find it (id, method, redacted URL, who
 * sent it), not its headers, query or params. Those carry cookies, bearer tokens, Meta's
 * signature and invite tokens; leaving them out keeps each of them out of the logs instead
 * of relying on one redact path per secret. (pino serialises this into every request's
 * child logger at every level, so it is also a few µs cheaper than the full request.)
 */
export function serializeRequest(req: RequestFields): RequestLog {
  return {
    id: req.id,
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    remoteAddress: req.remoteAddress,
    clientIp: (req.raw as { ip?: string } | undefined)?.ip,
    userAgent: req.headers?.['user-agent'],
  };
}

/** The status is what a request line needs; response headers are the same on every line. */
export function serializeResponse(res: Partial<Pick<SerializedResponse, 'statusCode'>>): {
  statusCode: number | undefined;
} {
  return { statusCode: res.statusCode };
}
