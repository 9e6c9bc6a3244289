import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A request's id for its log lines: the caller's X-Request-Id when it is a plain token (a
 * proxy's or a client's, so one id follows the request across systems), else a new UUID.
 * Echoed in the response's X-Request-Id.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}
