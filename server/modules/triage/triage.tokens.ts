// What the classifier sees of a message: hashed feature keys of its text (word 1-2 grams,
// and char n-grams inside word boundaries like scikit-learn's `char_wb`) and of its place
// (grid cells at a few resolutions, the ward). Keys are 30-bit hashes computed straight
// from the characters: no substring is built, lookups are on small integers, and a stored
// model holds numbers instead of fragments of residents' messages (names, addresses).
// Pure; it runs on every incoming message and on every training row.

/** Texts are cut here: a 100 KB body says nothing about its category that its start does not. */
export const MAX_TEXT_CHARS = 10_000;

export type TokenOptions = {
  /** Smallest and largest char n-gram length (inside a word padded with spaces). */
  charMin: number;
  charMax: number;
  /** Grid cell sizes in degrees of latitude; longitude cells are scaled to stay roughly square. */
  gridDegrees: number[];
};

export type Place = { lat?: number | null | undefined; long?: number | null | undefined; ward?: string | null | undefined };

/** A message's keys per block, repeats kept (they are the term counts). */
export type Keys = { word: number[]; char: number[]; place: number[] };

// Letters and digits of any script; an apostrophe inside a word keeps "don't" whole.
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
const MARKS = /\p{M}+/gu;
const DIGITS = /\d+/g;
const FNV_OFFSET = 0x811c9dc5;
// Different seeds keep a word, a char n-gram and a place from sharing a key.
const SEED = { word: 1, bigram: 2, char: 3, grid: 4, ward: 5 };

/** Lower case without accents, digits folded to one shape ("3 bags" and "12 bags" alike). */
export function normalise(text: string): string {
  return text.slice(0, MAX_TEXT_CHARS).normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/’/g, "'")
    .replace(DIGITS, (d) => (d.length > 4 ? '00000' : '0'.repeat(d.length)));
}

export function words(text: string): string[] {
  return normalise(text).match(WORD) ?? [];
}

/** FNV-1a over UTF-16 code units, continuing from `h`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** Murmur3's finaliser, then 30 bits: keys stay small integers for V8's maps. */
function finish(h: number, seed: number): number {
  h = Math.imul(h ^ seed, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

export const hashKey = (s: string, seed: number) => finish(fnv(FNV_OFFSET, s), seed);

/** Word unigrams and bigrams. */
export function wordKeys(tokens: string[], out: number[] = []): number[] {
  let previous = 0;
  for (let i = 0; i < tokens.length; i++) {
    const h = fnv(FNV_OFFSET, tokens[i]!);
    out.push(finish(h, SEED.word));
    if (i > 0) out.push(finish(Math.imul(previous, 31) ^ h, SEED.bigram));
    previous = h;
  }
  return out;
}

/** Char n-grams of each word padded with spaces, so they mark word starts and ends. */
export function charKeys(tokens: string[], opts: Pick<TokenOptions, 'charMin' | 'charMax'>, out: number[] = []): number[] {
  for (const t of tokens) {
    const padded = ` ${t} `;
    for (let i = 0; i < padded.length; i++) {
      let h = FNV_OFFSET;
      for (let n = 1; n <= opts.charMax && i + n <= padded.length; n++) {
        h = Math.imul(h ^ padded.charCodeAt(i + n - 1), 16777619);
        if (n >= opts.charMin) out.push(finish(h, SEED.char + n * 16));
      }
    }
  }
  return out;
}

/** A usable coordinate pair, or null (missing, NaN, out of the world, or exactly 0,0). */
export function validPoint(place: Place): { lat: number; long: number } | null {
  const { lat, long } = place;
  if (typeof lat !== 'number' || typeof long !== 'number' || !Number.isFinite(lat) || !Number.isFinite(long)) return null;
  if (Math.abs(lat) > 90 || Math.abs(long) > 180 || (lat === 0 && long === 0)) return null;
  return { lat, long };
}

/** One key per grid resolution and one for the ward. */
export function placeKeys(place: Place, gridDegrees: number[], out: number[] = []): number[] {
  const p = validPoint(place);
  if (p) {
    // A degree of longitude shrinks with latitude; scale it so cells stay about square.
    const longScale = Math.max(0.1, Math.cos((p.lat * Math.PI) / 180));
    gridDegrees.forEach((size, i) => out.push(hashKey(`${i}:${Math.floor(p.lat / size)}:${Math.floor((p.long * longScale) / size)}`, SEED.grid)));
  }
  const ward = typeof place.ward === 'string' ? place.ward.trim() : '';
  if (ward) out.push(hashKey(ward.slice(0, 100), SEED.ward));
  return out;
}

export function keysOf(input: Place & { text: string }, opts: TokenOptions): Keys {
  const tokens = words(typeof input.text === 'string' ? input.text : '');
  return { word: wordKeys(tokens), char: charKeys(tokens, opts), place: placeKeys(input, opts.gridDegrees) };
}
