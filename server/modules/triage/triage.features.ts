// The feature space of a model: which hashed keys it knows (pruned by document frequency
// and capped per block), their IDF, and turning a message into a sparse vector: sublinear
// TF-IDF for the word and char blocks and for the place cells, each block L2-normalised and
// then weighted, so a long text cannot drown its place and vice versa.
import { keysOf, type Keys, type Place, type TokenOptions } from './triage.tokens.js';

export const BLOCKS = ['word', 'char', 'place'] as const;
export type Block = (typeof BLOCKS)[number];
type PerBlock<T> = Record<Block, T>;

export type FeatureOptions = TokenOptions & {
  /** Keys seen in fewer training documents are dropped (they cannot generalise and bloat the model). */
  minDf: number;
  /** At most this many keys per block, the most frequent kept. */
  maxFeatures: PerBlock<number>;
  /** Each block's L2-normalised vector is multiplied by this. */
  blockWeights: PerBlock<number>;
};

export type FeatureInput = Place & { text: string };

/** Sparse vector: parallel arrays of feature indices and values. */
export type SparseRow = { idx: Int32Array; val: Float32Array };

/** One block's vocabulary: its keys take the feature indices offset .. offset + keys.length - 1. */
export type Vocabulary = { keys: Int32Array; df: Int32Array; offset: number; index: Map<number, number>; idf: Float32Array };

export type FeatureSpace = {
  options: FeatureOptions;
  /** Training documents the IDF was computed over. */
  docs: number;
  blocks: PerBlock<Vocabulary>;
  size: number;
  /** Term counts while a message is vectorised, zero between calls (one allocation per model, not per message). */
  scratch: Uint32Array;
};

const idfOf = (df: number, docs: number) => Math.log((1 + docs) / (1 + df)) + 1;

/** The space from each block's kept keys and their document frequencies (training, or a stored model). */
export function makeSpace(options: FeatureOptions, docs: number, kept: PerBlock<{ keys: Int32Array; df: Int32Array }>): FeatureSpace {
  let offset = 0;
  const blocks = {} as PerBlock<Vocabulary>;
  for (const b of BLOCKS) {
    const { keys, df } = kept[b];
    const index = new Map<number, number>();
    keys.forEach((k, i) => index.set(k, offset + i));
    blocks[b] = { keys, df, offset, index, idf: Float32Array.from(df, (d) => idfOf(d, docs)) };
    offset += keys.length;
  }
  return { options, docs, blocks, size: offset, scratch: new Uint32Array(offset) };
}

/** Sublinear TF-IDF of one block's known keys, L2-normalised and weighted, appended to `out`. */
function addBlock(space: FeatureSpace, b: Block, keys: number[], out: { idx: number[]; val: number[] }): void {
  const vocab = space.blocks[b];
  const counts = space.scratch;
  const start = out.idx.length;
  for (const k of keys) {
    const i = vocab.index.get(k);
    if (i !== undefined && counts[i]!++ === 0) out.idx.push(i);
  }
  let norm = 0;
  for (let j = start; j < out.idx.length; j++) {
    const i = out.idx[j]!;
    const v = (1 + Math.log(counts[i]!)) * vocab.idf[i - vocab.offset]!;
    counts[i] = 0;
    out.val.push(v);
    norm += v * v;
  }
  const scale = space.options.blockWeights[b] / Math.sqrt(norm);
  for (let j = start; j < out.val.length; j++) out.val[j]! *= scale;
}

export function vectoriseKeys(space: FeatureSpace, keys: Keys): SparseRow {
  const out = { idx: [] as number[], val: [] as number[] };
  for (const b of BLOCKS) addBlock(space, b, keys[b], out);
  return { idx: Int32Array.from(out.idx), val: Float32Array.from(out.val) };
}

export function vectorise(space: FeatureSpace, input: FeatureInput): SparseRow {
  return vectoriseKeys(space, keysOf(input, space.options));
}

/** Keys seen in at least minDf documents, most frequent first (ties by key, for determinism), at most `max`. */
function keep(docKeys: number[][], minDf: number, max: number): { keys: Int32Array; df: Int32Array } {
  const df = new Map<number, number>();
  for (const keys of docKeys) for (const k of new Set(keys)) df.set(k, (df.get(k) ?? 0) + 1);
  const kept = [...df].filter(([, d]) => d >= minDf).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, max);
  return { keys: Int32Array.from(kept, ([k]) => k), df: Int32Array.from(kept, ([, d]) => d) };
}

/** Builds the feature space from the training messages and vectorises them (each is tokenised once). */
export function buildSpace(inputs: FeatureInput[], options: FeatureOptions): { space: FeatureSpace; rows: SparseRow[] } {
  const docs = inputs.map((input) => keysOf(input, options));
  const kept = {} as PerBlock<{ keys: Int32Array; df: Int32Array }>;
  for (const b of BLOCKS) kept[b] = keep(docs.map((d) => d[b]), options.minDf, options.maxFeatures[b]);
  const space = makeSpace(options, inputs.length, kept);
  return { space, rows: docs.map((d) => vectoriseKeys(space, d)) };
}
