import { createSecretKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Env } from '../config/env.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';
import type { AuthUser } from './auth-user.js';

export interface TokenPayload {
  sub: string;
  /** The user's token version when the token was issued (password changes bump it). */
  ver: number;
  exp: number;
  iat: number;
}

/**
 * Browsers cannot set headers on EventSource, so the live event stream alone also
 * accepts the token as ?access_token=. Everywhere else only the header counts, keeping
 * tokens out of URLs and access logs.
 */
const fromEventStreamQuery = (req: Request): string | null =>
  req.path === '/api/events' && typeof req.query.access_token === 'string'
    ? req.query.access_token
    : null;

const workspaceHeader = (req: Request): number | undefined => {
  // EventSource cannot set headers: the live stream alone may name it as ?workspace_id=.
  const raw =
    req.headers['x-workspace-id'] ??
    (req.path === '/api/events' ? req.query.workspace_id : undefined);
  return typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
};

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: ConfigService<Env, true>,
    private readonly workspaces: WorkspacesService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        fromEventStreamQuery,
      ]),
      // A KeyObject, which jsonwebtoken takes as it is (the types name only string and
      // Buffer). Given the raw string it first tries to read it as a PEM public key and
      // throws, on every request: ~12 % of the CPU of a conversations page.
      secretOrKey: createSecretKey(
        Buffer.from(config.getOrThrow('SECRET_KEY', { infer: true })),
      ) as unknown as Buffer,
      // Pinning the algorithm refuses `alg: none` and RS256 tokens.
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(req: Request, payload: TokenPayload): Promise<AuthUser> {
    // users.id is an integer: a larger sub cannot be a user (and must not reach SQL).
    if (
      typeof payload.exp !== 'number' ||
      !/^\d{1,10}$/.test(String(payload.sub)) ||
      Number(payload.sub) > 2_147_483_647
    ) {
      throw new UnauthorizedException('Could not validate credentials');
    }
    const user = await this.workspaces.signedInMember(Number(payload.sub), workspaceHeader(req));
    if (!user || (payload.ver ?? 0) !== user.tokenVersion) {
      throw new UnauthorizedException('Could not validate credentials');
    }
    if (!user.isActive) throw new UnauthorizedException('This account is deactivated');
    const membership = user.membership;
    if (!membership) throw new UnauthorizedException('You do not belong to this workspace');
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      workspaceId: membership.workspaceId,
      workspaceName: membership.workspaceName,
      role: membership.role,
    };
  }
}
