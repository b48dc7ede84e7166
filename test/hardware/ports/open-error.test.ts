// The advice a port's open error gives (hardware/ports/errors.ts openError): the message is read by an operator
// in the gateway's log or the tool's output, so it must say what to do about what happened.
import { describe, expect, it } from 'vitest';
import { openError, PortErrorCode } from '../../../hardware/ports/errors.js';

const sysError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('openError', () => {
  it('out of file descriptors: says so, not "see the system error above" (nothing is above it)', () => {
    const e = openError('tcp://10.0.0.20:4001', sysError('EMFILE', 'connect EMFILE 10.0.0.20:4001 - Local (undefined:undefined)'));
    expect(e.code).toBe(PortErrorCode.IO);
    expect(e.message).toMatch(/^cannot open port tcp:\/\/10\.0\.0\.20:4001: connect EMFILE .*; the process has no file descriptors left \(raise `ulimit -n`/);
    expect(e.message).not.toMatch(/above/);
  });
  it('another unclassified error names where to look', () => {
    const e = openError('/dev/ttyUSB0', sysError('EIO', 'Input/output error'));
    expect(e.message).toBe('cannot open port /dev/ttyUSB0: Input/output error; the system error is given before this; check the device, its driver (dmesg) and the path');
  });
});
