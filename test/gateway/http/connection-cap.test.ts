// The HTTP edge's connection cap within the process's file descriptor limit (gateway/http/connection-cap.ts).
import { describe, expect, it } from 'vitest';
import { connectionCap, openFilesLimit } from '../../../gateway/http/connection-cap.js';

const limits = (soft: string, hard: string) => `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            ${soft.padEnd(20)} ${hard.padEnd(20)} files
Max locked memory         8388608              8388608              bytes
`;

describe('connection cap', () => {
  it('is the configured cap under a high limit, and half the descriptors under a low `ulimit -n`', () => {
    expect(connectionCap(2000, limits('524288', '524288'))).toBe(2000);
    expect(connectionCap(2000, limits('256', '4096'))).toBe(128);
    expect(connectionCap(2000, limits('1024', '1024'))).toBe(512);
  });
  it('is the configured cap when the limit cannot be read (not Linux) or is unlimited', () => {
    expect(connectionCap(2000, undefined)).toBe(2000);
    expect(connectionCap(2000, limits('unlimited', 'unlimited'))).toBe(2000);
    expect(openFilesLimit('garbage')).toBeUndefined();
  });
});
