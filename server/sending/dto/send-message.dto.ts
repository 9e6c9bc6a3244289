import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { MAX_ID } from '../../common/pagination/page-query.dto.js';

export const MESSAGE_KINDS = ['text', 'template', 'media', 'reaction'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
/** Meta accepts captions on these media types only. */
export const CAPTIONED_MEDIA: readonly MediaType[] = ['image', 'video', 'document'];

/** Meta's limit on a text message body. */
export const MAX_TEXT_LENGTH = 4096;

const given = (value: unknown): boolean => value !== undefined && value !== null;

export function kindsOf(dto: object): MessageKind[] {
  return MESSAGE_KINDS.filter((kind) => given((dto as Record<string, unknown>)[kind]));
}

/**
 * The body carries exactly one kind of message. Put on `text`, and run first (class-validator
 * runs the decorator nearest the property first): with none given, the error names `text`
 * and lists the choices; with several, it names the kinds given.
 */
function ExactlyOneKind(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'exactlyOneKind',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => kindsOf(args.object).length === 1,
        defaultMessage: (args?: ValidationArguments) => {
          const kinds = args ? kindsOf(args.object) : [];
          return kinds.length === 0
            ? 'text is required unless the message is a template, media or reaction (give exactly one of text, template, media, reaction)'
            : `give exactly one of text, template, media, reaction (got ${kinds.join(' and ')})`;
        },
      },
    });
}

/** `media` names its file either by an uploaded id or by a link, not both. */
function IdOrLink(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'idOrLink',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => {
          const media = args.object as MediaMessageDto;
          return given(media.id) !== given(media.link);
        },
        defaultMessage: () =>
          'media needs exactly one of id (an uploaded media id) or link (an https URL)',
      },
    });
}

/** A media field Meta accepts on some media types only (caption, filename). */
function OnlyForMediaTypes(types: readonly MediaType[]): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyForMediaTypes',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          types.includes((args.object as MediaMessageDto).type),
        defaultMessage: (args?: ValidationArguments) =>
          `media.${args?.property ?? 'field'} is only allowed for ${types.join(', ')}`,
      },
    });
}

export class TemplateMessageDto {
  @ApiProperty({
    description: 'Name of an approved template (GET /api/whatsapp/templates)',
    example: 'order_update',
  })
  @IsString()
  @Matches(/^[a-z0-9_]{1,512}$/, {
    message: 'template.name must be a template name (lowercase letters, digits, underscores)',
  })
  name: string;

  @ApiProperty({ description: "The template's language code", example: 'en_US' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, {
    message: 'template.language must be a language code such as en or en_US',
  })
  language: string;

  @ApiPropertyOptional({
    description: "Meta's template components with the parameter values, passed through as given",
    example: [{ type: 'body', parameters: [{ type: 'text', text: '#10042' }] }],
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true, message: 'template.components must be a list of objects' })
  components?: Record<string, unknown>[];
}

export class MediaMessageDto {
  @ApiProperty({ description: 'Kind of media', enum: MEDIA_TYPES, example: 'image' })
  @IsIn(MEDIA_TYPES, { message: `media.type must be one of ${MEDIA_TYPES.join(', ')}` })
  type: MediaType;

  @ApiPropertyOptional({
    description: 'Id of media uploaded to Meta (give id or link)',
    example: '1013859600285441',
  })
  @ValidateIf((m: MediaMessageDto) => given(m.id) || !given(m.link))
  @Length(1, 128)
  @IsString()
  @IdOrLink()
  id?: string;

  @ApiPropertyOptional({
    description: 'Public URL Meta downloads the media from (give id or link)',
    example: 'https://example.com/catalog.pdf',
  })
  @ValidateIf((m: MediaMessageDto) => given(m.link))
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true },
    { message: 'media.link must be an http(s) URL' },
  )
  link?: string;

  @ApiPropertyOptional({
    description: 'Caption (image, video and document only)',
    example: 'Our spring catalogue',
  })
  @IsOptional()
  @Length(1, 1024)
  @IsString()
  @OnlyForMediaTypes(CAPTIONED_MEDIA)
  caption?: string;

  @ApiPropertyOptional({
    description: 'File name shown to the customer (document only)',
    example: 'catalogue.pdf',
  })
  @IsOptional()
  @Length(1, 240)
  @IsString()
  @OnlyForMediaTypes(['document'])
  filename?: string;
}

export class ReactionMessageDto {
  @ApiProperty({ description: 'Id of the message (ours) to react to', example: 42 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  message_id: number;

  @ApiProperty({
    description: 'The emoji; an empty string removes an earlier reaction',
    example: '👍',
  })
  @IsString()
  @MaxLength(32)
  emoji: string;
}

/** POST /api/conversations/:id/messages: exactly one of text, template, media, reaction. */
export class SendMessageDto {
  @ApiPropertyOptional({
    description: `Text message, 1..${MAX_TEXT_LENGTH} characters (links get a preview)`,
    example: 'Your order left our warehouse this morning.',
  })
  @ValidateIf((dto: SendMessageDto) => given(dto.text) || kindsOf(dto).length === 0)
  @Matches(/\S/, { message: 'text must not be blank' })
  @Length(1, MAX_TEXT_LENGTH, { message: `text must be 1 to ${MAX_TEXT_LENGTH} characters long` })
  @IsString()
  @ExactlyOneKind()
  text?: string;

  @ApiPropertyOptional({
    description: 'An approved template: the only kind allowed outside the 24-hour window',
    type: TemplateMessageDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TemplateMessageDto)
  template?: TemplateMessageDto;

  @ApiPropertyOptional({
    description: 'An image, video, audio, document or sticker',
    type: MediaMessageDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MediaMessageDto)
  media?: MediaMessageDto;

  @ApiPropertyOptional({
    description: 'A reaction to a message of this conversation',
    type: ReactionMessageDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReactionMessageDto)
  reaction?: ReactionMessageDto;

  @ApiPropertyOptional({
    description: 'Id of the message (ours) this one replies to; the customer sees it quoted',
    example: 41,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  reply_to_message_id?: number;
}
