// Time-ordered UUID v7 made in the process, so bulk writers know their rows' ids without
// RETURNING and ids sort like the data (index locality).
import { randomBytes } from 'node:crypto';

// Random bytes in blocks: one call per id would dominate bulk generation.
let entropy = Buffer.alloc(0);
let entropyAt = 0;

/** A v7 UUID stamped with `ms` (a row's own creation time, or now). */
export function uuidv7(ms: number = Date.now()): string {
  if (entropyAt + 16 > entropy.length) {
    entropy = randomBytes(16 * 4096);
    entropyAt = 0;
  }
  const b = entropy.subarray(entropyAt, (entropyAt += 16));
  b.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return uuidFromBytes(b);
}

/** A UUID's 16 bytes, and back (for compact signed tokens that carry an id). */
export const uuidBytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
export function uuidFromBytes(b: Buffer): string {
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
