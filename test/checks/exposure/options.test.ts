import { describe, expect, it } from 'vitest';
import tlsCertificate from '../../../checks/exposure/tls-certificate.js';
import { exposureCliTarget, exposureTargetOptions, parseEndpoint, targetKey } from '../../../checks/exposure/options.js';

describe('exposure target options', () => {
  it('parses endpoints: names, IPv4, bracketed IPv6; refuses the rest with a reason', () => {
    expect(parseEndpoint('db.internal:5432')).toEqual({ host: 'db.internal', port: 5432 });
    expect(parseEndpoint('10.0.0.5:6379')).toEqual({ host: '10.0.0.5', port: 6379 });
    expect(parseEndpoint('[::1]:22')).toEqual({ host: '::1', port: 22 });
    expect(parseEndpoint('db.internal')).toMatch(/is not host:port/);
    expect(parseEndpoint('10.0.0.0/24:22')).toMatch(/is not host:port|not a CIDR/);
    expect(parseEndpoint('h:0')).toMatch(/out of range/);
  });

  it('--target splits hosts to sweep from endpoints to probe directly', () => {
    expect(exposureCliTarget('127.0.0.1')).toEqual({ hosts: ['127.0.0.1'] });
    expect(exposureCliTarget('web.internal, 10.0.0.0/28 ,db.internal:5432,[::1]:6379')).toEqual({
      hosts: ['web.internal', '10.0.0.0/28'],
      endpoints: ['db.internal:5432', '[::1]:6379'],
    });
  });

  it('shares one triage between checks whose target options agree, whatever their own options', () => {
    const target = { hosts: ['10.0.0.0/28'], ports: '22,443' };
    const certificate = tlsCertificate.options.parse({ ...target, expiryDays: { low: 60, medium: 30, high: 10 } });
    expect(targetKey(certificate as never)).toBe(targetKey(exposureTargetOptions.parse(target)));
    expect(targetKey(exposureTargetOptions.parse({ ...target, probeTimeoutMs: 5000 }))).not.toBe(targetKey(exposureTargetOptions.parse(target)));
  });

  it('rejects unknown keys and inverted expiry thresholds with the path in the message', () => {
    const unknown = tlsCertificate.options.safeParse({ hosts: ['10.0.0.1'], expiry: 30 });
    expect(unknown.success).toBe(false);
    const inverted = tlsCertificate.options.safeParse({ hosts: ['10.0.0.1'], expiryDays: { low: 7, medium: 14, high: 30 } });
    expect(inverted.error?.issues[0]?.message).toMatch(/low >= medium >= high/);
  });
});
