import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import {
  GraphApiError,
  GraphApiTimeoutError,
  GraphApiUnreachableError,
  type MetaError,
} from './whatsapp.errors.js';

/** Who calls Meta, and as which number. One workspace number today; per-number tokens later (issue 6). */
export interface GraphCredentials {
  accessToken: string;
  phoneNumberId: string;
  /** WhatsApp Business Account id; needed for phone numbers and templates only. */
  businessAccountId: string | null;
}

export interface DownloadedFile {
  bytes: Buffer;
  contentType: string | null;
}

/** Media downloads may be large (100 MB documents): allow them longer than one API call. */
const DOWNLOAD_TIMEOUT_FACTOR = 6;

/**
 * A thin, typed client for the Graph API: the base URL and timeout come from config, the
 * token and ids from the caller's GraphCredentials. Every failure is one of the typed
 * errors in whatsapp.errors.ts, so callers (proxy endpoints, queue handlers) never see a
 * raw fetch error.
 */
@Injectable()
export class GraphApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.baseUrl = config.get('WA_API_BASE_URL', { infer: true }).replace(/\/+$/, '');
    this.timeoutMs = config.get('WA_API_TIMEOUT_MS', { infer: true });
  }

  get<T>(
    credentials: GraphCredentials,
    path: string,
    query: Record<string, string> = {},
  ): Promise<T> {
    return this.request<T>(credentials, 'GET', this.url(path, query));
  }

  post<T>(credentials: GraphCredentials, path: string, body: object): Promise<T> {
    return this.request<T>(credentials, 'POST', this.url(path), body);
  }

  /**
   * Follows a `paging.next` URL from an earlier answer. Only URLs under our base are
   * followed, so a forged answer cannot make us send the token elsewhere.
   */
  next<T>(credentials: GraphCredentials, nextUrl: string): Promise<T> {
    const url = new URL(nextUrl);
    const base = new URL(this.baseUrl);
    if (url.origin !== base.origin) {
      throw new GraphApiUnreachableError(`refusing to follow paging to ${url.origin}`);
    }
    url.searchParams.delete('access_token');
    return this.request<T>(credentials, 'GET', url);
  }

  /** Downloads a media URL Meta gave us (GET /{media-id}); it needs the same bearer token. */
  async download(credentials: GraphCredentials, url: string): Promise<DownloadedFile> {
    const timeoutMs = this.timeoutMs * DOWNLOAD_TIMEOUT_FACTOR;
    const res = await this.call(url, { headers: this.headers(credentials) }, timeoutMs);
    if (!res.ok) throw new GraphApiError(res.status, await this.metaError(res));
    try {
      return {
        bytes: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get('content-type'),
      };
    } catch (err) {
      throw this.transportError(err, timeoutMs);
    }
  }

  private url(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  private headers(credentials: GraphCredentials): Record<string, string> {
    return { authorization: `Bearer ${credentials.accessToken}`, accept: 'application/json' };
  }

  private async request<T>(
    credentials: GraphCredentials,
    method: 'GET' | 'POST',
    url: URL,
    body?: object,
  ): Promise<T> {
    const headers = this.headers(credentials);
    if (body) headers['content-type'] = 'application/json';
    const res = await this.call(
      url,
      { method, headers, body: body ? JSON.stringify(body) : undefined },
      this.timeoutMs,
    );
    if (!res.ok) throw new GraphApiError(res.status, await this.metaError(res));
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw this.transportError(err, this.timeoutMs);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new GraphApiError(502, {
        message: 'The Graph API answered with something that is not JSON',
      });
    }
  }

  private async call(url: URL | string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw this.transportError(err, timeoutMs);
    }
  }

  private transportError(err: unknown, timeoutMs: number): Error {
    const name = (err as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new GraphApiTimeoutError(timeoutMs);
    }
    const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const reason =
      typeof cause?.code === 'string'
        ? cause.code
        : err instanceof Error
          ? err.message
          : String(err);
    return new GraphApiUnreachableError(reason);
  }

  /** Meta's `error` object, or null when the body is not a Graph error (a proxy's HTML page). */
  private async metaError(res: Response): Promise<MetaError | null> {
    try {
      const body = (await res.json()) as { error?: MetaError };
      return body && typeof body.error === 'object' && body.error !== null ? body.error : null;
    } catch {
      return null;
    }
  }
}
