/** Longer than any real token: an Authorization header past it is refused unread. */
export const MAX_TOKEN_CHARS = 16 * 1024;

/** The token of a `Bearer <token>` Authorization header; null for anything else (no header, another scheme, too long). */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_TOKEN_CHARS + 7) return null;
  const parts = header.split(' ');
  return parts.length === 2 && parts[0] === 'Bearer' && parts[1] ? parts[1] : null;
}
