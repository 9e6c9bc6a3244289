/**
 * Minimal multipart/form-data parser for POST /{phone-number-id}/media, which Meta documents as
 * a form with `messaging_product`, `type` (MIME type) and `file`. Enough for fetch/FormData,
 * curl -F and axios clients; not a general-purpose parser.
 */

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').trim() || null : null;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) {
      break;
    }
    // Each part sits between "--boundary\r\n" and "\r\n--boundary".
    const chunk = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined) {
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
        const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
        parts.push({
          name,
          data: chunk.subarray(headerEnd + 4),
          ...(filename === undefined ? {} : { filename }),
          ...(contentType === undefined ? {} : { contentType }),
        });
      }
    }
    start = next;
  }
  return parts;
}
