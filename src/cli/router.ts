/**
 * The CLI router: finds the command, runs it, and turns every typed error into the one error
 * model — `{"success": false, "error": {"kind", "message"}}` on stdout, exit 1, no stack trace.
 */
import { errorMessage, PerfVerdictError } from '../domain/errors.js';
import type { CliIo, Command, ExitCode } from './command.js';
import { nearest } from './command.js';
import { flagHelp } from './flags.js';
import { analyzeCommand } from './commands/analyze.js';
import { benchmarkCommand } from './commands/benchmark.js';
import { compareCommand } from './commands/compare.js';
import { evaluateCommand } from './commands/evaluate.js';
import { gateCommand } from './commands/gate.js';
import { generateCommand } from './commands/generate.js';
import { profileCommand } from './commands/profile.js';
import { registryCommand } from './commands/registry.js';
import { updateRagCommand } from './commands/update-rag.js';
import { VERSION } from './version.js';

export const COMMANDS: readonly Command[] = [
  benchmarkCommand,
  generateCommand,
  updateRagCommand,
  analyzeCommand,
  evaluateCommand,
  profileCommand,
  compareCommand,
  gateCommand,
  registryCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `perf-verdict <command> [options]   (JSON on stdin, JSON on stdout)\n\nCommands:\n${lines.join('\n')}\n\nRun 'perf-verdict <command> --help' for a command's input and output; 'perf-verdict --version' for the version.\nExit codes: 0 success / ACCEPT, 1 failure / REJECT, 2 REVIEW.`;
}

/** What the CLI answers besides its commands. */
const TOP_LEVEL = ['--help', '--version', 'help', 'version'];

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || (c.aliases ?? []).includes(name));
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`perf-verdict ${VERSION}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) {
    const guess = nearest(name, [
      ...COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
      ...TOP_LEVEL,
    ]);
    return fail(
      io,
      'unknown_command',
      `unknown command '${name}'; ${guess === undefined ? '' : `did you mean '${guess}'? `}known: ${COMMANDS.map((c) => c.name).join(', ')}, --help, --version`,
    );
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.help}\n\n${flagHelp(command.flags)}\n`);
    return 0;
  }
  try {
    const result = await command.run(args, io);
    io.stdout(
      typeof result.output === 'string'
        ? result.output
        : `${JSON.stringify(result.output, null, 2)}\n`,
    );
    return result.exitCode;
  } catch (error) {
    if (error instanceof PerfVerdictError) return fail(io, error.kind, error.message, error.field);
    const message = errorMessage(error);
    return fail(io, 'internal', `internal error: ${message}`);
  }
}

function fail(io: CliIo, kind: string, message: string, field?: string): 1 {
  const error = field === undefined ? { kind, message } : { kind, message, field };
  io.stdout(`${JSON.stringify({ success: false, error }, null, 2)}\n`);
  return 1;
}
