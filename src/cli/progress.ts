/**
 * Progress of `perf-verdict gate` on stderr. On a terminal: one line, redrawn in place every
 * second (`tool 2 of 5 · dedupe_words · 12 s elapsed · ~40 s left`), cleared before each log
 * line so the log stays readable. Elsewhere (CI logs, files): plain lines, no escape codes.
 */
import { plainInline } from '../report/escape.js';
import type { Log, Progress, ToolProgress } from '../domain/ports.js';

/** `8 s`, `1 m 05 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

export function progressText(p: ToolProgress, sinceStartMs = 0): string {
  const left = Math.max(0, p.leftMs - sinceStartMs);
  return `tool ${p.index} of ${p.total} · ${plainInline(p.id, 60)} · ${formatDuration(p.elapsedMs + sinceStartMs)} elapsed · ~${formatDuration(left)} left`;
}

export interface TerminalProgress extends Progress {
  /** The log, routed so that a log line never lands inside the progress line. */
  readonly log: Log;
  /** Clear the line and stop the timer. */
  stop(): void;
}

export function createTerminalProgress(options: {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  readonly now: () => number;
  readonly log: Log;
  /** Redraw interval on a terminal, ms. */
  readonly everyMs?: number;
}): TerminalProgress {
  const { write, isTTY, now } = options;
  let current: { progress: ToolProgress; since: number } | null = null;
  let drawn = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  const clear = (): void => {
    if (drawn) write('\r\u001b[2K');
    drawn = false;
  };
  const draw = (): void => {
    if (!isTTY || current === null) return;
    write(`\r\u001b[2K${progressText(current.progress, now() - current.since)}`);
    drawn = true;
  };
  const around =
    (fn: (message: string) => void) =>
    (message: string): void => {
      clear();
      fn(message);
      draw();
    };
  return {
    log: {
      debug: around((m) => options.log.debug(m)),
      info: around((m) => options.log.info(m)),
      warn: around((m) => options.log.warn(m)),
      error: around((m) => options.log.error(m)),
    },
    startTool(progress) {
      current = { progress, since: now() };
      if (!isTTY) {
        write(`${progressText(progress)}\n`);
        return;
      }
      draw();
      if (timer === null) {
        timer = setInterval(draw, options.everyMs ?? 1000);
        timer.unref();
      }
    },
    endTool() {
      current = null;
      clear();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      current = null;
      clear();
    },
  };
}
