import {
  BadRequestException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';
import type { Env } from '../config/env.js';
import { NumbersService } from '../numbers/numbers.service.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { InvitesService } from '../workspaces/invites.service.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';
import type { AuthUser } from './auth-user.js';
import type { MeResponseDto } from './dto/me-response.dto.js';
import type { TokenResponseDto } from './dto/token-response.dto.js';
import { toUserResponse } from '../users/dto/user-response.dto.js';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class AuthService {
  // Compared against when the email is unknown, so both failures take bcrypt's time
  // and response timing does not reveal which emails are registered.
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly workspaces: WorkspacesService,
    private readonly invites: InvitesService,
    private readonly numbers: NumbersService,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.dummyHash = bcrypt.hash('no-lose-timing-guard', this.rounds);
  }

  private get rounds(): number {
    return this.config.get('BCRYPT_ROUNDS', { infer: true });
  }

  /**
   * Creates the user and a workspace they own, in one transaction; with an invite token
   * the user joins the invite's workspace instead (and the sign-up fails with the invite's
   * 404/410 when the link no longer works, creating nothing).
   */
  async register(input: {
    email: string;
    password: string;
    name: string;
    invite_token?: string;
  }): Promise<User> {
    const { invite_token: inviteToken, ...profile } = input;
    const hashedPassword = await bcrypt.hash(profile.password, this.rounds);
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = await this.users.create(manager, { ...profile, hashedPassword });
        if (inviteToken) await this.invites.join(manager, created.id, inviteToken);
        else await this.workspaces.createOwned(manager, created.id, `${created.name}'s workspace`);
        return created;
      });
      // The first workspace ever created owns the WA_PHONE_NUMBER_ID number (after commit:
      // "first" is decided among committed workspaces). Never fails the sign-up.
      if (!inviteToken) await this.numbers.onWorkspaceCreated();
      return user;
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new BadRequestException('Email already registered');
      }
      throw err;
    }
  }

  async login(email: string, password: string): Promise<TokenResponseDto> {
    const user = await this.users.findByEmail(email);
    const ok = await bcrypt.compare(password, user?.hashedPassword ?? (await this.dummyHash));
    if (!user || !ok) throw new UnauthorizedException('Incorrect email or password');
    if (!user.isActive) throw new UnauthorizedException('This account is deactivated');
    return this.issueToken(user);
  }

  async issueToken(user: User): Promise<TokenResponseDto> {
    const access_token = await this.jwt.signAsync({ sub: String(user.id), ver: user.tokenVersion });
    return { access_token, token_type: 'bearer' };
  }

  async me(auth: AuthUser): Promise<MeResponseDto> {
    const user = await this.users.findById(auth.id);
    if (!user) throw new NotFoundException('User not found');
    return this.toMe(user, auth);
  }

  /**
   * Checks the current password, stores the new hash and bumps token_version in one
   * statement, so every token issued before (on any device) is refused from now on.
   * Answers a fresh token for the caller.
   */
  async changePassword(auth: AuthUser, current: string, next: string): Promise<TokenResponseDto> {
    const user = await this.users.findById(auth.id);
    if (!user) throw new NotFoundException('User not found');
    if (!(await bcrypt.compare(current, user.hashedPassword))) {
      throw new BadRequestException('Current password is incorrect');
    }
    const hashedPassword = await bcrypt.hash(next, this.rounds);
    const updated = await this.users.changePassword(user.id, user.tokenVersion, hashedPassword);
    // Another change won the race (the version moved): this caller's token is already stale.
    if (!updated) throw new UnauthorizedException('Could not validate credentials');
    return this.issueToken(updated);
  }

  async rename(auth: AuthUser, name: string): Promise<MeResponseDto> {
    const user = await this.users.findById(auth.id);
    if (!user) throw new NotFoundException('User not found');
    return this.toMe(await this.users.rename(user, name), auth);
  }

  private toMe(user: User, auth: AuthUser): MeResponseDto {
    return {
      ...toUserResponse(user),
      workspace: { id: auth.workspaceId, name: auth.workspaceName, role: auth.role },
    };
  }
}
