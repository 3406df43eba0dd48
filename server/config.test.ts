import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has sensible defaults for a bare machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.jobs).toBe('embedded');
    expect(c.publicUrl).toBe('http://localhost:3000');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
    expect(() => loadConfig({ JOBS: 'sometimes' })).toThrow(/JOBS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('treats empty variables as unset and ignores unrelated ones', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', HOME: '/root' });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('derives the public URL from the port and strips a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://civitas.example.org/' }).publicUrl).toBe('https://civitas.example.org');
  });

  it('takes an optional map tile URL template with {z}, {x} and {y}, and its attribution', () => {
    expect(loadConfig({}).mapTiles).toBeNull();
    expect(loadConfig({ MAP_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© Example contributors' }).mapTiles)
      .toEqual({ url: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', attribution: '© Example contributors' });
    expect(loadConfig({ MAP_TILE_URL: 'http://tiles.office.lan:8080/{z}/{x}/{y}' }).mapTiles).toEqual({ url: 'http://tiles.office.lan:8080/{z}/{x}/{y}', attribution: null });
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tile.example.org/{z}/{x}.png' })).toThrow(/MAP_TILE_URL: must be a tile URL template containing \{z\}, \{x\} and \{y\}/);
    expect(() => loadConfig({ MAP_TILE_URL: 'ftp://tile.example.org/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL: must be an http\(s\) URL/);
    expect(() => loadConfig({ MAP_TILE_URL: 'https://{z}/{x}/{y} .png' })).toThrow(/MAP_TILE_URL/);
    expect(() => loadConfig({ MAP_TILE_ATTRIBUTION: '© Example' })).toThrow(/MAP_TILE_ATTRIBUTION: only used with MAP_TILE_URL/);
  });
});
