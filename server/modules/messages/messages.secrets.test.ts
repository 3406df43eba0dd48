// Signing and rating links are bearer secrets: staff reading a message and the request log
// see them masked.
import { describe, expect, it } from 'vitest';
import { maskPathTokens } from '../../app.js';
import { scrubLinks } from './messages.repo.js';

const token = `${'A'.repeat(20)}_-${'b'.repeat(21)}`; // 43 characters, base64url of 32 bytes

describe('secret links', () => {
  it('scrubs signing and rating links from message bodies, and nothing else', () => {
    expect(scrubLinks(`Sign: https://civitas.example/release/${token} or rate https://civitas.example/rate/${token}?score=5`))
      .toBe('Sign: https://civitas.example/release/[link] or rate https://civitas.example/rate/[link]?score=5');
    expect(scrubLinks('https://civitas.example/cases/C-2026-00042')).toBe('https://civitas.example/cases/C-2026-00042');
  });

  it('masks the token of a signing or rating link in logged URLs', () => {
    expect(maskPathTokens(`/release/${token}`)).toBe('/release/[token]');
    expect(maskPathTokens(`/rate/${token}?score=4`)).toBe('/rate/[token]?score=4');
    expect(maskPathTokens('/api/v1/cases?q=release')).toBe('/api/v1/cases?q=release');
  });
});
