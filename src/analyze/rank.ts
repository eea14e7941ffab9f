import type { Grade } from '../domain/types.js';

/**
 * radon's rank for a complexity (cc_rank): A 1–5, B 6–10, C 11–20, D 21–30, E 31–40, F 41+.
 * A fractional average just above a bound takes the next rank (5.5 is B), as in radon.
 */
export function rankOf(complexity: number): Grade {
  const cc = Math.max(0, complexity);
  const index = Math.min((Math.ceil(cc / 10) || 1) - (5 - cc < 0 ? 0 : 1), 5);
  return (['A', 'B', 'C', 'D', 'E', 'F'] as const)[index] ?? 'F';
}
