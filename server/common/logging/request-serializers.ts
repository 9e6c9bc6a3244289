import { redactUrl } from './redact-url.js';

/** The request as pino-std-serializers hands it to a custom serializer. */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** The response as pino-std-serializers hands it to a custom serializer. */
interface SerializedResponse {
  statusCode?: number;
}

export interface RequestLog {
  id: unknown;
  method: string | undefined;
  url: string | undefined;
  remoteAddress: string | undefined;
  userAgent: string | undefined;
}

/**
 * What a log line says about its request: enough to find it (id, method, redacted URL, who
 * sent it), not its headers, query or params. pino serialises the request into every
 * request's child logger, at every log level; with all headers that was about a fifth of a
 * small request's CPU, and each header (cookies, tokens, Meta's signature) was one missed
 * redact path away from the logs.
 */
export function serializeRequest(req: SerializedRequest): RequestLog {
  const agent = req.headers?.['user-agent'];
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
    remoteAddress: req.remoteAddress,
    userAgent: Array.isArray(agent) ? agent[0] : agent,
  };
}

/** The status is what a request line needs; response headers are the same on every line. */
export function serializeResponse(res: SerializedResponse): { statusCode: number | undefined } {
  return { statusCode: res.statusCode };
}
