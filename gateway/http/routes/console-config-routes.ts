// GET /api/console-config (signed in): what the console needs to know about this deployment that is not an
// event. Today: the map tile server, `TECSOS_TILES`, a Leaflet URL template such as
// `https://tiles.example.police.uk/{z}/{x}/{y}.png` (answer `{"tiles": "<template>"}`, or `{"tiles": null}` when
// none is configured: the console then shows its offline Natural Earth basemap alone), and, when the deployment
// sets one, the credit its licence asks for (`TECSOS_TILES_ATTRIBUTION`, plain text: `"tilesAttribution": "©
// OpenStreetMap contributors"`; absent when not set, and then the map says "deployment tile server").
// The console's Content-Security-Policy (console-routes.ts) allows images from https: only, so the template
// must be https (or a path on the gateway itself, starting with `/`). A bad value stops the start.
import type { EdgeContext, RouteSpec } from '../context.js';

/** The tile URL template from the environment, checked; undefined when not set. */
export function tilesFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = env['TECSOS_TILES']?.trim();
  if (v === undefined || v === '') return undefined;
  const ok = (v.startsWith('https://') || (v.startsWith('/') && !v.startsWith('//'))) && ['{z}', '{x}', '{y}'].every((p) => v.includes(p)) && v.length <= 500;
  if (!ok) throw new Error(`TECSOS_TILES must be an https:// (or /path) tile URL template with {z}, {x} and {y}, at most 500 characters, got '${v}'`);
  return v;
}

/** The tile server's credit from the environment, checked (one line of plain text); undefined when not set. */
export function tilesAttributionFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = env['TECSOS_TILES_ATTRIBUTION']?.trim();
  if (v === undefined || v === '') return undefined;
  if (v.length > 200 || /[\x00-\x1f\x7f]/.test(v)) throw new Error(`TECSOS_TILES_ATTRIBUTION must be one line of plain text, at most 200 characters`);
  return v;
}

/**
 * `tiles`: the template from the gateway's configuration (already checked), else TECSOS_TILES from `env`;
 * `tilesAttribution` the same way.
 */
export function consoleConfigRoutes(
  _ctx: EdgeContext,
  env: Readonly<Record<string, string | undefined>>,
  configured?: string,
  configuredAttribution?: string,
): RouteSpec[] {
  const tiles = configured ?? tilesFromEnv(env) ?? null;
  const tilesAttribution = configuredAttribution ?? tilesAttributionFromEnv(env);
  return [
    {
      method: 'GET',
      url: '/api/console-config',
      access: 'signed-in',
      handler: async (_req, reply) => {
        reply.header('cache-control', 'no-store');
        return tilesAttribution === undefined ? { tiles } : { tiles, tilesAttribution };
      },
    },
  ];
}
