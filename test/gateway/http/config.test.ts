import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { httpConfigFromEnv } from '../../../gateway/http/config.js';
import { checkOrigin } from '../../../gateway/http/origin.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from '../../../gateway/http/session-cookie.js';

describe('httpConfigFromEnv', () => {
  it('defaults to 127.0.0.1:8080 and reads TECSOS_HTTP, TECSOS_ORIGINS and the flags', () => {
    expect(httpConfigFromEnv({})).toMatchObject({ host: '127.0.0.1', port: 8080, secureCookies: false, allowedOrigins: [] });
    const c = httpConfigFromEnv({ TECSOS_HTTP: '0.0.0.0:9000', TECSOS_ORIGINS: 'https://cr.example.org, http://10.0.0.5:8080', TECSOS_SECURE_COOKIES: '1' });
    expect(c).toMatchObject({ host: '0.0.0.0', port: 9000, secureCookies: true, allowedOrigins: ['https://cr.example.org', 'http://10.0.0.5:8080'] });
    expect(httpConfigFromEnv({ TECSOS_HTTP: '[::1]:8081' })).toMatchObject({ host: '::1', port: 8081 });
    expect(httpConfigFromEnv({}).maxConnections).toBe(2000);
    expect(httpConfigFromEnv({ TECSOS_MAX_CONNECTIONS: '5000' }).maxConnections).toBe(5000);
  });

  it('names the bad variable in its error', () => {
    expect(() => httpConfigFromEnv({ TECSOS_HTTP: '8080' })).toThrow(/TECSOS_HTTP must be host:port/);
    expect(() => httpConfigFromEnv({ TECSOS_HTTP: 'localhost:70000' })).toThrow(/TECSOS_HTTP/);
    expect(() => httpConfigFromEnv({ TECSOS_ORIGINS: 'https://x.example/path' })).toThrow(/TECSOS_ORIGINS/);
    expect(() => httpConfigFromEnv({ TECSOS_SECURE_COOKIES: 'yes' })).toThrow(/TECSOS_SECURE_COOKIES must be 1 or 0/);
    expect(() => httpConfigFromEnv({ TECSOS_MAX_CONNECTIONS: 'lots' })).toThrow(/TECSOS_MAX_CONNECTIONS must be a whole number/);
    expect(() => httpConfigFromEnv({ TECSOS_MAX_CONNECTIONS: '3' })).toThrow(/TECSOS_MAX_CONNECTIONS/);
  });
});

describe('checkOrigin', () => {
  // `gw` is one of the gateway's names here (configured); before DNS-rebinding was closed any Host was.
  const config = { allowedOrigins: [] as string[], host: '127.0.0.1', hostnames: ['gw'] };
  const allowed = (headers: Record<string, string>, allowedOrigins: string[] = []) => checkOrigin(headers, { ...config, allowedOrigins }).ok;
  it('allows same-origin, listed origins and non-browser clients; refuses the rest', () => {
    expect(allowed({ host: 'gw:8080', origin: 'http://gw:8080' })).toBe(true);
    expect(allowed({ host: 'gw:8080', origin: 'https://gw:8080' })).toBe(true);
    expect(allowed({ host: 'gw:8080', origin: 'http://gw:8081' })).toBe(false);
    expect(allowed({ host: 'gw:8080', origin: 'https://evil.example' })).toBe(false);
    expect(allowed({ host: 'gw:8080', origin: 'https://cr.example' }, ['https://cr.example'])).toBe(true);
    expect(allowed({ host: 'gw:8080', origin: 'null' })).toBe(false);
    expect(allowed({ host: 'gw:8080' })).toBe(true);
    expect(allowed({ host: 'gw:8080', 'sec-fetch-site': 'cross-site' })).toBe(false);
  });

  it('matches a listed origin whole, not as a prefix; refuses an Origin without a Host, or not http(s)', () => {
    expect(allowed({ host: 'gw:8080', origin: 'https://cr.example.evil.example' }, ['https://cr.example'])).toBe(false);
    expect(allowed({ host: 'gw:8080', origin: 'https://cr.example:8443' }, ['https://cr.example'])).toBe(false);
    expect(checkOrigin({ origin: 'http://gw:8080' }, config)).toEqual({ ok: false, reason: 'foreign-origin' }); // HTTP/1.0: no Host to name
    expect(allowed({ host: 'gw:8080', origin: 'ftp://gw:8080' })).toBe(false);
  });

  it('refuses a same-origin request whose Host is not a name of the gateway (DNS rebinding), naming the host', () => {
    expect(checkOrigin({ host: 'evil.example:8080', origin: 'http://evil.example:8080' }, config)).toEqual({ ok: false, reason: 'foreign-host', host: 'evil.example:8080' });
    expect(checkOrigin({ host: 'gw:8080', origin: 'https://evil.example' }, config)).toEqual({ ok: false, reason: 'foreign-origin' });
    expect(allowed({ host: 'evil.example:8080' })).toBe(true);
    for (const host of ['127.0.0.1:8080', '192.168.1.20', 'localhost:8080', '[::1]:8080', '[fe80::1]', `${hostname()}:8080`, 'GW.:8080']) {
      expect({ host, ok: allowed({ host, origin: `http://${host}` }) }).toEqual({ host, ok: true });
    }
    for (const host of ['gw.evil.example:8080', '127.0.0.1.nip.io:8080', 'localhost.evil.example', '[::1].evil.example']) {
      expect({ host, ok: allowed({ host, origin: `http://${host}` }) }).toEqual({ host, ok: false });
    }
  });
});

describe('readSessionCookie', () => {
  it('finds the session cookie among others', () => {
    expect(readSessionCookie('a=1; tecsos_session=abc; b=2')).toBe('abc');
    expect(readSessionCookie('a=1')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });

  it('reads only the cookie of exactly that name', () => {
    expect(readSessionCookie('x_tecsos_session=evil; tecsos_session=abc')).toBe('abc');
    expect(readSessionCookie('x_tecsos_session=evil')).toBeUndefined();
  });
});

describe('session cookie attributes', () => {
  it('opens a session for the whole site (the console, /api and the /ws upgrade), HttpOnly, SameSite=Strict; Secure under TLS', () => {
    const id = 'A'.repeat(43);
    expect(sessionCookie(id, 43_200.9, false)).toBe(`tecsos_session=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    expect(sessionCookie(id, 3600, true)).toBe(`tecsos_session=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure`);
  });

  it('clears it with the same attributes', () => {
    expect(clearedSessionCookie(false)).toBe('tecsos_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(clearedSessionCookie(true)).toBe('tecsos_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });
});
