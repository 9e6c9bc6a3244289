import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { NumbersService } from '../numbers/numbers.service.js';
import type { GraphCredentials } from './graph-api.client.js';
import { WhatsappNotConfiguredError } from './whatsapp.errors.js';

/**
 * Which token and number a workspace talks to Meta with. Today there is one number, from
 * the WA_* variables, registered by NumbersService to the first workspace (the same
 * registry routes its webhooks); with per-number tokens (issue 6) this becomes a lookup of
 * the workspace's connected number and its token, and nothing else changes for callers.
 */
@Injectable()
export class GraphCredentialsProvider {
  private envOwner: number | null = null;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly numbers: NumbersService,
  ) {}

  /** The workspace's credentials; 503 `whatsapp_not_configured` naming what is missing. */
  async forWorkspace(workspaceId: number): Promise<GraphCredentials> {
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
        'No WhatsApp number is connected to this workspace (the WA_* number belongs to the first workspace)',
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
