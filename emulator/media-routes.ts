/**
 * Media endpoints: multipart upload, and the download URL that stands in for Meta's
 * lookaside.fbsbx.com links (same Bearer token required, valid for five minutes).
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidParameter, tokenError } from './errors.js';
import { bearerToken, sendGraphError } from './http-io.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import type { EmulatorState } from './state.js';

/** Meta's media URLs are valid for five minutes ("Retrieve Media URL" reference). */
const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

/** POST /{phone-number-id}/media: multipart `messaging_product`, `type` and `file` → `{id}`. */
export function uploadMedia(
  state: EmulatorState,
  req: IncomingMessage,
  body: Buffer,
  traceId: string,
): unknown {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) {
    throw invalidParameter('Media uploads must be multipart/form-data.', traceId);
  }
  const parts = parseMultipart(body, boundary);
  const field = (name: string): string | undefined =>
    parts.find((part) => part.name === name && part.filename === undefined)?.data.toString('utf8');
  if (field('messaging_product') !== 'whatsapp') {
    throw invalidParameter('The parameter messaging_product is required.', traceId);
  }
  const file = parts.find((part) => part.name === 'file');
  if (!file || file.data.length === 0) {
    throw invalidParameter('The parameter file is required.', traceId);
  }
  const mimeType = field('type') ?? file.contentType;
  if (!mimeType) {
    throw invalidParameter('The parameter type is required.', traceId);
  }
  const record = state.addMedia({
    data: file.data,
    mimeType,
    source: 'upload',
    ...(file.filename === undefined ? {} : { filename: file.filename }),
  });
  return { id: record.id };
}

function mediaSignature(state: EmulatorState, id: string, expiresAt: string): string {
  return createHmac('sha256', state.identity.appSecret)
    .update(`${id}:${expiresAt}`)
    .digest('hex')
    .slice(0, 32);
}

/** The download URL GET /{media-id} hands out, signed and expiring like Meta's. */
export function mediaDownloadUrl(state: EmulatorState, origin: string, id: string): string {
  const expiresAt = String(Math.floor((state.clock() + MEDIA_URL_TTL_MS) / 1000));
  const params = new URLSearchParams({
    mid: id,
    ext: expiresAt,
    hash: mediaSignature(state, id, expiresAt),
  });
  return `${origin}/media-download/${id}?${params.toString()}`;
}

/**
 * GET /media-download/{id}: stands in for Meta's lookaside URL, which needs the same
 * Bearer token and stops working when the URL or the media expires.
 */
export function handleMediaDownload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: EmulatorState,
): void {
  const traceId = state.ids.fbtraceId();
  const token = bearerToken(req, url);
  if (token !== state.identity.accessToken) {
    sendGraphError(res, tokenError(token ? 'invalid' : 'missing', traceId));
    return;
  }
  const id = decodeURIComponent(url.pathname.slice('/media-download/'.length));
  const expiresAt = url.searchParams.get('ext') ?? '';
  const media = state.liveMedia(id);
  const urlValid =
    url.searchParams.get('hash') === mediaSignature(state, id, expiresAt) &&
    Number(expiresAt) * 1000 >= state.clock();
  if (!media || !urlValid) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found');
    return;
  }
  res.writeHead(200, {
    'content-type': media.mimeType,
    'content-length': media.fileSize,
    ...(media.filename
      ? { 'content-disposition': `attachment; filename="${encodeURIComponent(media.filename)}"` }
      : {}),
  });
  res.end(media.data);
}
