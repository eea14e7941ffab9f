/**
 * The registry file (`tools/index.json` by default): read, validated, and rewritten atomically
 * under an inter-process lock. A write is a temp file in the same folder, fsynced, renamed over
 * the file, then the folder fsynced: a reader or a crash sees the old or the new content, never
 * a mix. A corrupt or schema-invalid file is reported and never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PerfVerdictError } from '../domain/errors.js';
import type { Registry, RegistryEntry } from './schema.js';
import { toolIdProblem, validateRegistry } from './schema.js';
import { findJsonFault } from './json-position.js';
import type { LockOptions } from './lock.js';
import { acquireLock, removeLeftovers } from './lock.js';

const DEFAULT_REGISTRY = 'tools/index.json';

/** What the profile pipeline needs from a registry. */
export interface RegistryStore {
  readonly path: string;
  /** The whole registry; an absent file reads as empty. */
  read(): Promise<Registry>;
  /**
   * Read-modify-write one tool's entry inside the lock. `change` gets the current entry (or
   * undefined) and the whole registry, and returns the new entry. Returns what was written.
   */
  updateEntry(
    toolId: string,
    change: (entry: RegistryEntry | undefined, registry: Registry) => RegistryEntry,
  ): Promise<RegistryEntry>;
}

/** Registry path: `--registry` flag, else `PERF_VERDICT_REGISTRY`, else tools/index.json, from cwd. */
export function resolveRegistryPath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const chosen = flag ?? env['PERF_VERDICT_REGISTRY'] ?? DEFAULT_REGISTRY;
  if (chosen.trim() === '' || chosen.includes('\0')) {
    throw new PerfVerdictError(
      'registry',
      `registry path must be a file name, got '${chosen}'`,
      'registry',
    );
  }
  return resolve(cwd, chosen);
}

/** Throws a registry error when `id` could not be a tool id (it is data, never a path). */
export function checkToolId(id: string): void {
  const problem = toolIdProblem(id);
  if (problem !== null) {
    throw new PerfVerdictError(
      'invalid_input',
      `tool id ${JSON.stringify(id)} ${problem}`,
      'tool_id',
    );
  }
}

export class FileRegistryStore implements RegistryStore {
  readonly path: string;
  private readonly lockOptions: LockOptions;

  constructor(path: string, lockOptions: LockOptions = {}) {
    this.path = path;
    this.lockOptions = lockOptions;
  }

  async read(): Promise<Registry> {
    const text = await this.readText();
    return text === null ? {} : this.parse(text).registry;
  }

  async updateEntry(
    toolId: string,
    change: (entry: RegistryEntry | undefined, registry: Registry) => RegistryEntry,
  ): Promise<RegistryEntry> {
    checkToolId(toolId);
    await this.ensureFolder();
    const lock = await acquireLock(this.path, this.lockOptions).catch((error: unknown) => {
      throw error instanceof PerfVerdictError ? error : this.ioError('cannot lock', error);
    });
    try {
      await removeLeftovers(this.path);
      const text = await this.readText();
      const { registry, document } =
        text === null ? { registry: {}, document: {} } : this.parse(text);
      const entry = change(registry[toolId], registry);
      // Never write what the next read would refuse: that would lock everyone out of the file.
      const check = validateRegistry({ [toolId]: entry }).problems[0];
      if (check !== undefined) {
        throw new PerfVerdictError(
          'registry',
          `refusing to write tool '${toolId}' to registry ${this.path}: field '${check.field}' ${check.message}; the file was left untouched`,
          this.path,
        );
      }
      // The other entries are written back exactly as read (validation reorders keys).
      const next: Record<string, unknown> = { ...document, [toolId]: entry };
      await this.writeAtomically(`${JSON.stringify(next, null, 2)}\n`);
      return entry;
    } finally {
      await lock.release();
    }
  }

  private async ensureFolder(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (error) {
      throw this.ioError('cannot create the folder of', error);
    }
  }

  private async readText(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.ioError('cannot read', error);
    }
  }

  /** Parse and validate; every failure names the file and where it is wrong. */
  private parse(text: string): { registry: Registry; document: Record<string, unknown> } {
    if (text.trim() === '') {
      throw this.error(
        'is empty; it must hold a JSON object (write {} to start an empty registry)',
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      const fault = findJsonFault(text);
      const where =
        fault === null ? '' : ` at line ${fault.line}, column ${fault.column}: ${fault.message}`;
      throw this.error(`is not valid JSON${where}; the file was left untouched`);
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      const kind =
        document === null ? 'null' : Array.isArray(document) ? 'an array' : typeof document;
      throw this.error(
        `must hold a JSON object of tool id → entry, but holds ${kind}; the file was left untouched`,
      );
    }
    const { registry, problems } = validateRegistry(document);
    if (problems.length > 0) {
      const shown = problems
        .slice(0, 5)
        .map(
          (p) =>
            `tool '${p.tool_id}' field '${p.field === '' ? '(entry)' : p.field}': ${p.message}`,
        )
        .join('; ');
      const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
      throw this.error(`has invalid entries: ${shown}${more}; the file was left untouched`);
    }
    return { registry, document: document as Record<string, unknown> };
  }

  private async writeAtomically(text: string): Promise<void> {
    const dir = dirname(this.path);
    const temp = join(
      dir,
      `.${basename(this.path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    try {
      const mode = await stat(this.path).then(
        (s) => s.mode & 0o777,
        () => 0o644,
      );
      const handle = await open(temp, 'wx', mode);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw this.ioError('cannot write', error);
    }
    // The rename is durable only once the folder is synced; some file systems refuse it.
    const folder = await open(dir, 'r').catch(() => null);
    if (folder !== null) {
      await folder.sync().catch(() => undefined);
      await folder.close();
    }
  }

  private error(what: string): PerfVerdictError {
    return new PerfVerdictError('registry', `registry ${this.path} ${what}`, this.path);
  }

  private ioError(what: string, error: unknown): PerfVerdictError {
    const err = error as NodeJS.ErrnoException;
    return new PerfVerdictError(
      'registry',
      `${what} registry ${this.path}: ${err.code ?? ''} ${err.message}`.trim(),
      this.path,
    );
  }
}
