import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../demo/demo.geometry.js';
import { DomainError } from '../../platform/errors.js';
import { buildSpace, vectorise } from './triage.features.js';
import { DEFAULT_OPTIONS, predict, train, type Example } from './triage.model.js';
import { deserialize, MODEL_VERSION, serialize } from './triage.serialize.js';
import { charKeys, MAX_TEXT_CHARS, placeKeys, words } from './triage.tokens.js';

// A toy office: four categories, each message with at least one of its category's words,
// each category in its own corner of town; `noise`
// is the share of messages given a random other label (so confidence has something to measure).
const VOCAB: Record<string, string[]> = {
  Pothole: ['pothole', 'hole', 'road', 'crater', 'tarmac', 'surface'],
  Graffiti: ['graffiti', 'spray', 'paint', 'tag', 'wall', 'vandal'],
  'Street Lighting': ['light', 'lamp', 'dark', 'bulb', 'flicker', 'column'],
  'Fly-Tipping': ['dumped', 'mattress', 'rubbish', 'sofa', 'bags', 'waste'],
};
const FILLER = ['the', 'near', 'outside', 'please', 'again', 'there', 'is', 'a', 'big', 'by', 'shop', 'school', 'corner'];
const LABELS = Object.keys(VOCAB);

function toyOffice(n: number, seed: number, noise = 0): Example[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const label = LABELS[i % LABELS.length]!;
    const text = [pick(VOCAB[label]!), ...Array.from({ length: 5 }, () => (rand() < 0.3 ? pick(VOCAB[label]!) : pick(FILLER)))].join(' ');
    const shown = rand() < noise ? pick(LABELS.filter((l) => l !== label)) : label;
    return { text, label: shown, lat: 51.4 + (i % 4) * 0.02 + rand() * 0.005, long: -0.05 + rand() * 0.005, time: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000) };
  });
}

const accuracy = (model: ReturnType<typeof train>, set: Example[]) => set.filter((e) => predict(model, e).label === e.label).length / set.length;

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('triage features', () => {
  it('folds case, accents and digits, and keeps words of any script', () => {
    expect(words('Café OUTSIDE nº 12, 3 bags!')).toEqual(['cafe', 'outside', 'no', '00', '0', 'bags']);
    expect(words('道路に穴 Дыра')).toEqual(['道路に穴', 'дыра']);
    expect(words('')).toEqual([]);
  });

  it('makes char n-grams inside padded words and one key per grid resolution', () => {
    // " ab " has 3 bigrams, 2 trigrams and 1 four-gram.
    expect(charKeys(['ab'], { charMin: 2, charMax: 4 })).toHaveLength(6);
    expect(placeKeys({ lat: 51.45, long: -0.02 }, [0.01, 0.0025])).toHaveLength(2);
    expect(placeKeys({ lat: 51.45, long: -0.02, ward: 'Catford South' }, [0.01])).toHaveLength(2);
    for (const bad of [{ lat: Number.NaN, long: 0.1 }, { lat: 95, long: 0.1 }, { lat: 51, long: 200 }, { lat: null, long: null }, {}]) {
      expect(placeKeys(bad, [0.01])).toEqual([]);
    }
  });

  it('prunes keys seen once and L2-normalises each block', () => {
    const { space, rows } = buildSpace([{ text: 'pothole road' }, { text: 'pothole lamp' }, { text: 'unique' }], { ...DEFAULT_OPTIONS.features, gridDegrees: [] });
    expect(space.blocks.word.keys).toHaveLength(1); // only "pothole" is in two documents
    const row = rows[0]!;
    const norm = (block: 'word' | 'char') => {
      const { offset, keys } = space.blocks[block];
      return Math.sqrt(Array.from(row.idx).reduce((s, i, j) => (i >= offset && i < offset + keys.length ? s + row.val[j]! ** 2 : s), 0));
    };
    expect(norm('word')).toBeCloseTo(1, 5);
    expect(norm('char')).toBeCloseTo(1, 5);
    // Of "unique", only the word end "e " is also in other documents ("pothole").
    expect(vectorise(space, { text: 'unique' }).idx).toHaveLength(1);
  });
});

