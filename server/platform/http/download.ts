// Files handed to staff browsers (attachments, privacy-release documents): always a download,
// never rendered in our origin, never cached, under the name given in a header that a file name
// of the user's choosing cannot break.
import type { FastifyReply } from 'fastify';

/** RFC 6266 Content-Disposition: an ASCII fallback plus the exact name in UTF-8. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Sets the headers of a download of a stored file; the caller sends the body. */
export function asDownload(reply: FastifyReply, file: { fileName: string; contentType: string; size?: number | undefined }): FastifyReply {
  reply.header('content-disposition', contentDisposition(file.fileName));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'; sandbox");
  reply.header('cache-control', 'private, no-store');
  if (file.size !== undefined) reply.header('content-length', String(file.size));
  return reply.type(file.contentType);
}
