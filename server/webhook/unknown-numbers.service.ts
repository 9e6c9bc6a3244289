import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';
import { WebhookEvent } from './webhook-event.entity.js';

export interface UnknownNumberSummary {
  phone_number_id: string;
  display_phone_number: string | null;
  events: number;
  last_received_at: string;
}

/**
 * Webhooks for a phone number no workspace owns are kept (Meta stops retrying) but reach
 * nobody's inbox. The people who run the deployment — owners and admins of the first
 * workspace, which owns the environment's number — are told, so they can connect the number.
 * Everyone else gets an empty list: other tenants' number ids are not theirs to see.
 */
@Injectable()
export class UnknownNumbersService {
  constructor(
    @InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>,
    private readonly workspaces: WorkspacesService,
  ) {}

  async recent(user: AuthUser, days = 7): Promise<UnknownNumberSummary[]> {
    if (user.role === 'agent' || user.workspaceId !== (await this.workspaces.firstWorkspaceId())) {
      return [];
    }
    const rows = await this.events.query<
      {
        phone_number_id: string;
        display_phone_number: string | null;
        events: number;
        last_received_at: Date;
      }[]
    >(
      `SELECT c.value #>> '{value,metadata,phone_number_id}' AS phone_number_id,
              max(c.value #>> '{value,metadata,display_phone_number}') AS display_phone_number,
              count(DISTINCT e.id)::int AS events,
              max(e.received_at) AS last_received_at
         FROM webhook_events e
         CROSS JOIN LATERAL jsonb_array_elements(
           CASE WHEN jsonb_typeof(e.payload->'entry') = 'array' THEN e.payload->'entry' ELSE '[]' END) en
         CROSS JOIN LATERAL jsonb_array_elements(
           CASE WHEN jsonb_typeof(en.value->'changes') = 'array' THEN en.value->'changes' ELSE '[]' END) c
        WHERE e.outcome = 'unknown_number' AND e.received_at > now() - make_interval(days => $1)
          AND c.value #>> '{value,metadata,phone_number_id}' IS NOT NULL
        GROUP BY 1
        ORDER BY max(e.received_at) DESC
        LIMIT 20`,
      [days],
    );
    return rows.map((r) => ({
      ...r,
      last_received_at: new Date(r.last_received_at).toISOString(),
    }));
  }
}
