import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import type { Env } from '../config/env.js';
import { queryPrepared } from '../database/prepared-query.js';
import { QueueService } from '../queue/queue.service.js';
import type { CreateNumberDto, UpdateNumberDto } from './dto/create-number.dto.js';
import { SecretCipher } from './secret-cipher.js';
import { WhatsappNumber } from './whatsapp-number.entity.js';

/** A number's Graph API credentials, decrypted for one call. */
export interface NumberCredentials {
  numberId: number;
  workspaceId: number;
  phoneNumberId: string;
  businessAccountId: string | null;
  /** Null for the WA_* number: its token is WA_ACCESS_TOKEN. */
  accessToken: string | null;
  fromEnvironment: boolean;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Queue job: the webhooks kept for a phone number no workspace owned are processed again
 * once it is connected (WebhookModule's ReplayNumberHandler runs it).
 */
export const REPLAY_NUMBER_JOB = 'replay_number_webhooks';
export interface ReplayNumberPayload {
  phoneNumberId: string;
}
const last4 = (secret: string): string => secret.slice(-4);

export interface NumberRoute {
  /** whatsapp_numbers.id */
  numberId: number;
  workspaceId: number;
  displayPhoneNumber: string | null;
}

/** NumbersService.resolve's answer. */
export interface ResolvedRoutes {
  routes: Map<string, NumberRoute>;
  /** Settles once the routes are confirmed in the caller's transaction: await it before committing. */
  confirmed: Promise<void>;
}

/** Routes answered from memory that the registry no longer agrees with: run the transaction again. */
export class RoutesChangedError extends Error {
  constructor(phoneNumberIds: string[]) {
    super(`The registry changed for phone_number_id ${phoneNumberIds.join(', ')}`);
    this.name = 'RoutesChangedError';
  }
}

const sameRoute = (a: NumberRoute | undefined, b: NumberRoute | undefined): boolean =>
  a?.numberId === b?.numberId && a?.workspaceId === b?.workspaceId;

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
  /** Each phone number id's route as this instance's last lookup found it (see resolve()). */
  private readonly seen = new Map<string, NumberRoute>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WhatsappNumber) private readonly numbers: Repository<WhatsappNumber>,
    private readonly config: ConfigService<Env, true>,
    private readonly cipher: SecretCipher,
    private readonly queue: QueueService,
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
    // The number and the replay of what Meta delivered for it before anyone signed up
    // commit together.
    const register = async (m: EntityManager): Promise<void> => {
      const inserted = await m.query<{ id: number }[]>(
        `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id, business_account_id, from_environment)
         SELECT w.id, $1, $2, true FROM workspaces w ORDER BY w.id LIMIT 1
         ON CONFLICT (phone_number_id) DO NOTHING
         RETURNING id`,
        [phoneNumberId, this.config.get('WA_BUSINESS_ACCOUNT_ID', { infer: true }) ?? null],
      );
      if (inserted.length > 0) await this.replayEarlierWebhooks(m, phoneNumberId, inserted[0].id);
    };
    if (manager.queryRunner?.isTransactionActive) await register(manager);
    else await this.dataSource.transaction(register);
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
   *
   * When this instance has looked every one of the numbers up before (and none lacks its
   * display number), it answers those routes at once and sends the lookup that confirms
   * them without waiting for it: on the pipelined connection of a webhook group it travels
   * with the group's next statement instead of costing a round trip of its own. The caller
   * awaits `confirmed` before it commits; it rejects with RoutesChangedError when the
   * registry says otherwise (a number removed or given to another workspace), and the
   * transaction runs again with what the lookup found. The remembered routes are a guess
   * checked in every transaction, never state another instance could miss.
   */
  async resolve(
    manager: EntityManager,
    numbers: { phoneNumberId: string; displayPhoneNumber: string | null }[],
  ): Promise<ResolvedRoutes> {
    const ids = [...new Set(numbers.map((n) => n.phoneNumberId))];
    const guessed = this.rememberedRoutes(numbers);
    if (guessed) {
      const confirmed = this.lookup(manager, ids).then((found) => {
        const changed = ids.filter((id) => !sameRoute(found.get(id), guessed.get(id)));
        if (changed.length > 0) throw new RoutesChangedError(changed);
      });
      // Handled here so that a transaction failing before it awaits `confirmed` leaves no
      // unhandled rejection; the caller still sees the error when it awaits.
      confirmed.catch(() => undefined);
      return { routes: guessed, confirmed };
    }
    const routes = await this.lookup(manager, ids);
    const environmentNumber = this.config.get('WA_PHONE_NUMBER_ID', { infer: true });
    if (environmentNumber && ids.includes(environmentNumber) && !routes.has(environmentNumber)) {
      await this.ensureEnvironmentNumber(manager);
      const registered = (await this.lookup(manager, [environmentNumber])).get(environmentNumber);
      if (registered) routes.set(environmentNumber, registered);
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
    return { routes, confirmed: Promise.resolve() };
  }

  /** The routes last looked up for all these numbers, or null if one is not known (or lacks its display number). */
  private rememberedRoutes(
    numbers: { phoneNumberId: string; displayPhoneNumber: string | null }[],
  ): Map<string, NumberRoute> | null {
    const routes = new Map<string, NumberRoute>();
    for (const n of numbers) {
      const route = this.seen.get(n.phoneNumberId);
      if (!route || (route.displayPhoneNumber === null && n.displayPhoneNumber !== null)) {
        return null;
      }
      routes.set(n.phoneNumberId, { ...route });
    }
    return routes;
  }

  private async lookup(
    manager: EntityManager,
    phoneNumberIds: string[],
  ): Promise<Map<string, NumberRoute>> {
    const rows = await queryPrepared<{
      id: number;
      phone_number_id: string;
      workspace_id: number;
      display_phone_number: string | null;
    }>(
      manager,
      `SELECT id, phone_number_id, workspace_id, display_phone_number FROM whatsapp_numbers
        WHERE phone_number_id = ANY($1::text[])`,
      [phoneNumberIds],
    );
    const found = new Map(
      rows.map((r) => [
        r.phone_number_id,
        {
          numberId: r.id,
          workspaceId: r.workspace_id,
          displayPhoneNumber: r.display_phone_number,
        },
      ]),
    );
    for (const id of phoneNumberIds) {
      const route = found.get(id);
      if (route) this.seen.set(id, { ...route });
      else this.seen.delete(id);
    }
    return found;
  }

  list(workspaceId: number): Promise<WhatsappNumber[]> {
    return this.numbers.find({ where: { workspaceId }, order: { id: 'ASC' } });
  }

  /** A number of this workspace; another workspace's number is 404 like a missing one. */
  async get(workspaceId: number, id: number): Promise<WhatsappNumber> {
    const found = await this.numbers.findOneBy({ id, workspaceId });
    if (!found) throw new NotFoundException('WhatsApp number not found');
    return found;
  }

  /**
   * Connects a number; its secrets are encrypted before they reach the database. Webhooks
   * Meta delivered for it before are processed again (queued with the number, so a crash
   * cannot keep the number and lose the replay).
   */
  async create(workspaceId: number, dto: CreateNumberDto): Promise<WhatsappNumber> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await manager.getRepository(WhatsappNumber).save(
          this.numbers.create({
            workspaceId,
            phoneNumberId: dto.phone_number_id,
            businessAccountId: dto.business_account_id,
            displayPhoneNumber: dto.display_phone_number ?? null,
            fromEnvironment: false,
            ...this.sealed(dto),
          }),
        );
        await this.replayEarlierWebhooks(manager, saved.phoneNumberId, saved.id);
        return saved;
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictException('This phone number id is already connected to a workspace');
      }
      throw err;
    }
  }

  /** Queues the replay of the webhooks kept for this number while no workspace owned it. */
  private async replayEarlierWebhooks(
    manager: EntityManager,
    phoneNumberId: string,
    numberId: number,
  ): Promise<void> {
    const payload: ReplayNumberPayload = { phoneNumberId };
    await this.queue.enqueue(manager, REPLAY_NUMBER_JOB, payload, {
      dedupeKey: `${REPLAY_NUMBER_JOB}:${numberId}`,
    });
  }

  async update(workspaceId: number, id: number, dto: UpdateNumberDto): Promise<WhatsappNumber> {
    const found = await this.get(workspaceId, id);
    this.refuseEnvironment(found);
    Object.assign(found, this.sealed(dto));
    if (dto.business_account_id !== undefined) found.businessAccountId = dto.business_account_id;
    if (dto.display_phone_number !== undefined) {
      found.displayPhoneNumber = dto.display_phone_number;
    }
    return this.numbers.save(found);
  }

  /** Disconnects a number; its conversations stay (their number becomes unknown). */
  async remove(workspaceId: number, id: number): Promise<void> {
    this.refuseEnvironment(await this.get(workspaceId, id));
    await this.numbers.delete({ id, workspaceId });
  }

  /** Credentials of one of the workspace's numbers, or of its oldest one without an id. */
  async credentials(workspaceId: number, id?: number): Promise<NumberCredentials | null> {
    const found =
      id === undefined
        ? (await this.numbers.find({ where: { workspaceId }, order: { id: 'ASC' }, take: 1 }))[0]
        : await this.numbers.findOneBy({ id, workspaceId });
    if (!found) return null;
    return {
      numberId: found.id,
      workspaceId: found.workspaceId,
      phoneNumberId: found.phoneNumberId,
      businessAccountId: found.businessAccountId,
      accessToken: found.accessTokenEncrypted
        ? this.cipher.decrypt(found.accessTokenEncrypted)
        : null,
      fromEnvironment: found.fromEnvironment,
    };
  }

  /** The app secrets of the given numbers that have one (webhook signature check). */
  async appSecretsOf(phoneNumberIds: string[]): Promise<string[]> {
    if (phoneNumberIds.length === 0) return [];
    const rows = await this.dataSource.query<{ app_secret_encrypted: string }[]>(
      `SELECT app_secret_encrypted FROM whatsapp_numbers
        WHERE phone_number_id = ANY($1::text[]) AND app_secret_encrypted IS NOT NULL`,
      [phoneNumberIds],
    );
    return rows.map((r) => this.cipher.decrypt(r.app_secret_encrypted));
  }

  /** Whether any connected number has this verify token (the GET handshake). */
  async hasVerifyToken(token: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ verify_token_encrypted: string }[]>(
      `SELECT verify_token_encrypted FROM whatsapp_numbers
        WHERE verify_token_encrypted IS NOT NULL AND verify_token_last4 = $1`,
      [last4(token)],
    );
    return rows.some((r) => this.cipher.decrypt(r.verify_token_encrypted) === token);
  }

  private sealed(dto: Partial<CreateNumberDto>): Partial<WhatsappNumber> {
    const out: Partial<WhatsappNumber> = {};
    if (dto.access_token !== undefined) {
      out.accessTokenEncrypted = this.cipher.encrypt(dto.access_token);
      out.accessTokenLast4 = last4(dto.access_token);
    }
    if (dto.app_secret !== undefined) {
      out.appSecretEncrypted = this.cipher.encrypt(dto.app_secret);
      out.appSecretLast4 = last4(dto.app_secret);
    }
    if (dto.verify_token !== undefined) {
      out.verifyTokenEncrypted = this.cipher.encrypt(dto.verify_token);
      out.verifyTokenLast4 = last4(dto.verify_token);
    }
    return out;
  }

  private refuseEnvironment(found: WhatsappNumber): void {
    if (found.fromEnvironment) {
      throw new ConflictException(
        'This number is configured through the WA_* variables; change it there',
      );
    }
  }
}
