/**
 * An inter-process lock beside the registry file (`<file>.lock`), so that concurrent profiles
 * (8 mutations finishing at once) never lose each other's updates.
 *
 * The lock file is created complete: its content (pid, time) is written to a private file that
 * is then hard-linked to the lock name, which fails atomically when the lock exists. A lock whose
 * pid is no longer alive (a writer killed with SIGKILL) is stale: it is removed under a
 * short-lived guard, so two waiters cannot both break it and then both enter.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PerfVerdictError } from '../domain/errors.js';

export interface LockOptions {
  /** Give up after this long, ms. */
  readonly timeoutMs?: number;
  /** A lock whose owner cannot be checked (other host, unreadable) is stale after this, ms. */
  readonly staleMs?: number;
}

export interface Lock {
  release(): Promise<void>;
}

/** Acquire `<file>.lock`; throws a registry error naming the holder on timeout. */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<Lock> {
  const lockPath = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const token = `${process.pid} ${Date.now()} ${randomBytes(6).toString('hex')}\n`;
  const privatePath = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(privatePath, token, { flag: 'wx' });
  const deadline = Date.now() + timeoutMs;
  let holder: string;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(privatePath, lockPath);
        return { release: () => releaseLock(lockPath, token) };
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error;
      }
      holder = await readFile(lockPath, 'utf8').catch(() => '');
      if (holder !== '' && (await isStale(lockPath, holder, staleMs))) {
        await breakStaleLock(lockPath, holder, privatePath, staleMs);
        continue;
      }
      if (Date.now() > deadline) {
        throw new PerfVerdictError(
          'registry',
          `registry ${file} is locked by ${describeHolder(holder)} (lock file ${lockPath}); gave up after ${timeoutMs} ms`,
          file,
        );
      }
      // Back off with jitter so that eight waiters do not retry in lockstep.
      await sleep(Math.min(50, 2 + attempt) * (0.5 + Math.random()));
    }
  } finally {
    await unlink(privatePath).catch(() => undefined);
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  // Only remove the lock if it is still ours: after a stale-lock break it may not be.
  const current = await readFile(lockPath, 'utf8').catch(() => '');
  if (current === token) await unlink(lockPath).catch(() => undefined);
}

async function isStale(lockPath: string, holder: string, staleMs: number): Promise<boolean> {
  const pid = Number(holder.split(' ')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      // EPERM: alive but someone else's. ESRCH: gone.
      if (code(error) === 'ESRCH') return true;
      if (code(error) === 'EPERM') return false;
    }
  }
  const info = await stat(lockPath).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > staleMs;
}

/**
 * Remove a stale lock. Breakers take a short-lived guard (`<file>.lock.break`, created
 * complete like the lock) and re-check the lock under it: without the guard, two waiters that
 * both saw the same stale lock could remove it and then a fresh, live one.
 */
async function breakStaleLock(
  lockPath: string,
  holder: string,
  privatePath: string,
  staleMs: number,
): Promise<void> {
  const guard = `${lockPath}.break`;
  try {
    await link(privatePath, guard);
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
    // Another waiter is breaking it. A guard left by a breaker that died is cleared here.
    const breaker = await readFile(guard, 'utf8').catch(() => '');
    if (breaker !== '' && (await isStale(guard, breaker, staleMs))) {
      await removeIfUnchanged(guard, breaker);
    }
    return;
  }
  try {
    // Under the guard nobody else removes the lock, and nobody takes it while it exists.
    const current = await readFile(lockPath, 'utf8').catch(() => '');
    if (current === holder) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** Remove `path` only if it still holds `content`: moved aside atomically, put back if not. */
async function removeIfUnchanged(path: string, content: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else removed it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== content) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * Remove leftovers of writers that died: private lock files and temp files of dead pids. Call
 * only while holding the lock, so no live writer's temp file can be among them.
 */
export async function removeLeftovers(file: string): Promise<void> {
  const dir = dirname(file);
  const base = basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const tempOf = name.startsWith(`.${base}.tmp-`);
    const lockOf = name.startsWith(`${base}.lock.`);
    if (!tempOf && !lockOf) continue;
    // Names end in `<pid>.<hex>` / `<pid>-<hex>`; the guard (`.lock.break`) has no pid: kept.
    const pid = Number(/(\d+)[.-][0-9a-f]+$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

function describeHolder(holder: string): string {
  const [pid, time] = holder.trim().split(' ');
  if (pid === undefined || pid === '') return 'another process';
  const since = Number(time);
  return Number.isFinite(since)
    ? `pid ${pid} since ${new Date(since).toISOString()}`
    : `pid ${pid}`;
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
