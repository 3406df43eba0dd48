// How good a classifier's suggestions are: accuracy, per-class precision/recall/F1, and the
// precision/coverage trade-off behind auto-applying a suggestion when its confidence is at
// least a threshold. Pure; the eval command and the managers' page share it.

export type ScoredPrediction = { confidence: number; correct: boolean };
/** Applying every suggestion with confidence >= threshold covers `coverage` of the messages, right `precision` of the time. */
export type CurvePoint = { threshold: number; coverage: number; precision: number; count: number };
export type ClassStats = { label: string; precision: number; recall: number; f1: number; support: number; predicted: number };

/**
 * The precision/coverage curve: one point per distinct confidence, highest first. Ties go
 * in together, since a threshold cannot split messages with the same confidence.
 */
export function precisionCoverage(scored: ScoredPrediction[]): CurvePoint[] {
  const sorted = scored.filter((s) => Number.isFinite(s.confidence)).sort((a, b) => b.confidence - a.confidence);
  const curve: CurvePoint[] = [];
  let right = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.correct) right++;
    const isLastOfTie = i === sorted.length - 1 || sorted[i + 1]!.confidence !== sorted[i]!.confidence;
    if (isLastOfTie) curve.push({ threshold: sorted[i]!.confidence, coverage: (i + 1) / scored.length, precision: right / (i + 1), count: i + 1 });
  }
  return curve;
}

/** The largest coverage whose precision is at least `precision`, and the threshold giving it (null when no threshold does). */
export function coverageAtPrecision(curve: CurvePoint[], precision: number): { coverage: number; threshold: number | null } {
  let best: CurvePoint | undefined;
  for (const point of curve) if (point.precision >= precision && (!best || point.coverage > best.coverage)) best = point;
  return best ? { coverage: best.coverage, threshold: best.threshold } : { coverage: 0, threshold: null };
}

/** Precision, recall and F1 of every label that is true or predicted at least once, by support then name. */
export function perClass(pairs: { actual: string; predicted: string }[]): ClassStats[] {
  const tally = new Map<string, { tp: number; support: number; predicted: number }>();
  const of = (label: string) => tally.get(label) ?? tally.set(label, { tp: 0, support: 0, predicted: 0 }).get(label)!;
  for (const { actual, predicted } of pairs) {
    of(actual).support++;
    of(predicted).predicted++;
    if (actual === predicted) of(actual).tp++;
  }
  return [...tally].map(([label, t]) => {
    const precision = t.predicted ? t.tp / t.predicted : 0;
    const recall = t.support ? t.tp / t.support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support: t.support, predicted: t.predicted };
  }).sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
}

/** Unweighted mean F1 over the labels (scikit-learn's `f1_score(average='macro')`). */
export function macroF1(stats: ClassStats[]): number {
  return stats.length ? stats.reduce((s, c) => s + c.f1, 0) / stats.length : 0;
}
