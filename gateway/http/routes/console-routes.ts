// The console (issue 6) served at `/` from a directory of built files (`consoleDir`, e.g. console/dist), when
// one is configured. Only GET/HEAD of regular files inside that directory: `..`, symlinks out of it, dot-files
// and directories are 404. `/` is index.html. Headers: a Content-Security-Policy that allows only the gateway
// itself for scripts, styles (plus inline styles, which Leaflet sets) and connections (REST and /ws), and images
// from https: (a deployment's tile server, TECSOS_TILES). Every file is `no-cache` with an ETag (a hash of its
// content: a size and time could match across builds copied with their times kept): the browser keeps it and
// asks each time, a 304 when it is unchanged. The built files keep
// their names from one build to the next (console/dist/app.js), so an asset cached for minutes ran the old
// console beside a new gateway (or a new page with old code) after an upgrade until it expired.
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EdgeContext, RouteSpec } from '../context.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "media-src 'self' data: blob:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The file under `root` for a URL path, or undefined when there is none that may be served. */
export async function consoleFile(root: string, urlPath: string): Promise<string | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] as string);
  } catch {
    return undefined;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0') || rel.split('/').some((seg) => seg.startsWith('.'))) return undefined;
  try {
    const base = await realpath(root);
    const file = await realpath(path.join(base, path.normalize(rel)));
    if (!file.startsWith(base + path.sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export function consoleRoutes(ctx: EdgeContext, consoleDir: string | undefined): RouteSpec[] {
  if (consoleDir === undefined) return [];
  return [
    {
      method: 'GET',
      url: '/*',
      access: 'public',
      handler: async (req, reply) => {
        const url = req.url;
        if (url.startsWith('/api/') || url === '/api' || url.startsWith('/ws')) {
          throw new HttpError(404, HTTP_ERRORS.notFound, `no route ${req.method} ${url.split('?')[0]}`);
        }
        const file = await consoleFile(consoleDir, url);
        // Every browser asks for /favicon.ico: without a file of that name it was a 404, logged, for each console
        // opened. No content, kept a day.
        if (file === undefined && url.split('?')[0] === '/favicon.ico') return reply.code(204).header('cache-control', 'public, max-age=86400').send();
        if (file === undefined) throw new HttpError(404, HTTP_ERRORS.notFound, 'no such file');
        const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        const body = await readFile(file);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
        reply.header('content-security-policy', CONSOLE_CSP);
        reply.header('cache-control', 'no-cache');
        reply.header('etag', etag);
        ctx.logger.debug({ file }, 'console file');
        const asked = req.headers['if-none-match'];
        if (typeof asked === 'string' && asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send();
        return reply.type(type).send(body);
      },
    },
  ];
}
