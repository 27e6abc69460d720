import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'abc' });
    expect(config).toMatchObject({
      storeUrl: 'sqlite://data/lightstick.sqlite',
      feedIntervalMs: 600_000,
      feedMaxAgeMs: 72 * 3_600_000,
      allowPrivateFeedHosts: false,
      logLevel: 'info',
      discordApiUrl: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts any interval ≥ 1 second and the three store kinds', () => {
    expect(loadConfig({ FEED_INTERVAL_SECONDS: '1' }).feedIntervalMs).toBe(1000);
    for (const url of ['sqlite://x.sqlite', 'redis://127.0.0.1:6379', 'postgres://u@h:5432/db']) {
      expect(loadConfig({ STORE_URL: url }).storeUrl).toBe(url);
    }
    expect(loadConfig({ ALLOW_PRIVATE_FEED_HOSTS: 'true' }).allowPrivateFeedHosts).toBe(true);
    expect(loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:9999/api/' }).discordApiUrl).toBe('http://127.0.0.1:9999/api');
  });

  it('names every bad key at once', () => {
    let error: unknown;
    try {
      loadConfig({ FEED_INTERVAL_SECONDS: '0', STORE_URL: 'mysql://x', LOG_LEVEL: 'loud', ALLOW_PRIVATE_FEED_HOSTS: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['FEED_INTERVAL_SECONDS', 'STORE_URL', 'LOG_LEVEL', 'ALLOW_PRIVATE_FEED_HOSTS']) expect(problems).toContain(key);
  });

  it('explains how to get a token when one is required, and never echoes a token', () => {
    expect(() => loadConfig({}, { requireToken: true })).toThrow(/developers\/applications/);
    try {
      loadConfig({ DISCORD_TOKEN: ' ', FEED_INTERVAL_SECONDS: 'x' }, { requireToken: true });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
    expect(() => loadConfig({ DISCORD_TOKEN: 'secret-token', LOG_LEVEL: 'nope' })).toThrow(ConfigError);
    try {
      loadConfig({ DISCORD_TOKEN: 'secret-token', LOG_LEVEL: 'nope' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-token');
    }
  });
});

describe('loadConfig messages', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      return (error as ConfigError).problems.join('\n');
    }
  };

  it('says what a good value looks like', () => {
    expect(problemsOf({ FEED_MAX_AGE_HOURS: 'abc' })).toMatch(/FEED_MAX_AGE_HOURS: must be a number ≥ 1/);
    expect(problemsOf({ DISCORD_API_URL: 'ftp://x' })).toMatch(/DISCORD_API_URL: must be an http\(s\) URL/);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toMatch(/LOG_LEVEL: must be one of/);
  });

  it('accepts any letter case for flags and levels', () => {
    expect(loadConfig({ ALLOW_PRIVATE_FEED_HOSTS: 'TRUE', LOG_LEVEL: 'INFO' })).toMatchObject({ allowPrivateFeedHosts: true, logLevel: 'info' });
  });
});
