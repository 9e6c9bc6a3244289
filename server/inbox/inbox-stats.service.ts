import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface InboxTotals {
  totalMessages: number;
  totalContacts: number;
  totalConversations: number;
  inboundMessages: number;
  outboundMessages: number;
}

export interface DailyCount {
  /** UTC calendar day, YYYY-MM-DD. */
  date: string;
  inbound: number;
  outbound: number;
}

/** Counts over the inbox tables for the dashboard (the stats module serves them). */
@Injectable()
export class InboxStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Message counts come from `message_counts` (kept by triggers on messages, see its
   * migration): a few rows per day instead of every message. Contacts and conversations
   * are counted from their workspace indexes.
   */
  async totals(workspaceId: number): Promise<InboxTotals> {
    const [row] = await this.dataSource.query<
      { contacts: string; conversations: string; inbound: string; outbound: string }[]
    >(
      `SELECT (SELECT count(*) FROM contacts WHERE workspace_id = $1) AS contacts,
              (SELECT count(*) FROM conversations WHERE workspace_id = $1) AS conversations,
              coalesce(sum(inbound), 0) AS inbound,
              coalesce(sum(outbound), 0) AS outbound
         FROM message_counts WHERE workspace_id = $1`,
      [workspaceId],
    );
    const inbound = Number(row.inbound);
    const outbound = Number(row.outbound);
    return {
      totalMessages: inbound + outbound,
      totalContacts: Number(row.contacts),
      totalConversations: Number(row.conversations),
      inboundMessages: inbound,
      outboundMessages: outbound,
    };
  }

  /**
   * Inbound and outbound messages per UTC day (by the message's timestamp) for the last
   * `days` days, today included, oldest first, from `message_counts`; generate_series
   * supplies the quiet days.
   */
  async daily(workspaceId: number, days: number): Promise<DailyCount[]> {
    const rows = await this.dataSource.query<{ date: string; inbound: string; outbound: string }[]>(
      `WITH bounds AS (
         SELECT (now() AT TIME ZONE 'UTC')::date - ($2::int - 1) AS first_day,
                (now() AT TIME ZONE 'UTC')::date AS last_day
       ),
       counts AS (
         SELECT mc.day, sum(mc.inbound) AS inbound, sum(mc.outbound) AS outbound
           FROM message_counts mc, bounds b
          WHERE mc.workspace_id = $1 AND mc.day BETWEEN b.first_day AND b.last_day
          GROUP BY 1
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
              coalesce(c.inbound, 0) AS inbound,
              coalesce(c.outbound, 0) AS outbound
         FROM bounds b
        CROSS JOIN LATERAL generate_series(b.first_day::timestamp, b.last_day::timestamp, interval '1 day') AS g(ts)
        CROSS JOIN LATERAL (SELECT g.ts::date AS day) d
         LEFT JOIN counts c ON c.day = d.day
        ORDER BY d.day`,
      [workspaceId, days],
    );
    return rows.map((r) => ({
      date: r.date,
      inbound: Number(r.inbound),
      outbound: Number(r.outbound),
    }));
  }
}
