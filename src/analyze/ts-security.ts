/**
 * Security findings for TS/JS tools: code execution (eval, new Function, string timers, vm),
 * shell commands built from data, dynamic module loading, ReDoS-prone dynamic RegExp, HTML
 * injection sinks, hard-coded secrets, prototype pollution and Math.random used for secrets; and
 * perf-verdict's own `benchmark-gaming` (its own path, argv, the stack, replaced timers, the
 * harness's modules or file descriptors).
 * Rules are syntactic and local, like bandit's: a finding says where to look, not that the
 * code is exploitable. Severity is HIGH when the dangerous argument is not a literal.
 */
import { ts } from 'ts-morph';
import { BENCHMARK_GAMING } from '../verdict/security.js';
import type { SecurityIssue, Severity } from '../domain/types.js';

/** bandit's password-like names, plus secret/api-key spellings common in JS. */
const SECRET_NAME =
  /(^|_|-)(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?|api_?key|secret_?key|private_?key|client_?secret|access_?key)($|_|-)/i;
const CAMEL_SECRET = /(password|passphrase|secret|token|apikey|privatekey|accesskey)$/i;
/** Credentials with a recognisable shape, whatever they are assigned to. */
const SECRET_VALUE =
  /^(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[baprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;
const RANDOM_PURPOSE = /(token|secret|password|passwd|nonce|salt|key|session|csrf|otp|auth|uuid)/i;
const CHILD_PROCESS_SHELL = new Set(['exec', 'execSync']);
const CHILD_PROCESS_SPAWN = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
const VM_RUN = new Set(['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction']);

/** Reads that tell a tool where it runs from, or reach the harness. */
const GAMING_READS: Readonly<Record<string, string>> = {
  'process.argv': 'reads its command line (process.argv)',
  'process.argv0': 'reads its command line (process.argv0)',
  'process.execArgv': 'reads its command line (process.execArgv)',
  'process.mainModule': "reaches the harness's module (process.mainModule)",
  'require.main': "reaches the harness's module (require.main)",
  'require.cache': "reaches loaded modules, the harness's included (require.cache)",
  'module.parent': 'reaches the module that loaded it (module.parent)',
  'module.children': 'reaches loaded modules (module.children)',
  'process.binding': "reaches Node's internals (process.binding)",
  'process._getActiveHandles': "reaches the harness's handles (process._getActiveHandles)",
  'process._getActiveRequests': "reaches the harness's requests (process._getActiveRequests)",
  'Error.captureStackTrace': 'reads the call stack (Error.captureStackTrace)',
  'Error.prepareStackTrace': 'reads the call stack (Error.prepareStackTrace)',
};
/** Own-path identifiers (CommonJS). */
const GAMING_NAMES = new Set(['__filename', '__dirname']);
/** Timers: replacing one (assignment, defineProperty) forges the measurement. */
const TIMER_TARGET =
  /(^|\.)(performance\.now|performance\.timeOrigin|process\.hrtime(\.bigint)?|process\.cpuUsage|Date\.now|Date|performance)$/;
const TIMER_OWNERS = new Set([
  'performance',
  'Date',
  'process',
  'process.hrtime',
  'globalThis',
  'global',
]);
/** Calls whose first argument is a file descriptor. */
const FD_CALLS = new Set([
  'write',
  'writeSync',
  'writev',
  'writevSync',
  'read',
  'readSync',
  'close',
  'closeSync',
  'fstat',
  'fstatSync',
  'fsync',
  'fsyncSync',
  'ftruncate',
  'ftruncateSync',
]);

function isLiteral(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    (ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isNumericLiteral(node))
  );
}

function isStringy(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node) ||
    (ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      (isStringy(node.left) || isStringy(node.right)))
  );
}

/** `a.b.c` as text for identifiers and property accesses; '' for anything else. */
function dotted(node: ts.Node): string {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const left = dotted(node.expression);
    return left === '' ? '' : `${left}.${node.name.text}`;
  }
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '';
}

