import { createHash } from 'node:crypto';
import {
  CallHandler,
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { concatMap, type Observable } from 'rxjs';
import type { Env } from '../../config/env.js';
import { PgRateLimitStore } from './pg-rate-limit.store.js';

const SKIP = 'rateLimitSkip';
const AUTH = 'rateLimitAuth';
const WINDOW_MS = 60_000;

/** Routes that must never be refused for volume: Meta's webhook, health, live events. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP, true);

interface AuthLimitOptions {
  /**
   * Only failed attempts use up the limit (sign-in, password change): a successful one is
   * given back, so a team signing in from one office address is not refused, while guessing
   * still is. Every attempt is counted first, so a burst of parallel guesses cannot slip by.
   */
  failuresOnly?: boolean;
}

/** Sign-in and sign-up: limited per client IP and per email on top of the global limit. */
export const AuthRateLimited = (options: AuthLimitOptions = {}): MethodDecorator =>
  SetMetadata(AUTH, options);

/** The auth counters a request used, to give back when it succeeds (failuresOnly). */
const REFUNDABLE = Symbol('rateLimitRefundable');
type WithRefundable = Request & { [REFUNDABLE]?: string[] };

const hashed = (s: string): string =>
  createHash('sha256').update(s).digest('base64url').slice(0, 22);

/**
 * Rate limits shared by every instance (counters in PostgreSQL): a global per-IP limit
 * (RATE_LIMIT_PER_MINUTE, 0 = off) and per-IP and per-email limits on sign-in and sign-up
 * (AUTH_RATE_LIMIT_PER_MINUTE; sign-in and password changes give successful attempts back),
 * answered 429 with Retry-After.
 *
 * Hand-written rather than @nestjs/throttler: throttler 6.7 is CommonJS that require()s the
 * ESM-only @nestjs/common 12, which Jest's module runtime cannot load on Node 20 and 22, so
 * no test could exercise it. The storage and algorithm mirror throttler's fixed windows.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: ConfigService<Env, true>,
    private readonly store: PgRateLimitStore,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const ip = req.ip ?? 'unknown';
    const checks: { key: string; limit: number }[] = [];
    const perMinute = this.config.get('RATE_LIMIT_PER_MINUTE', { infer: true });
    if (perMinute > 0) checks.push({ key: `ip:${hashed(ip)}`, limit: perMinute });
    const auth = this.reflector.getAllAndOverride<AuthLimitOptions | undefined>(AUTH, targets);
    if (auth) {
      const authLimit = this.config.get('AUTH_RATE_LIMIT_PER_MINUTE', { infer: true });
      const body = req.body as { email?: unknown } | undefined;
      const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
      const route = `${req.method}:${req.path}`;
      const keys = [`auth-ip:${route}:${hashed(ip)}`];
      if (email) keys.push(`auth-email:${route}:${hashed(email)}`);
      for (const key of keys) checks.push({ key, limit: authLimit });
      if (auth.failuresOnly) (req as WithRefundable)[REFUNDABLE] = keys;
    }
    for (const { key, limit } of checks) {
      const { hits, secondsLeft } = await this.store.hit(key, WINDOW_MS);
      if (hits > limit) {
        res.setHeader('Retry-After', String(secondsLeft));
        throw new HttpException('Too many requests; try again later', HttpStatus.TOO_MANY_REQUESTS);
      }
    }
    return true;
  }
}

/**
 * Gives back the auth counters of a `failuresOnly` route when its handler succeeded, before
 * the answer is sent (so the client's next attempt already sees it).
 */
@Injectable()
export class RateLimitRefundInterceptor implements NestInterceptor {
  constructor(private readonly store: PgRateLimitStore) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<WithRefundable>();
    const keys = req[REFUNDABLE];
    if (!keys) return next.handle();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        // Best effort: a lost refund only leaves the attempt counted, as before.
        await Promise.all(keys.map((key) => this.store.refund(key))).catch(() => undefined);
        return value;
      }),
    );
  }
}
