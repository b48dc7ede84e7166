// `--flag=value` on the simulator's command lines (`npm run sim -- --config=sim.json`, `npm run sim -- modem
// --listen=tcp://127.0.0.1:7001`) means the same as `--flag value`; before, both were "unknown option".
import { describe, expect, it } from 'vitest';
import { parseModemArgs } from '../../../firmware-sim/cli/modem-command.js';
import { parseSimArgs } from '../../../firmware-sim/sim/args.js';

describe('--flag=value on the simulator command lines', () => {
  it('the full simulation takes --config=, --registry-out=, --seed= and the port flags', () => {
    expect(parseSimArgs(['--config=sim.json', '--registry-out=out/reg.json', '--seed=42', '--bank-base=0', '--interactive'])).toMatchObject({
      configFile: 'sim.json',
      registryOut: 'out/reg.json',
      seed: 42,
      interactive: true,
      ports: { bankBase: 0 },
    });
    expect(() => parseSimArgs(['--colour=red'])).toThrow(/unknown option --colour/);
  });

  it('the standalone modem takes --listen= and --pty=', () => {
    expect(parseModemArgs(['--listen=tcp://127.0.0.1:7001', '--pty=/tmp/m0'])).toMatchObject({ host: '127.0.0.1', port: 7001, ptyPath: '/tmp/m0' });
  });
});

describe('--flag=value splits flags only, never a value', () => {
  it('a value after a flag is taken whole, even one that starts with -- and holds an = (as before --flag=value)', () => {
    expect(parseSimArgs(['--registry-out', '--out=x.json', '--seed=7']).registryOut).toBe('--out=x.json');
    expect(parseSimArgs(['--interactive', '--seed=7', '--pty-dir', '--d=1'])).toMatchObject({ interactive: true, seed: 7, ports: { ptyDir: '--d=1' } });
    expect(parseModemArgs(['--listen', 'tcp://127.0.0.1:7001', '--pty', '--p=q']).ptyPath).toBe('--p=q');
  });
});
