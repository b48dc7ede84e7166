// The session cookie (RFC 6265): `tecsos_session=<43 base64url chars>; HttpOnly; SameSite=Strict; Path=/`,
// plus `Secure` when the gateway is served over TLS, and Max-Age equal to the session's absolute lifetime.

export const SESSION_COOKIE = 'tecsos_session';

/** The session id from a Cookie header, if any. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie value that opens a session. */
export function sessionCookie(id: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeS)}${secure ? '; Secure' : ''}`;
}

/** Set-Cookie value that removes it (logout). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
