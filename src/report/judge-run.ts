/**
 * Which judge decided a gate, said once: the phrase the comment's headline and the report's
 * `judge` carry. `rules`; `ollama <model>@<digest>`; or, when the model fell back, the rules
 * with the reason — once for the gate, however many tools it concerns.
 */
import type { Evaluation, JudgeRun } from '../domain/types.js';

const FALLBACK = /^rules \(ollama: (.*)\)$/s;

/** The reason a model fell back for one evaluation, or null when the model (or rules alone) decided. */
export function fallbackReason(evaluation: Pick<Evaluation, 'judge'>): string | null {
  return FALLBACK.exec(evaluation.judge)?.[1] ?? null;
}

/** The judge phrase of a gate; null when no tool was judged. */
export function judgePhrase(
  run: JudgeRun | null,
  evaluations: readonly Pick<Evaluation, 'judge'>[],
): string | null {
  if (evaluations.length === 0) return null;
  if (run === null) return evaluations[0]?.judge ?? null;
  if (run.kind === 'rules') return 'rules';
  const name = `ollama ${run.model ?? '?'}${run.digest === null ? '' : `@${run.digest.slice(0, 12)}`}`;
  if (run.unavailable !== null) return `rules (${name} unavailable: ${run.unavailable})`;
  // Only the tools the model was asked about (a pipeline rule, e.g. for a new tool, asks none).
  const asked = evaluations.filter((e) => e.judge === 'ollama' || fallbackReason(e) !== null);
  if (asked.length === 0) return 'rules';
  const reasons = asked.map(fallbackReason).filter((r): r is string => r !== null);
  if (reasons.length === 0) return name;
  const unique = [...new Set(reasons)];
  const why =
    unique.length === 1
      ? unique[0]
      : `${unique[0]}; ${unique.length - 1} other reason${unique.length === 2 ? '' : 's'} in the details`;
  if (reasons.length === asked.length) return `rules (${name} fell back on every tool: ${why})`;
  return `${name}, rules for ${reasons.length} of ${asked.length} tools (${why})`;
}
