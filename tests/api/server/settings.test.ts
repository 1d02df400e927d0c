import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../api/src/config.js';

describe('hardening settings', () => {
  it('have sane defaults', () => {
    const c = loadConfig({});
    expect([c.GRAPHQL_MAX_DEPTH, c.GRAPHQL_MAX_ALIASES, c.GRAPHQL_MAX_DIRECTIVES, c.GRAPHQL_MAX_TOKENS, c.GRAPHQL_MAX_COST]).toEqual([12, 30, 50, 5000, 20000]);
    expect(c.GRAPHQL_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(c.RATE_LIMIT_SIGN_IN_EMAIL_NETWORK).toEqual({ points: 10, seconds: 900 });
    expect(c.RATE_LIMIT_SIGN_IN_IP).toEqual({ points: 50, seconds: 900 });
    expect(c.RATE_LIMIT_SIGN_IN_EMAIL).toEqual({ points: 100, seconds: 900 });
    expect(c.RATE_LIMIT_SIGN_IN_DEVICE).toEqual({ points: 10, seconds: 900 });
    expect(c.DEVICE_COOKIE_SECRET).toBeUndefined();
    expect(c.ADMIN_EMAIL).toBeUndefined();
    expect(c.RATE_LIMIT_INVITATION_IP).toEqual({ points: 30, seconds: 900 });
    expect(c.RATE_LIMIT_COMMENT_USER).toEqual({ points: 30, seconds: 300 });
    expect(c.TRUST_PROXY).toBe('loopback');
  });

  it('read rate limits written points/seconds, and a proxy hop count or subnets', () => {
    const c = loadConfig({ RATE_LIMIT_COMMENT_USER: '5/60', TRUST_PROXY: '1' });
    expect(c.RATE_LIMIT_COMMENT_USER).toEqual({ points: 5, seconds: 60 });
    expect(c.TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toBe('10.0.0.0/8, loopback');
    expect(loadConfig({ ADMIN_EMAIL: 'Primera@Example.org' }).ADMIN_EMAIL).toBe('primera@example.org');
  });

  it.each([
    ['RATE_LIMIT_SIGN_IN_EMAIL', 'ten per minute'],
    ['RATE_LIMIT_SIGN_IN_DEVICE', '10'],
    ['DEVICE_COOKIE_SECRET', 'too-short'],
    ['ADMIN_EMAIL', 'admin at example.org'],
    ['RATE_LIMIT_COMMENT_USER', '0/60'],
    ['GRAPHQL_MAX_DEPTH', '1'],
    ['GRAPHQL_MAX_BODY_BYTES', 'lots'],
  ])('a bad %s is named', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });
});
