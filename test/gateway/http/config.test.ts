import { describe, expect, it } from 'vitest';
import { httpConfigFromEnv } from '../../../gateway/http/config.js';
import { originAllowed } from '../../../gateway/http/origin.js';
import { readSessionCookie } from '../../../gateway/http/session-cookie.js';

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

describe('originAllowed', () => {
  it('allows same-origin, listed origins and non-browser clients; refuses the rest', () => {
    expect(originAllowed({ host: 'gw:8080', origin: 'http://gw:8080' }, [])).toBe(true);
    expect(originAllowed({ host: 'gw:8080', origin: 'https://gw:8080' }, [])).toBe(true);
    expect(originAllowed({ host: 'gw:8080', origin: 'http://gw:8081' }, [])).toBe(false);
    expect(originAllowed({ host: 'gw:8080', origin: 'https://evil.example' }, [])).toBe(false);
    expect(originAllowed({ host: 'gw:8080', origin: 'https://cr.example' }, ['https://cr.example'])).toBe(true);
    expect(originAllowed({ host: 'gw:8080', origin: 'null' }, [])).toBe(false);
    expect(originAllowed({ host: 'gw:8080' }, [])).toBe(true);
    expect(originAllowed({ host: 'gw:8080', 'sec-fetch-site': 'cross-site' }, [])).toBe(false);
  });
});

describe('readSessionCookie', () => {
  it('finds the session cookie among others', () => {
    expect(readSessionCookie('a=1; tecsos_session=abc; b=2')).toBe('abc');
    expect(readSessionCookie('a=1')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });
});
