import type { MediaFile } from './media-file.entity.js';

/** Types a browser may show in the page; anything else is offered as a download. */
const INLINE = /^(image\/(jpeg|png|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+)(;|$)/i;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'application/pdf': 'pdf',
};

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Headers for serving a customer's file from our own origin. The content is untrusted
 * (an SVG or HTML "document" could carry script), so: no sniffing, a sandboxing CSP, and
 * `attachment` for anything but plain images, audio and video.
 */
export function mediaHeaders(
  file: Pick<MediaFile, 'messageId' | 'mimeType' | 'fileName' | 'sha256' | 'fileSize'>,
): Record<string, string> {
  const base = file.mimeType.split(';')[0].trim().toLowerCase();
  const name = file.fileName ?? `message-${file.messageId}.${EXTENSIONS[base] ?? 'bin'}`;
  return {
    'Content-Type': file.mimeType,
    'Content-Length': String(file.fileSize),
    'Content-Disposition': contentDisposition(
      INLINE.test(file.mimeType) ? 'inline' : 'attachment',
      name,
    ),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    // The bytes of a message never change.
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${file.sha256}"`,
  };
}
