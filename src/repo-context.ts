/**
 * Tools that live inside their repository run inside it: before any tool runs, once per gate,
 * each side that needs it (base, head) gets a read-only checkout of its commit and, when the
 * repository lists requirements (config `requirements`, the YAMLs' `dependencies`), a venv
 * installed by pip in a sandbox of its own (src/adapters/deps.ts). A version then runs from its
 * checkout, in its working directory, with its import roots, on the venv's python.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkout, Log, Repo } from './domain/ports.js';
import { DependencyError, ensureVenv, INSTALL_LIMITS } from './adapters/deps.js';
import type { DependencySet, InstallLauncher, Venv } from './adapters/deps.js';
import type { Config } from './config/config.js';
import { pythonExecutable } from './measure/launch.js';
import { handOver, planLaunch } from './measure/sandbox.js';
import type { Json, RunContext, SandboxMode } from './domain/types.js';
import { expandArgs, planContext, stdinText } from './tools/index.js';
import type { ContextPlan, ContextSettings, ToolSpec } from './tools/index.js';

export type Side = 'base' | 'head';

/** One version that runs in its repository: which side, its spec and its plan. */
interface PlannedVersion {
  readonly side: Side;
  readonly spec: ToolSpec;
  readonly plan: ContextPlan;
}

export interface ContextPorts {
  /** A read-only checkout of a commit (git worktree). */
  readonly checkout: (sha: string, label: string) => Promise<Checkout>;
  /** Install a dependency set into a (cached) venv built on `python`. */
  readonly install?: (set: DependencySet, python: string) => Promise<Venv>;
  /** The interpreter venvs are built on. */
  readonly python: () => string;
  readonly log: Log;
}

type InstallConfig = Pick<Config, 'requirements' | 'installSources' | 'sandbox'>;

/** pip's starts, in the OS sandbox under the gate's `sandbox` mode. */
export function installLauncher(mode: SandboxMode): InstallLauncher {
  return {
    plan: (spec) => {
      // Inside, the private /tmp; unsandboxed, the gate's own directory (never the PR's).
      const launch = planLaunch({ ...spec, cwd: '/tmp', limits: INSTALL_LIMITS }, mode);
      if (!launch.ok) return launch.error.message;
      const sandboxed = launch.sandbox.kind !== 'none';
      return {
        command: launch.command,
        args: launch.args,
        env: launch.env,
        cwd: sandboxed ? undefined : spec.cwd,
        uid: launch.uid ?? null,
        ...(sandboxed ? {} : { reason: launch.sandbox.reason ?? '' }),
      };
    },
    handOver,
  };
}

const PYTHON_COMMANDS = /^(python[\d.]*|py)$/i;
const NODE_COMMANDS = /^(node|nodejs)$/i;

/** Why a tool's `executable.command` cannot be run by the harness, or null when it can. */
export function unsupportedCommand(spec: ToolSpec): string | null {
  const command = spec.executable?.command.split(/[\\/]/).pop() ?? '';
  if (spec.executable === null || command === '') return null;
  if (spec.language === 'python' && PYTHON_COMMANDS.test(command)) return null;
  if (spec.language !== 'python' && NODE_COMMANDS.test(command)) return null;
  return `runs with \`${spec.executable.command}\`: only tools run by python or node are measured`;
}

interface SideState {
  checkout: Checkout | null;
  venv: Venv | null;
  /** Why the side's dependencies are not installed, when they are not. */
  depsProblem: string | null;
}

export class RepositoryContext {
  private constructor(
    private readonly sides: Readonly<Record<Side, SideState>>,
    private readonly checkouts: readonly Checkout[],
    private readonly settings: ContextSettings,
  ) {}

  /** Nothing runs in a checkout. */
  private static empty(settings: ContextSettings): RepositoryContext {
    const none = (): SideState => ({ checkout: null, venv: null, depsProblem: null });
    return new RepositoryContext({ base: none(), head: none() }, [], settings);
  }

