// The office's classifier models: trained by a job (nightly, and on demand from the triage
// page) on the office's own resolved cases, each version kept with its held-out figures so a
// decision can be traced to the model that made it. Training holds out the newest fifth of the
// cases to measure the model (accuracy, the precision/coverage curve the triage page shows),
// then trains the version it keeps on all of them. Classifying loads the newest version once
// per process and keeps it until a newer one exists.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import * as categoriesRepo from '../cases/cases.categories-repo.js';
import { coverageAtPrecision, precisionCoverage, type CurvePoint } from './triage.metrics.js';
import { predict, train, type Example, type Model } from './triage.model.js';
import { deserialize, serialize } from './triage.serialize.js';
import * as repo from './triage.models-repo.js';

/** The newest cases a model learns from (older ones say less about today's reports). */
export const MAX_TRAINING_CASES = 20_000;
/** Fewer resolved cases than this (or fewer than two categories) and no model is trained. */
export const MIN_TRAINING_CASES = 30;
/** Points of the stored precision/coverage curve. */
const CURVE_POINTS = 100;

export type ModelMetrics = {
  accuracy: number; coverageAt90: number; coverageAt95: number; thresholdAt90: number | null; thresholdAt95: number | null;
  heldOut: number; trainMs: number; curve: { threshold: number; coverage: number; precision: number }[];
};

const exampleOf = (r: repo.TrainingRow): Example => ({ text: r.text, label: r.category_id, lat: r.lat, long: r.lng, ward: r.ward_id, time: r.created_at });

/** A curve of at most CURVE_POINTS points, evenly spread over coverage. */
export function thin(curve: CurvePoint[]): ModelMetrics['curve'] {
  const step = Math.max(1, Math.ceil(curve.length / CURVE_POINTS));
  return curve.filter((_, i) => i % step === 0 || i === curve.length - 1).map((p) => ({ threshold: p.threshold, coverage: p.coverage, precision: p.precision }));
}

/** Measures a model trained on the older four fifths against the newest fifth. */
export function holdOut(examples: Example[]): Omit<ModelMetrics, 'trainMs'> {
  const cut = Math.floor(examples.length * 0.8);
  const model = train(examples.slice(0, cut));
  const test = examples.slice(cut);
  const scored = test.map((e) => {
    const p = predict(model, e);
    return { confidence: p.confidence, correct: p.label === e.label };
  });
  const curve = precisionCoverage(scored);
  const at90 = coverageAtPrecision(curve, 0.9);
  const at95 = coverageAtPrecision(curve, 0.95);
  return {
    accuracy: scored.filter((s) => s.correct).length / Math.max(1, scored.length), heldOut: test.length,
    coverageAt90: at90.coverage, thresholdAt90: at90.threshold, coverageAt95: at95.coverage, thresholdAt95: at95.threshold, curve: thin(curve),
  };
}

/** Trains and stores the office's next model version; refuses when there is too little to learn from. */
export async function trainOffice(db: Executor, officeId: string, trigger: 'manual' | 'nightly'): Promise<{ version: number; metrics: ModelMetrics; trainedOn: number }> {
  const rows = await repo.trainingRows(db, officeId, MAX_TRAINING_CASES);
  const classes = new Set(rows.map((r) => r.category_id));
  if (rows.length < MIN_TRAINING_CASES || classes.size < 2) {
    throw new DomainError('validation_failed', {
      message: `Not enough to learn from: the classifier needs at least ${MIN_TRAINING_CASES} resolved cases in at least two categories (this office has ${rows.length} in ${classes.size})`,
    });
  }
  const examples = rows.map(exampleOf); // oldest first
  const started = performance.now();
  const measured = holdOut(examples);
  const model = train(examples);
  const metrics: ModelMetrics = { ...measured, trainMs: Math.round(performance.now() - started) };
  const version = await repo.insertModel(db, officeId, { trigger, trained_on: rows.length, classes: classes.size, metrics, model: gzipSync(JSON.stringify(serialize(model))) });
  return { version, metrics, trainedOn: rows.length };
}

// ---------------------------------------------------------------- classifying

const loaded = new Map<string, { version: number; model: Model }>();

async function current(db: Executor, officeId: string): Promise<{ version: number; model: Model } | null> {
  const version = await repo.latestVersion(db, officeId);
  if (version === null) return null;
  const hit = loaded.get(officeId);
  if (hit?.version === version) return hit;
  const stored = await repo.model(db, officeId, version);
  if (!stored) return null;
  const entry = { version, model: deserialize(JSON.parse(gunzipSync(stored).toString('utf8'))) };
  loaded.set(officeId, entry);
  return entry;
}

export type Suggestion = { categoryId: string; categoryName: string; confidence: number; modelVersion: number };

/**
 * The newest model's category for a message: the most likely one the office can still use
 * (a category retired since training is passed over), or null without a model.
 */
export async function classify(db: Executor, officeId: string, input: { text: string; lat: number | null; lng: number | null; wardId: string | null }): Promise<Suggestion | null> {
  const m = await current(db, officeId);
  if (!m) return null;
  const p = predict(m.model, { text: input.text, lat: input.lat, long: input.lng, ward: input.wardId });
  for (const r of p.ranking) {
    const c = await categoriesRepo.get(db, officeId, r.label);
    if (c && !c.retired) return { categoryId: c.id, categoryName: c.name, confidence: r.p, modelVersion: m.version };
  }
  return null;
}
