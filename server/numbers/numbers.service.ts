import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Env } from '../config/env.js';

export interface NumberRoute {
  workspaceId: number;
  displayPhoneNumber: string | null;
}

/**
 * Owner of whatsapp_numbers: the registry of WhatsApp Business numbers (channels) that
 * decides which workspace a webhook belongs to, by Meta's `metadata.phone_number_id`.
 *
 * The number configured in WA_PHONE_NUMBER_ID belongs to the first workspace ever created.
 * It is registered at start and, because that workspace may not exist yet then, again when
 * a workspace is created and when a webhook for it arrives — always with one idempotent
 * `INSERT … ON CONFLICT DO NOTHING`, so any number of instances can race on it.
 */
@Injectable()
export class NumbersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(NumbersService.name);
  /** Set once the environment number is known to be registered (saves a statement). */
  private environmentNumberRegistered = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A database hiccup at start must not stop the server: the next webhook or sign-up
    // registers the number.
    await this.ensureEnvironmentNumber().catch((err: unknown) =>
      this.logger.warn(`Could not register WA_PHONE_NUMBER_ID at start: ${(err as Error).message}`),
    );
  }

  /**
   * Registers WA_PHONE_NUMBER_ID to the first workspace if it is not registered yet.
   * Returns its workspace, or null without such a number or without any workspace.
   */
  async ensureEnvironmentNumber(
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number | null> {
    const phoneNumberId = this.config.get('WA_PHONE_NUMBER_ID', { infer: true });
    if (!phoneNumberId) return null;
    await manager.query(
      `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id, business_account_id, from_environment)
       SELECT w.id, $1, $2, true FROM workspaces w ORDER BY w.id LIMIT 1
       ON CONFLICT (phone_number_id) DO NOTHING`,
      [phoneNumberId, this.config.get('WA_BUSINESS_ACCOUNT_ID', { infer: true }) ?? null],
    );
    const rows = await manager.query<{ workspace_id: number }[]>(
      `SELECT workspace_id FROM whatsapp_numbers WHERE phone_number_id = $1`,
      [phoneNumberId],
    );
    if (rows.length > 0) this.environmentNumberRegistered = true;
    return rows[0]?.workspace_id ?? null;
  }

  /** Call after a workspace is created (committed): it may be the first one. */
  async onWorkspaceCreated(): Promise<void> {
    if (this.environmentNumberRegistered) return;
    await this.ensureEnvironmentNumber().catch((err: unknown) =>
      this.logger.warn(`Could not register WA_PHONE_NUMBER_ID: ${(err as Error).message}`),
    );
  }

  /** Adds a number to a workspace; false when the number already belongs to one. */
  async register(
    workspaceId: number,
    phoneNumberId: string,
    details: { businessAccountId?: string; displayPhoneNumber?: string } = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id, business_account_id, display_phone_number)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (phone_number_id) DO NOTHING
       RETURNING id`,
      [
        workspaceId,
        phoneNumberId,
        details.businessAccountId ?? null,
        details.displayPhoneNumber ?? null,
      ],
    );
    return rows.length > 0;
  }

  /**
   * The workspace of each phone number id; unknown numbers are absent from the map.
   * Fills in display_phone_number from the webhook when the registry lacks it.
   */
  async resolve(
    manager: EntityManager,
    numbers: { phoneNumberId: string; displayPhoneNumber: string | null }[],
  ): Promise<Map<string, NumberRoute>> {
    const ids = [...new Set(numbers.map((n) => n.phoneNumberId))];
    const routes = await this.lookup(manager, ids);
    const environmentNumber = this.config.get('WA_PHONE_NUMBER_ID', { infer: true });
    if (environmentNumber && ids.includes(environmentNumber) && !routes.has(environmentNumber)) {
      const workspaceId = await this.ensureEnvironmentNumber(manager);
      if (workspaceId !== null)
        {routes.set(environmentNumber, { workspaceId, displayPhoneNumber: null });}
    }
    const missingDisplay = numbers.filter(
      (n) =>
        n.displayPhoneNumber !== null && routes.get(n.phoneNumberId)?.displayPhoneNumber === null,
    );
    if (missingDisplay.length > 0) {
      await manager.query(
        `UPDATE whatsapp_numbers n SET display_phone_number = x.display, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id text, display text)
          WHERE n.phone_number_id = x.id AND n.display_phone_number IS NULL`,
        [
          JSON.stringify(
            missingDisplay.map((n) => ({ id: n.phoneNumberId, display: n.displayPhoneNumber })),
          ),
        ],
      );
      for (const n of missingDisplay) {
        const route = routes.get(n.phoneNumberId);
        if (route) route.displayPhoneNumber = n.displayPhoneNumber;
      }
    }
    return routes;
  }

  private async lookup(
    manager: EntityManager,
    phoneNumberIds: string[],
  ): Promise<Map<string, NumberRoute>> {
    const rows = await manager.query<
      { phone_number_id: string; workspace_id: number; display_phone_number: string | null }[]
    >(
      `SELECT phone_number_id, workspace_id, display_phone_number FROM whatsapp_numbers
        WHERE phone_number_id = ANY($1::text[])`,
      [phoneNumberIds],
    );
    return new Map(
      rows.map((r) => [
        r.phone_number_id,
        { workspaceId: r.workspace_id, displayPhoneNumber: r.display_phone_number },
      ]),
    );
  }
}
