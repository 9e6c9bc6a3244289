import { ApiProperty } from '@nestjs/swagger';
import type { InboxTotals } from '../../inbox/inbox-stats.service.js';

/** SPEC's figures for the dashboard's Stats card, for the caller's workspace. */
export class StatsResponseDto {
  @ApiProperty({ description: 'All messages, inbound and outbound', example: 1250 })
  total_messages: number;

  @ApiProperty({ description: 'Contacts who ever wrote', example: 87 })
  total_contacts: number;

  @ApiProperty({ description: 'Conversations, open and closed', example: 112 })
  total_conversations: number;

  @ApiProperty({ description: 'Messages from customers', example: 800 })
  inbound_messages: number;

  @ApiProperty({ description: 'Messages from operators', example: 450 })
  outbound_messages: number;
}

export function toStatsResponse(totals: InboxTotals): StatsResponseDto {
  return {
    total_messages: totals.totalMessages,
    total_contacts: totals.totalContacts,
    total_conversations: totals.totalConversations,
    inbound_messages: totals.inboundMessages,
    outbound_messages: totals.outboundMessages,
  };
}