function propertyName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return node.argumentExpression.text;
  return undefined;
}

function nameText(node: ts.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isStringLiteralLike(node)) return node.text;
  return undefined;
}

function looksSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || CAMEL_SECRET.test(name);
}

/** Names of the nearest enclosing declarations or assignment targets: what a value is for. */
function purposeOf(node: ts.Node): string {
  const names: string[] = [];
  for (
    let current: ts.Node | undefined = node.parent;
    current !== undefined && names.length < 2;
    current = current.parent
  ) {
    if (
      ts.isVariableDeclaration(current) ||
      ts.isPropertyAssignment(current) ||
      ts.isPropertyDeclaration(current) ||
      ts.isFunctionDeclaration(current) ||
      ts.isMethodDeclaration(current) ||
      ts.isFunctionExpression(current)
    ) {
      const name = nameText(current.name);
      if (name !== undefined) names.push(name);
    } else if (
      ts.isBinaryExpression(current) &&
      current.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const name = propertyName(current.left) ?? nameText(current.left);
      if (name !== undefined) names.push(name);
    }
  }
  return names.join(' ');
}

/** Scan a parsed source file; findings sorted by position then rule. */
export function scanSecurity(sf: ts.SourceFile): SecurityIssue[] {
  const issues: SecurityIssue[] = [];
  const text = sf.text;
  const importsChildProcess = /['"](node:)?child_process['"]/.test(text);
  const importsVm = /['"](node:)?vm['"]/.test(text);

  const report = (
    rule: string,
    severity: Severity,
    confidence: Severity,
    node: ts.Node,
    message: string,
  ): void => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    issues.push({ rule, severity, confidence, line: line + 1, column: character, message });
  };

  const gaming = (node: ts.Node, what: string): void =>
    report(BENCHMARK_GAMING, 'HIGH', 'HIGH', node, `Benchmark gaming: ${what}.`);

  const checkGamingAccess = (node: ts.PropertyAccessExpression): void => {
    const name = dotted(node);
    const target =
      ts.isBinaryExpression(node.parent) &&
      node.parent.left === node &&
      node.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    if (target && TIMER_TARGET.test(name)) gaming(node, `replaces the timer ${name}`);
    else if (GAMING_READS[name] !== undefined) gaming(node, GAMING_READS[name]);
    else if (
      ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
    )
      gaming(node, `reads its own path (import.meta.${node.name.text})`);
    else if (node.name.text === 'stack' && isErrorConstruction(node.expression))
      gaming(node, 'reads the call stack (new Error().stack)');
    else if (node.name.text === 'caller' || node.name.text === 'callee')
      gaming(node, `walks callers (.${node.name.text})`);
  };

  const checkGamingCall = (
    node: ts.CallExpression | ts.NewExpression,
    name: string,
    last: string,
  ): void => {
    const args = node.arguments ?? ts.factory.createNodeArray();
    const first = args[0];
    if (
      (name === 'Object.defineProperty' ||
        name === 'Reflect.defineProperty' ||
        name === 'Reflect.set') &&
      first !== undefined &&
      TIMER_OWNERS.has(dotted(first))
    ) {
      const prop = args[1] !== undefined && ts.isStringLiteralLike(args[1]) ? args[1].text : '?';
      gaming(node, `replaces the timer ${dotted(first)}.${prop} (${name})`);
    }
    if (FD_CALLS.has(last) && first !== undefined && ts.isNumericLiteral(first))
      gaming(node, `uses file descriptor ${first.text}, which it did not open (${last})`);
  };

  const checkCall = (node: ts.CallExpression | ts.NewExpression): void => {
    const callee = node.expression;
    const name = dotted(callee);
    const last = name.split('.').pop() ?? '';
    const args = node.arguments ?? ts.factory.createNodeArray();
    const first = args[0];
    const isNew = ts.isNewExpression(node);

    checkGamingCall(node, name, last);
    if (!isNew && (name === 'eval' || name === 'window.eval' || name === 'globalThis.eval'))
      report(
        'JS-EVAL',
        isLiteral(first) ? 'MEDIUM' : 'HIGH',
        'HIGH',
        node,
        'Use of eval: runs a string as code.',
      );
    if (name === 'Function' || name === 'window.Function' || name === 'globalThis.Function')
      report(
        'JS-NEW-FUNCTION',
        isLiteral(first) ? 'MEDIUM' : 'HIGH',
        'HIGH',
        node,
        'Function constructor builds code from strings.',
      );
    if (!isNew && /^((window|globalThis)\.)?set(Timeout|Interval)$/.test(name) && isStringy(first))
      report(
        'JS-STRING-TIMER',
        'MEDIUM',
        'HIGH',
        node,
        `${last} with a string argument evaluates it as code.`,
      );
    // A shell command from non-literal input: exec/execSync always, the others with shell: true.
    const shell =
      !importsChildProcess || isNew || first === undefined || isLiteral(first)
        ? null
        : CHILD_PROCESS_SHELL.has(last)
          ? 'runs a shell command built from non-literal input'
          : CHILD_PROCESS_SPAWN.has(last) && hasShellTrue(args)
            ? 'with shell: true on non-literal input'
            : null;
    if (shell !== null)
      report('JS-CHILD-PROCESS', 'HIGH', 'MEDIUM', node, `child_process ${last} ${shell}.`);
    if (importsVm && ((!isNew && VM_RUN.has(last)) || (isNew && last === 'Script')))
      report(
        'JS-VM',
        'MEDIUM',
        'MEDIUM',
        node,
        `vm ${last} compiles code; vm is not a security boundary.`,
      );
    if (!isNew && name === 'require' && first !== undefined && !isLiteral(first))
      report(
        'JS-DYNAMIC-REQUIRE',
        'MEDIUM',
        'MEDIUM',
        node,
        'require() of a non-literal module name.',
      );
    if (callee.kind === ts.SyntaxKind.ImportKeyword && first !== undefined && !isLiteral(first))
      report(
        'JS-DYNAMIC-IMPORT',
        'MEDIUM',
        'MEDIUM',
        node,
        'import() of a non-literal module specifier.',
      );
    if (
      (name === 'RegExp' || name === 'globalThis.RegExp') &&
      first !== undefined &&
      !isLiteral(first) &&
      !ts.isRegularExpressionLiteral(first)
    )
      report(
        'JS-REGEXP',
        'MEDIUM',
        'MEDIUM',
        node,
        'RegExp built from non-literal input (ReDoS risk).',
      );
    if (!isNew && /^(window\.)?document\.(write|writeln)$/.test(name))
      report(
        'JS-DOCUMENT-WRITE',
        isLiteral(first) ? 'LOW' : 'MEDIUM',
        'HIGH',
        node,
        `${name} injects HTML.`,
      );
    if (!isNew && last === 'insertAdjacentHTML' && !isLiteral(args[1]))
      report(
        'JS-INNER-HTML',
        'MEDIUM',
        'MEDIUM',
        node,
        'insertAdjacentHTML with non-literal HTML.',
      );
    if (!isNew && name === 'Math.random' && RANDOM_PURPOSE.test(purposeOf(node)))
      report(
        'JS-INSECURE-RANDOM',
        'MEDIUM',
        'MEDIUM',
        node,
        `Math.random is not cryptographically secure (used for '${purposeOf(node).split(' ')[0] ?? ''}'); use crypto.randomUUID/getRandomValues.`,
      );
  };

  const checkAssignment = (node: ts.BinaryExpression): void => {
    const target = node.left;
    const prop = propertyName(target);
    if (
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
      node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken
    ) {
      if (prop === 'innerHTML' || prop === 'outerHTML')
        report(
          'JS-INNER-HTML',
          isLiteral(node.right) ? 'LOW' : 'MEDIUM',
          'HIGH',
          node,
          `Assignment to ${prop} injects HTML.`,
        );
    }
    if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    if (isPrototypeWrite(target))
      report(
        'JS-PROTOTYPE',
        'MEDIUM',
        'MEDIUM',
        node,
        'Write through __proto__ / constructor.prototype (prototype pollution).',
      );
    checkSecret(node.right, prop ?? (ts.isIdentifier(target) ? target.text : undefined));
  };

  const checkSecret = (value: ts.Node | undefined, name: string | undefined): void => {
    if (value === undefined || !ts.isStringLiteralLike(value) || value.text.length === 0) return;
    if (SECRET_VALUE.test(value.text))
      report(
        'JS-SECRET',
        'HIGH',
        'HIGH',
        value,
        'Hard-coded credential with a known token format.',
      );
    else if (name !== undefined && looksSecretName(name))
      report('JS-SECRET', 'LOW', 'MEDIUM', value, `Possible hard-coded secret in '${name}'.`);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) checkGamingAccess(node);
    else if (
      ts.isIdentifier(node) &&
      GAMING_NAMES.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
      !(ts.isVariableDeclaration(node.parent) && node.parent.name === node) &&
      !(ts.isParameter(node.parent) && node.parent.name === node)
    )
      gaming(node, `reads its own path (${node.text})`);
    else if (
      ts.isPropertyAssignment(node) &&
      nameText(node.name) === 'fd' &&
      ts.isNumericLiteral(node.initializer)
    )
      gaming(
        node,
        `uses file descriptor ${node.initializer.text}, which it did not open (fd option)`,
      );
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) checkCall(node);
    else if (ts.isBinaryExpression(node)) checkAssignment(node);
    else if (
      ts.isVariableDeclaration(node) ||
      ts.isPropertyAssignment(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isParameter(node)
    ) {
      const initializer = node.initializer;
      if (initializer !== undefined && ts.isStringLiteralLike(initializer))
        checkSecret(initializer, nameText(node.name));
    } else if (ts.isStringLiteralLike(node) && SECRET_VALUE.test(node.text)) {
      // Initializers and assigned values were checked with their names above.
      const parent = node.parent as {
        initializer?: ts.Node;
        right?: ts.Node;
        operatorToken?: ts.Node;
      };
      const handled =
        ((ts.isVariableDeclaration(node.parent) ||
          ts.isPropertyAssignment(node.parent) ||
          ts.isPropertyDeclaration(node.parent) ||
          ts.isParameter(node.parent)) &&
          parent.initializer === node) ||
        (ts.isBinaryExpression(node.parent) &&
          node.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          parent.right === node);
      if (!handled)
        report(
          'JS-SECRET',
          'HIGH',
          'HIGH',
          node,
          'Hard-coded credential with a known token format.',
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return issues.sort(
    (a, b) =>
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

/** `new Error(…)`, `Error(…)`, or a parenthesised one: a fresh stack to read. */
function isErrorConstruction(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return (
    (ts.isNewExpression(current) || ts.isCallExpression(current)) &&
    /^(globalThis\.)?(Error|TypeError|RangeError)$/.test(dotted(current.expression))
  );
}

function hasShellTrue(args: ts.NodeArray<ts.Expression>): boolean {
  return args.some(
    (arg) =>
      ts.isObjectLiteralExpression(arg) &&
      arg.properties.some(
        (p) =>
          ts.isPropertyAssignment(p) &&
          nameText(p.name) === 'shell' &&
          p.initializer.kind !== ts.SyntaxKind.FalseKeyword,
      ),
  );
}

function isPrototypeWrite(target: ts.Node): boolean {
  for (
    let current: ts.Node = target;
    ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current);
    current = current.expression
  ) {
    const prop = propertyName(current);
    if (prop === '__proto__') return true;
    if (prop === 'prototype' && propertyName(current.expression) === 'constructor') return true;
  }
  return false;
}