describe('triage classifier', () => {
  const office = toyOffice(400, 1);
  const model = train(office);

  it('learns a separable set and ranks the top five categories', () => {
    expect(accuracy(model, toyOffice(200, 2))).toBe(1);
    const p = predict(model, { text: 'a huge pothole in the road surface' });
    expect(p.label).toBe('Pothole');
    expect(p.confidence).toBeGreaterThan(0.9);
    expect(p.ranking).toHaveLength(4);
    expect(p.ranking[0]).toEqual({ label: 'Pothole', p: p.confidence });
    expect(p.ranking.reduce((s, r) => s + r.p, 0)).toBeCloseTo(1, 6);
  });

  it('is deterministic: the same rows give the same model', () => {
    expect(JSON.stringify(serialize(train(office)))).toBe(JSON.stringify(serialize(model)));
    expect(JSON.stringify(serialize(train(office, { sgd: { ...DEFAULT_OPTIONS.sgd, seed: 2 } })))).not.toBe(JSON.stringify(serialize(model)));
    // Without times the calibration slice is a seeded sample: still the same model every time.
    const untimed = office.map(({ time: _time, ...e }) => e);
    expect(JSON.stringify(serialize(train(untimed)))).toBe(JSON.stringify(serialize(train(untimed))));
  });

  it('gives a calibrated confidence: on held-out messages its mean is close to the accuracy', () => {
    const noisy = train(toyOffice(1_200, 3, 0.25));
    const heldOut = toyOffice(800, 4, 0.25);
    const meanConfidence = heldOut.reduce((s, e) => s + predict(noisy, e).confidence, 0) / heldOut.length;
    const acc = accuracy(noisy, heldOut);
    expect(acc).toBeGreaterThan(0.6);
    expect(acc).toBeLessThan(0.85);
    expect(Math.abs(meanConfidence - acc)).toBeLessThan(0.06);
  });

  it('refuses training sets it cannot learn from with validation_failed', () => {
    for (const [rows, message] of [
      [[], /No training examples/],
      [[{ text: 'a pothole', label: 'Pothole' }, { text: 'another pothole', label: 'Pothole' }], /same label \("Pothole"\).*at least two categories/],
      [[{ text: '', label: 'Pothole' }, { text: '  ', label: 'Graffiti' }], /empty text/],
      [[{ text: 'a pothole', label: 'Pothole' }, { text: 'graffiti', label: '' }], /Example 1 has no label/],
    ] as [Example[], RegExp][]) {
      const err = refusal(() => train(rows));
      expect(err.code).toBe('validation_failed');
      expect(err.message).toMatch(message);
    }
  });

  it('answers empty text and unseen scripts with the base rates, never a confident guess', () => {
    for (const text of ['', '道路に大きな穴があります', 'Большая яма на дороге', '!!! ???']) {
      const p = predict(model, { text, lat: 51.4, long: -0.05 });
      expect(LABELS).toContain(p.label);
      expect(p.confidence).toBeCloseTo(0.25, 6); // four categories, equally common
    }
  });

  it('classifies a 100 KB body quickly from its first characters', () => {
    const body = 'there is a pothole in the road '.repeat(3_400);
    expect(body.length).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const p = predict(model, { text: body + ' graffiti'.repeat(1000) });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(p.label).toBe('Pothole'); // the graffiti past MAX_TEXT_CHARS is never read
    expect(MAX_TEXT_CHARS).toBeLessThan(body.length);
  });

  it('ignores coordinates that are not numbers or outside the world', () => {
    const plain = predict(model, { text: 'lamp post light is dark' });
    for (const [lat, long] of [[Number.NaN, 1], [Infinity, 0], [91, 0], [0, 181], [null, null]] as const) {
      expect(predict(model, { text: 'lamp post light is dark', lat, long })).toEqual(plain);
    }
  });

  it('round-trips through serialize and JSON with identical predictions', () => {
    const text = JSON.stringify(serialize(model));
    const back = deserialize(text);
    const again = deserialize(JSON.parse(text));
    for (const e of toyOffice(100, 5, 0.3)) {
      expect(predict(back, e)).toEqual(predict(model, e));
      expect(predict(again, e)).toEqual(predict(model, e));
    }
    expect(JSON.stringify(serialize(back))).toBe(text);
  });

  it('refuses a stored model of another version or with broken fields', () => {
    const stored = serialize(model);
    expect(refusal(() => deserialize({ ...stored, version: MODEL_VERSION + 1 })).message).toMatch(/format version 2 is not supported/);
    expect(refusal(() => deserialize({ ...stored, weights: { ...stored.weights, q: 'AAAA' } })).message).toMatch(/weights do not match/);
    expect(refusal(() => deserialize({ ...stored, classes: 'Pothole' })).message).toMatch(/classes/);
    expect(refusal(() => deserialize('{not json')).message).toMatch(/not JSON/);
  });
});
