/**
 * The measurement's tuning knobs, as one typed object. The composition root builds it
 * (`measureTuning`, src/wiring.ts, from the entries' environment) and hands it to the engine
 * (`createMeasurer`, `benchmarkTool`, `profileVersion`), which passes it down; nothing under
 * src/measure reads the environment for it. The defaults are the protocol of
 * docs/measurement.md; the other values exist for bench comparisons.
 */

/** GC policy around timed samples (the harnesses' `gc`): see harness/python.py and node.mjs. */
export const GC_POLICIES = ['align', 'pyperf', 'none'] as const;

export interface MeasureTuning {
  /** Both children of a pair on one CPU (`taskset`, placement.ts); false: wherever the OS puts them. */
  readonly pin: boolean;
  /** Address-space layout randomisation of the children: `off` (`setarch -R`) or left `on`. */
  readonly aslr: 'on' | 'off';
  /** The pair's clock: `auto` (CPU time unless a side waits, `chooseTimer`) or always `wall`. */
  readonly timer: 'auto' | 'wall';
  /** V8's Maglev tier in JS/TS children (off by default: launch.ts says why). */
  readonly maglev: boolean;
  readonly gc: (typeof GC_POLICIES)[number];
  /** The gate's own figures of each harness from /proc (observe.ts); false: none. */
  readonly observe: boolean;
}

/** The protocol as docs/measurement.md describes it. */
export const DEFAULT_TUNING: MeasureTuning = Object.freeze({
  pin: true,
  aslr: 'off',
  timer: 'auto',
  maglev: false,
  gc: 'align',
  observe: true,
});