  /**
   * The context of a gate's or a push's versions (a null spec: no code at that side): the
   * versions that run inside their repository are planned, then `prepare`d with the repository's
   * own checkouts and the harness's python. Empty when none is, or the repository cannot check
   * out.
   */
  static async forRepo(
    versions: readonly { readonly side: Side; readonly spec: ToolSpec | null }[],
    shas: Readonly<Record<Side, string>>,
    config: InstallConfig & ContextSettings,
    ports: { readonly repo: Repo; readonly log: Log },
  ): Promise<RepositoryContext> {
    const planned: PlannedVersion[] = [];
    for (const { side, spec } of versions) {
      const plan = spec === null ? null : planContext(spec, config);
      if (spec !== null && plan !== null) planned.push({ side, spec, plan });
    }
    const repo = ports.repo;
    if (planned.length === 0 || repo.checkout === undefined) return RepositoryContext.empty(config);
    return RepositoryContext.prepare(planned, shas, config, {
      checkout: repo.checkout.bind(repo),
      python: pythonExecutable,
      log: ports.log,
    });
  }

  /**
   * Check out each side that a planned version needs and install its dependencies, once. A
   * failed install is logged and kept: the tools that need the package then say which.
   */
  private static async prepare(
    planned: readonly PlannedVersion[],
    shas: Readonly<Record<Side, string>>,
    config: InstallConfig & ContextSettings,
    ports: ContextPorts,
  ): Promise<RepositoryContext> {
    const sides: Record<Side, SideState> = {
      base: { checkout: null, venv: null, depsProblem: null },
      head: { checkout: null, venv: null, depsProblem: null },
    };
    const checkouts: Checkout[] = [];
    for (const side of ['base', 'head'] as const) {
      const versions = planned.filter((p) => p.side === side);
      if (versions.length === 0) continue;
      const checkout = await ports.checkout(shas[side], side);
      checkouts.push(checkout);
      sides[side].checkout = checkout;
      const files = config.requirements
        .filter((name) => {
          const found = existsSync(join(checkout.dir, name));
          if (!found)
            ports.log.warn(`requirements file ${name} does not exist at the ${side} commit`);
          return found;
        })
        .map((name) => ({ name, text: readFileSync(join(checkout.dir, name), 'utf8') }));
      const packages = versions
        .filter((v) => v.spec.language === 'python')
        .flatMap((v) => v.spec.dependencies.map((text) => ({ text, tool: v.spec.path })));
      if (files.length === 0 && packages.length === 0) continue;
      const install =
        ports.install ??
        ((set: DependencySet, python: string) =>
          ensureVenv(set, python, {
            launcher: installLauncher(config.sandbox),
            sources: config.installSources,
            log: (line) => ports.log.info(line),
          }));
      try {
        const venv = await install({ root: checkout.dir, files, packages }, ports.python());
        sides[side].venv = venv;
        ports.log.info(
          `${side}: dependencies ${venv.cached ? 'from the cached' : 'installed into'} venv ${venv.key}`,
        );
      } catch (error) {
        const why =
          error instanceof DependencyError ? error.message : `internal error: ${String(error)}`;
        sides[side].depsProblem = why;
        ports.log.warn(`${side}: ${why}`);
      }
    }
    return new RepositoryContext(sides, checkouts, config);
  }

  /** Why the side's dependencies could not be installed, or null. */
  depsProblem(side: Side): string | null {
    return this.sides[side].depsProblem;
  }

  /**
   * The context one version runs in, for one input; undefined when it runs as a lone file or its
   * side has no checkout.
   */
  contextFor(side: Side, spec: ToolSpec, input: Json): RunContext | undefined {
    const state = this.sides[side];
    const plan = planContext(spec, this.settings);
    if (state.checkout === null || plan === null) return undefined;
    const root = state.checkout.dir;
    const at = (path: string): string => (path === '.' ? root : join(root, path));
    return {
      root,
      toolPath: at(spec.path),
      cwd: at(plan.cwd),
      importPaths: plan.importPaths.map(at),
      argv: expandArgs(plan.args, at(plan.toolDir), input),
      stdin: stdinText(input),
      ...(state.venv === null || spec.language !== 'python' ? {} : { python: state.venv.python }),
      readOnly: [root, ...(state.venv === null ? [] : [state.venv.dir])],
    };
  }

  /** Remove the checkouts. */
  async close(): Promise<void> {
    for (const checkout of this.checkouts) await checkout.remove().catch(() => undefined);
  }
}
