// A model as a plain JSON-able object, so the app can keep models as versioned rows.
// Numeric arrays are little-endian typed arrays in base64 (a third of the size of JSON
// numbers); weights are one byte each (triage.quantise.ts). `version` changes whenever the
// layout or the meaning of a field changes; an unknown version is refused, never guessed.
import os from 'node:os';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { BLOCKS, makeSpace, type Block } from './triage.features.js';
import type { Model } from './triage.model.js';
import { dequantise, quantise } from './triage.quantise.js';

export const MODEL_FORMAT = 'civitas-triage';
export const MODEL_VERSION = 1;

// Typed arrays use the machine's byte order; the stored form is little-endian everywhere.
const isBigEndian = os.endianness() === 'BE';
const toLittleEndian = (buf: Buffer, bytes: number) => (isBigEndian && bytes === 4 ? Buffer.from(buf).swap32() : buf);

const b64 = (a: Int8Array | Int32Array | Float32Array) => toLittleEndian(Buffer.from(a.buffer, a.byteOffset, a.byteLength), a.BYTES_PER_ELEMENT).toString('base64');

/** A typed array from base64, refusing a length that is not a whole number of elements. */
function fromB64<T>(s: string, bytes: number, make: (buf: ArrayBuffer) => T, field: string): T {
  const raw = Buffer.from(s, 'base64');
  if (raw.length % bytes !== 0) throw bad(`${field} is not a whole number of ${bytes}-byte values`);
  const buf = toLittleEndian(raw, bytes);
  // A copy: Buffer's pool may not be aligned for Int32Array / Float32Array views.
  return make(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer);
}

const bad = (message: string) => new DomainError('validation_failed', { field: 'model', message: `Not a usable triage model: ${message}` });

const ZPerBlock = z.object({ word: z.number(), char: z.number(), place: z.number() });
const ZVocabulary = z.object({ keys: z.string(), df: z.string() });
const ZSerialized = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.number().int(),
  classes: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  classCounts: z.array(z.number().int().nonnegative()),
  trainedOn: z.object({ examples: z.number().int(), from: z.string().nullable(), to: z.string().nullable() }),
  features: z.object({
    charMin: z.number().int().positive(), charMax: z.number().int().positive(), gridDegrees: z.array(z.number().positive()),
    minDf: z.number().int(), maxFeatures: ZPerBlock, blockWeights: ZPerBlock,
  }),
  docs: z.number().int().positive(),
  vocabulary: z.object({ word: ZVocabulary, char: ZVocabulary, place: ZVocabulary }),
  weights: z.object({ q: z.string(), scale: z.string() }),
  bias: z.array(z.number()),
});
export type SerializedModel = z.infer<typeof ZSerialized>;

export function serialize(model: Model): SerializedModel {
  const { q, scale } = quantise(model.linear);
  const vocabulary = {} as Record<Block, { keys: string; df: string }>;
  for (const b of BLOCKS) vocabulary[b] = { keys: b64(model.space.blocks[b].keys), df: b64(model.space.blocks[b].df) };
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    classes: model.classes,
    temperature: model.temperature,
    classCounts: model.classCounts,
    trainedOn: model.trainedOn,
    features: model.space.options,
    docs: model.space.docs,
    vocabulary,
    weights: { q: b64(q), scale: b64(scale) },
    bias: Array.from(model.linear.bias),
  };
}

export function deserialize(data: unknown): Model {
  const json = typeof data === 'string' ? parseJson(data) : data;
  const version = (json as { version?: unknown } | null)?.version;
  if ((json as { format?: unknown } | null)?.format === MODEL_FORMAT && version !== MODEL_VERSION) {
    throw bad(`format version ${String(version)} is not supported (this build reads version ${MODEL_VERSION}); train the model again`);
  }
  const parsed = ZSerialized.safeParse(json);
  if (!parsed.success) throw bad(parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; '));
  const s = parsed.data;
  const K = s.classes.length;
  const kept = {} as Record<Block, { keys: Int32Array; df: Int32Array }>;
  for (const b of BLOCKS) {
    const keys = fromB64(s.vocabulary[b].keys, 4, (buf) => new Int32Array(buf), `vocabulary.${b}.keys`);
    const df = fromB64(s.vocabulary[b].df, 4, (buf) => new Int32Array(buf), `vocabulary.${b}.df`);
    if (keys.length !== df.length) throw bad(`vocabulary.${b} has ${keys.length} keys but ${df.length} frequencies`);
    kept[b] = { keys, df };
  }
  const space = makeSpace(s.features, s.docs, kept);
  const q = fromB64(s.weights.q, 1, (buf) => new Int8Array(buf), 'weights.q');
  const scale = fromB64(s.weights.scale, 4, (buf) => new Float32Array(buf), 'weights.scale');
  if (q.length !== space.size * K || scale.length !== space.size || s.bias.length !== K || s.classCounts.length !== K) throw bad(`weights do not match ${space.size} features × ${K} classes`);
  return {
    classes: s.classes,
    space,
    linear: { classes: K, features: space.size, weights: dequantise({ q, scale }, K), bias: Float32Array.from(s.bias) },
    temperature: s.temperature,
    classCounts: s.classCounts,
    trainedOn: s.trainedOn,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw bad(`not JSON (${(err as Error).message})`);
  }
}
