import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../api/src/config.js';

const apiDir = fileURLToPath(new URL('../../../api/', import.meta.url));

describe('configuration', () => {
  it('has working defaults: demo data and introspection on outside production', () => {
    const c = loadConfig({});
    expect(c.API_PORT).toBe(4000);
    expect(c.seed).toBe('demo');
    expect(c.introspection).toBe(true);
    expect(c.secureCookies).toBe(false);
  });

  it('turns introspection off in production unless GRAPHQL_INTROSPECTION=true', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).seed).toBe('none');
  });

  it('marks cookies Secure behind https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://consulta.example.org' }).secureCookies).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ API_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_PORT: 'abc' })).toThrow(/^API_PORT: /);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/^DATABASE_URL: /);
  });

  it('a bad value stops the process with one clear line', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      env: { ...process.env, API_PORT: 'seventy', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid setting API_PORT: /)]);
  });
});
