import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { NumbersService } from '../numbers/numbers.service.js';
import type { GraphCredentials } from './graph-api.client.js';
import { WhatsappNotConfiguredError } from './whatsapp.errors.js';

/**
 * Which token and number a workspace talks to Meta with. A number connected in Settings →
 * WhatsApp carries its own (encrypted) access token; the number from the WA_* variables,
 * registered by NumbersService to the first workspace, uses WA_ACCESS_TOKEN.
 * Without a number id, the workspace's oldest number is used.
 */
@Injectable()
export class GraphCredentialsProvider {
  private envOwner: number | null = null;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly numbers: NumbersService,
  ) {}

  /** The credentials of one of the workspace's numbers (or its oldest); 503 when none. */
  async forWorkspace(workspaceId: number, numberId?: number | null): Promise<GraphCredentials> {
    const number = await this.numbers.credentials(workspaceId, numberId ?? undefined);
    if (number && !number.fromEnvironment && number.accessToken) {
      return {
        accessToken: number.accessToken,
        phoneNumberId: number.phoneNumberId,
        businessAccountId: number.businessAccountId,
      };
    }
    return this.fromEnvironment(workspaceId);
  }

  private async fromEnvironment(workspaceId: number): Promise<GraphCredentials> {
    const accessToken = this.config.get('WA_ACCESS_TOKEN', { infer: true });
    const phoneNumberId = this.config.get('WA_PHONE_NUMBER_ID', { infer: true });
    const missing = [
      ...(accessToken ? [] : ['WA_ACCESS_TOKEN']),
      ...(phoneNumberId ? [] : ['WA_PHONE_NUMBER_ID']),
    ];
    if (!accessToken || !phoneNumberId) {
      throw new WhatsappNotConfiguredError(
        `WhatsApp is not configured: set ${missing.join(' and ')} (see README, Configuration)`,
        { missing },
      );
    }
    if ((await this.envNumberOwner()) !== workspaceId) {
      throw new WhatsappNotConfiguredError(
        'No WhatsApp number is connected to this workspace (connect one in Settings → WhatsApp)',
        { missing: [] },
      );
    }
    return {
      accessToken,
      phoneNumberId,
      businessAccountId: this.config.get('WA_BUSINESS_ACCOUNT_ID', { infer: true }) ?? null,
    };
  }

  /** The WhatsApp Business Account id, required for phone numbers and templates. */
  requireBusinessAccount(credentials: GraphCredentials): string {
    if (!credentials.businessAccountId) {
      throw new WhatsappNotConfiguredError(
        'WhatsApp is not configured: set WA_BUSINESS_ACCOUNT_ID (see README, Configuration)',
        { missing: ['WA_BUSINESS_ACCOUNT_ID'] },
      );
    }
    return credentials.businessAccountId;
  }

  /** The environment number never changes workspace once registered: looked up once. */
  private async envNumberOwner(): Promise<number | null> {
    this.envOwner ??= await this.numbers.ensureEnvironmentNumber();
    return this.envOwner;
  }
}
