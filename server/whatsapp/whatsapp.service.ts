import { Injectable } from '@nestjs/common';
import type { BusinessProfileDto } from './dto/business-profile.dto.js';
import type { PhoneNumberDto } from './dto/phone-number.dto.js';
import type { TemplateDto, TemplateListResponseDto } from './dto/template-list-response.dto.js';
import type { VerifyResponseDto } from './dto/verify-response.dto.js';
import { GraphApiClient } from './graph-api.client.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { NumberTestResponseDto } from '../numbers/dto/number-response.dto.js';
import { NumbersService } from '../numbers/numbers.service.js';
import { GraphCredentialsProvider } from './graph-credentials.provider.js';

interface GraphPage<T> {
  data?: T[];
  paging?: { next?: string };
}

type RawPhoneNumber = Partial<
  Record<'id' | 'display_phone_number' | 'quality_rating' | 'status' | 'verified_name', string>
>;
type RawTemplate = Partial<Record<'id' | 'name' | 'status' | 'category' | 'language', string>> & {
  components?: Record<string, unknown>[];
};
type RawProfile = Partial<Record<Exclude<keyof BusinessProfileDto, 'websites'>, string>> & {
  websites?: string[];
};

const PROFILE_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';
const PHONE_FIELDS = 'id,display_phone_number,quality_rating,status,verified_name';
const TEMPLATE_FIELDS = 'id,name,status,category,language,components';
/** A WABA rarely has more than a few hundred templates; stop paging somewhere regardless. */
const MAX_TEMPLATE_PAGES = 20;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * SPEC's four read-only proxies to the Graph API, with Meta's answers narrowed to SPEC's
 * shapes. Errors come from GraphApiClient (502/503/504) and the credentials (503).
 */
@Injectable()
export class WhatsappService {
  constructor(
    private readonly graph: GraphApiClient,
    private readonly credentials: GraphCredentialsProvider,
    private readonly numbers: NumbersService,
  ) {}

  /**
   * "Test connection": GET /{phone-number-id} with the number's own token. Meta's refusal
   * is an answer here (ok: false with its message), not an error of this endpoint.
   */
  async testNumber(workspaceId: number, id: number): Promise<NumberTestResponseDto> {
    await this.numbers.get(workspaceId, id);
    try {
      const creds = await this.credentials.forWorkspace(workspaceId, id);
      const n = await this.graph.get<RawPhoneNumber>(creds, creds.phoneNumberId, {
        fields: 'id,display_phone_number,verified_name',
      });
      return {
        ok: true,
        display_phone_number: str(n.display_phone_number),
        verified_name: str(n.verified_name),
        error: null,
      };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { ok: false, display_phone_number: null, verified_name: null, error: err.message };
    }
  }

  /** Checks the token by reading the configured phone number. */
  async verify(workspaceId: number): Promise<VerifyResponseDto> {
    const creds = await this.credentials.forWorkspace(workspaceId);
    const number = await this.graph.get<{ id?: unknown }>(creds, creds.phoneNumberId, {
      fields: 'id',
    });
    return { status: 'ok', data: { id: str(number.id) ?? creds.phoneNumberId } };
  }

  async profile(workspaceId: number): Promise<BusinessProfileDto> {
    const creds = await this.credentials.forWorkspace(workspaceId);
    const page = await this.graph.get<GraphPage<RawProfile>>(
      creds,
      `${creds.phoneNumberId}/whatsapp_business_profile`,
      { fields: PROFILE_FIELDS },
    );
    const p = page.data?.[0] ?? {};
    return {
      about: str(p.about),
      address: str(p.address),
      description: str(p.description),
      email: str(p.email),
      profile_picture_url: str(p.profile_picture_url),
      websites: Array.isArray(p.websites) ? p.websites.filter((w) => typeof w === 'string') : [],
      vertical: str(p.vertical),
    };
  }

  async phoneNumbers(workspaceId: number): Promise<PhoneNumberDto[]> {
    const creds = await this.credentials.forWorkspace(workspaceId);
    const waba = this.credentials.requireBusinessAccount(creds);
    const page = await this.graph.get<GraphPage<RawPhoneNumber>>(creds, `${waba}/phone_numbers`, {
      fields: PHONE_FIELDS,
      limit: '100',
    });
    return (page.data ?? []).map((n) => ({
      id: str(n.id) ?? '',
      display_phone_number: str(n.display_phone_number) ?? '',
      quality_rating: str(n.quality_rating),
      status: str(n.status),
      verified_name: str(n.verified_name),
    }));
  }

  /** Every template of the account, following Graph's paging. */
  async templates(workspaceId: number): Promise<TemplateListResponseDto> {
    const creds = await this.credentials.forWorkspace(workspaceId);
    const waba = this.credentials.requireBusinessAccount(creds);
    let page = await this.graph.get<GraphPage<RawTemplate>>(creds, `${waba}/message_templates`, {
      fields: TEMPLATE_FIELDS,
      limit: '100',
    });
    const raw: RawTemplate[] = [...(page.data ?? [])];
    for (let pages = 1; page.paging?.next && pages < MAX_TEMPLATE_PAGES; pages++) {
      page = await this.graph.next<GraphPage<RawTemplate>>(creds, page.paging.next);
      raw.push(...(page.data ?? []));
    }
    return {
      data: raw.map((t): TemplateDto => ({
        id: str(t.id) ?? '',
        name: str(t.name) ?? '',
        status: str(t.status) ?? '',
        category: str(t.category) ?? '',
        language: str(t.language) ?? '',
        components: Array.isArray(t.components) ? t.components : [],
      })),
    };
  }
}
