/**
 * Writes a tool version to a private work directory (code and input as files: data, never
 * pasted into a script) and starts harness children for it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { assetPath } from '../adapters/assets.js';
import type { ToolVersion } from '../core/types.js';
import { HarnessChild } from './child.js';

/** Limits every child runs under. */
export const LIMITS = {
  memoryMb: 1024,
  /** Node's V8 heap limit. */
  nodeHeapMb: 512,
  maxOutputBytes: 4 * 1024 * 1024,
} as const;

export interface PreparedVersion {
  readonly dir: string;
  readonly configPath: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** TS → ESM JavaScript with the TypeScript ts-morph bundles (Node 20 has no type stripping). */
export function transpile(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    reportDiagnostics: false,
  }).outputText;
}

/** CommonJS tools (module.exports) load as .cjs; everything else as an ES module. */
function isCommonJs(code: string): boolean {
  return /\bmodule\.exports\b|\bexports\.\w+\s*=/.test(code) && !/^\s*export\s/m.test(code);
}

let python: string | undefined;

/**
 * The real python3 behind PATH. Version managers (pyenv) put a shell-script shim first that costs
 * ~250 ms per start; resolving it once makes fresh process pairs cheap.
 */
export function pythonExecutable(): string {
  if (python !== undefined) return python;
  try {
    const resolved = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
      timeout: 15_000,
    }).trim();
    python = resolved === '' ? 'python3' : resolved;
  } catch {
    python = 'python3';
  }
  return python;
}

export function prepareVersion(version: ToolVersion, label: string): PreparedVersion {
  const dir = mkdtempSync(join(tmpdir(), `perf-verdict-${label}-`));
  let toolFile: string;
  let command: string;
  let harness: string;
  let extraArgs: string[] = [];
  if (version.language === 'python') {
    toolFile = join(dir, 'tool.py');
    writeFileSync(toolFile, version.code);
    command = pythonExecutable();
    harness = assetPath('measure/harness/python.py');
  } else {
    const code = version.language === 'typescript' ? transpile(version.code) : version.code;
    toolFile = join(dir, isCommonJs(code) ? 'tool.cjs' : 'tool.mjs');
    writeFileSync(toolFile, code);
    command = process.execPath;
    harness = assetPath('measure/harness/node.mjs');
    extraArgs = [`--max-old-space-size=${LIMITS.nodeHeapMb}`, '--expose-gc', '--no-warnings'];
  }
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      tool_path: toolFile,
      entry: version.entry ?? null,
      mode: version.mode,
      input: version.testInput,
      memory_limit_mb: LIMITS.memoryMb,
      max_output_bytes: LIMITS.maxOutputBytes,
    }),
  );
  return { dir, configPath, command, args: [...extraArgs, harness, configPath] };
}

export function startChild(prepared: PreparedVersion): HarnessChild {
  return new HarnessChild({
    command: prepared.command,
    args: prepared.args,
    maxOutputBytes: LIMITS.maxOutputBytes,
  });
}

export function cleanup(prepared: PreparedVersion): void {
  rmSync(prepared.dir, { recursive: true, force: true });
}
