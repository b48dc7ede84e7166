import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../gateway/config/config.js';

function file(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-config-'));
  const f = path.join(dir, 'gateway.json');
  writeFileSync(f, content);
  return f;
}

describe('gateway configuration', () => {
  it('takes lines and registry from the command line, with defaults for the rest', () => {
    const c = loadConfig(['--lines', 'tcp://127.0.0.1:7101,tcp://127.0.0.1:7102', '--registry', 'data/sim-registry.json'], {});
    expect(c.lines).toEqual(['tcp://127.0.0.1:7101', 'tcp://127.0.0.1:7102']);
    expect(c.registry).toBe('data/sim-registry.json');
    expect(c.http).toBe('127.0.0.1:8080');
    expect(c.db).toBe('./data/tecsos.db');
  });

  it('lets the environment override the file and the command line override both', () => {
    const f = file(JSON.stringify({ db: '/from/file.db', http: '0.0.0.0:9000' }));
    const c = loadConfig(['--config', f, '--http', '127.0.0.1:8081'], { TECSOS_DB: '/from/env.db' });
    expect(c.db).toBe('/from/env.db');
    expect(c.http).toBe('127.0.0.1:8081');
  });

  it('names every bad field', () => {
    const f = file(JSON.stringify({ lines: ['tcp://127.0.0.1:7101', 'COM3'], tecsosRanges: [{ force: 'X', first: '07700', last: '+447700900999' }] }));
    let err: unknown;
    try {
      loadConfig(['--config', f], {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('lines.1: a port spec');
    expect(msg).toContain('tecsosRanges.0.first');
  });

  it('a config file that is not JSON is refused without quoting its text (the demo password)', () => {
    expect(() => loadConfig(['--config', file(`{"demoUsers": true, "demoPassword": 'Secret-demo-pass'}`)], {})).toThrow(/not valid JSON: Unexpected token/);
    expect(() => loadConfig(['--config', file(`{"demoUsers": true, "demoPassword": 'Secret-demo-pass'}`)], {})).not.toThrow(/Secret|demoPassword/);
  });

  it('reads a file saved with a byte order mark (Windows Notepad) and refuses one that is not UTF-8', () => {
    // Before, the BOM was refused as "Unexpected token" followed by a character that prints as nothing, with the
    // advice to check the file with jq, which reads it fine.
    expect(loadConfig(['--config', file('\uFEFF{"http": "127.0.0.1:8089"}')], {}).http).toBe('127.0.0.1:8089');
    const latin1 = path.join(mkdtempSync(path.join(tmpdir(), 'tecsos-config-')), 'gateway.json');
    writeFileSync(latin1, Buffer.from('{"tilesAttribution": "\xa9 OpenStreetMap contributors"}', 'latin1'));
    expect(() => loadConfig(['--config', latin1], {})).toThrow(/is not UTF-8 text/);
  });

  it('a device given as the config file is refused after 1 MiB, not read for ever', () => {
    // Before, --config /dev/zero grew the gateway without bound and it never started.
    expect(() => loadConfig(['--config', '/dev/zero'], {})).toThrow(/config file \/dev\/zero is larger than 1048576 bytes/);
  });

  it('refuses unknown fields, unknown flags, unreadable and non-JSON files', () => {
    expect(() => loadConfig(['--config', file('{"linez": []}')], {})).toThrow(/linez/);
    expect(() => loadConfig(['--bogus'], {})).toThrow(/unknown option --bogus/);
    expect(() => loadConfig(['--config', '/nonexistent/gw.json'], {})).toThrow(/cannot read config file/);
    expect(() => loadConfig(['--config', file('[1,2')], {})).toThrow(/not valid JSON/);
    expect(() => loadConfig(['--lines'], {})).toThrow(/--lines needs a value/);
  });
});

describe('the map tile template (TECSOS_TILES)', () => {
  // The console's CSP allows images from https: and the gateway itself only; docs/console.md offers both forms.
  it('accepts an https template and a path on the gateway', () => {
    expect(loadConfig([], { TECSOS_TILES: 'https://tiles.example.org/{z}/{x}/{y}.png' }).tiles).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(loadConfig([], { TECSOS_TILES: '/tiles/{z}/{x}/{y}.png' }).tiles).toBe('/tiles/{z}/{x}/{y}.png');
  });

  it('refuses an http template or one without {z}/{x}/{y} as a configuration error naming the field', () => {
    // Before, an http:// template passed this check and crashed the HTTP edge's start with a stack trace (exit 1).
    expect(() => loadConfig([], { TECSOS_TILES: 'http://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TECSOS_TILES: 'http://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(/tiles: an https:\/\//);
    expect(() => loadConfig([], { TECSOS_TILES: 'https://tiles.example.org/tile.png' })).toThrow(/tiles:/);
  });

  it('takes the tile server\'s credit (TECSOS_TILES_ATTRIBUTION) as one line of text, and refuses anything else', () => {
    const env = { TECSOS_TILES: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', TECSOS_TILES_ATTRIBUTION: '© OpenStreetMap contributors' };
    expect(loadConfig([], env).tilesAttribution).toBe('© OpenStreetMap contributors');
    expect(loadConfig([], { TECSOS_TILES: env.TECSOS_TILES }).tilesAttribution).toBeUndefined();
    expect(() => loadConfig([], { ...env, TECSOS_TILES_ATTRIBUTION: 'two\nlines' })).toThrow(/tilesAttribution: one line of plain text/);
    expect(() => loadConfig([], { ...env, TECSOS_TILES_ATTRIBUTION: 'x'.repeat(201) })).toThrow(ConfigError);
  });
});

describe('the listen address (--http, TECSOS_HTTP)', () => {
  it('takes host:port and a bracketed IPv6 address, as docs/api.md says', () => {
    expect(loadConfig(['--http', '0.0.0.0:8080'], {}).http).toBe('0.0.0.0:8080');
    expect(loadConfig([], { TECSOS_HTTP: '[::1]:8080' }).http).toBe('[::1]:8080');
  });

  it('refuses an address without a port, or an IPv6 address without brackets', () => {
    expect(() => loadConfig(['--http', '127.0.0.1'], {})).toThrow(/http: host:port/);
    expect(() => loadConfig(['--http', '::1:8080'], {})).toThrow(/http: host:port/);
  });
});

describe('command-line forms operators write', () => {
  it('--flag=value is the same as --flag value', () => {
    const c = loadConfig(['--lines=tcp://127.0.0.1:7101,tcp://127.0.0.1:7102', '--registry=data/sim-registry.json', '--http=127.0.0.1:9090', '--db=/tmp/x.db'], {});
    expect(c.lines).toEqual(['tcp://127.0.0.1:7101', 'tcp://127.0.0.1:7102']);
    expect(c.registry).toBe('data/sim-registry.json');
    expect(c.http).toBe('127.0.0.1:9090');
    expect(c.db).toBe('/tmp/x.db');
    expect(() => loadConfig(['--demo-users=1'], {})).toThrow(/--demo-users takes no value/);
    expect(() => loadConfig(['--bogus=1'], {})).toThrow(/unknown option --bogus/);
  });

  it('--lines given twice keeps both lines rather than only the last', () => {
    const c = loadConfig(['--lines', 'tcp://127.0.0.1:7101', '--lines', 'tcp://127.0.0.1:7102,/dev/ttyUSB0'], {});
    expect(c.lines).toEqual(['tcp://127.0.0.1:7101', 'tcp://127.0.0.1:7102', '/dev/ttyUSB0']);
  });
});

describe('port specs in the configuration are the ones openPort takes (hardware/ports)', () => {
  it('accepts a device path outside /dev (a socat pty), tcp://[v6]:port and a trailing slash', () => {
    const specs = ['/tmp/tecsos-sim/line1', '/dev/serial/by-id/usb-FTDI_FT232R_A1-if00-port0?baud=115200', 'tcp://[::1]:7101', 'tcp://127.0.0.1:7102/', 'mock:L1'];
    expect(loadConfig(['--lines', specs.join(',')], {}).lines).toEqual(specs);
  });

  it('still refuses what cannot open, saying why', () => {
    expect(() => loadConfig(['--lines', 'tcp://127.0.0.1'], {})).toThrow(/lines\.0: a port spec.*missing TCP port/);
    expect(() => loadConfig(['--lines', 'ttyUSB0'], {})).toThrow(/lines\.0: a port spec.*not an absolute device path/);
    expect(() => loadConfig(['--lines', 'COM3'], {})).toThrow(/lines\.0: a port spec/);
  });
});

describe('TECSOS_DEMO_USERS', () => {
  it('1, true and yes create the demo users; 0, false, no and unset do not', () => {
    for (const v of ['1', 'true', 'TRUE', 'yes']) expect(loadConfig([], { TECSOS_DEMO_USERS: v }).demoUsers).toBe(true);
    for (const v of ['0', 'false', 'no', '']) expect(loadConfig([], { TECSOS_DEMO_USERS: v }).demoUsers).toBe(false);
    expect(loadConfig([], {}).demoUsers).toBe(false);
  });

  it('any other value stops the start naming the variable, instead of starting without the users asked for', () => {
    expect(() => loadConfig([], { TECSOS_DEMO_USERS: 'on please' })).toThrow(ConfigError);
    expect(() => loadConfig([], { TECSOS_DEMO_USERS: '2' })).toThrow(/TECSOS_DEMO_USERS must be 1/);
  });

  it('on and off, as people also write a switch (and as a port spec takes rtscts and lock), are not refused', () => {
    // Before 3be936c any value but 1 started the gateway without the demo users: a service file with
    // TECSOS_DEMO_USERS=off must still start after the upgrade, not exit 2.
    expect(loadConfig([], { TECSOS_DEMO_USERS: 'off' }).demoUsers).toBe(false);
    expect(loadConfig([], { TECSOS_DEMO_USERS: 'OFF' }).demoUsers).toBe(false);
    expect(loadConfig([], { TECSOS_DEMO_USERS: 'on' }).demoUsers).toBe(true);
  });
});

describe('hostnames (the names consoles reach the gateway by: DNS rebinding)', () => {
  it('none by default; --hostnames (repeatable, comma-separated), TECSOS_HOSTNAMES or the file', () => {
    expect(loadConfig([], {}).hostnames).toEqual([]);
    expect(loadConfig(['--hostnames', 'cr.force.example, gw01', '--hostnames=gw01.force.example'], {}).hostnames).toEqual(['cr.force.example', 'gw01', 'gw01.force.example']);
    expect(loadConfig([], { TECSOS_HOSTNAMES: 'cr.force.example,gw01' }).hostnames).toEqual(['cr.force.example', 'gw01']);
    expect(loadConfig(['--config', file(JSON.stringify({ hostnames: ['cr.force.example'] }))], {}).hostnames).toEqual(['cr.force.example']);
    expect(loadConfig(['--hostnames', 'a.example'], { TECSOS_HOSTNAMES: 'b.example' }).hostnames).toEqual(['a.example']);
  });

  it('refuses a URL, a port or a wildcard, naming the field', () => {
    for (const bad of ['https://cr.force.example', 'cr.force.example:8080', '*.force.example', 'cr force']) {
      expect(() => loadConfig(['--hostnames', bad], {})).toThrow(/hostnames\.0: a host name such as console\.force\.example \(no scheme, no port\)/);
    }
    expect(() => loadConfig([], { TECSOS_HOSTNAMES: 'ok.example,http://x' })).toThrow(/hostnames\.1: a host name/);
  });
});
