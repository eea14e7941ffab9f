/**
 * Cyclomatic complexity of TS/JS functions, counted as ESLint's `complexity` rule counts it
 * (classic variant, eslint 10): every function, class field initializer and class static
 * block is its own code path starting at 1; +1 for if, ?:, && || ??, &&= ||= ??=, for, for-in,
 * for-of, while, do-while, catch, `case x:` (not `default:`), default values (parameters and
 * destructuring), and each optional link `?.`. Nested functions count only for themselves.
 */
import { ts } from 'ts-morph';
import type { FunctionMetrics } from '../domain/types.js';
import { rankOf } from './rank.js';

interface Block {
  name: string;
  line: number;
  end_line: number;
  complexity: number;
}

const LOGICAL = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

const ALWAYS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.CaseClause,
]);

function isBranch(node: ts.Node): boolean {
  if (ALWAYS.has(node.kind)) return true;
  if (ts.isBinaryExpression(node)) return LOGICAL.has(node.operatorToken.kind);
  if (
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isCallExpression(node)
  )
    return node.questionDotToken !== undefined;
  if (ts.isParameter(node) || ts.isBindingElement(node)) return node.initializer !== undefined;
  if (ts.isShorthandPropertyAssignment(node)) return node.objectAssignmentInitializer !== undefined;
  return false;
}

/** A function-like node with a body: ESLint code paths exist only for those. */
export function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as { name?: ts.Node };
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (named.name !== undefined && !ts.isComputedPropertyName(named.name))
    return named.name.getText(sf);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(sf);
  if (ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  return '<anonymous>';
}

/** Where ESLint reports a function (astUtils.getFunctionHeadLoc): the member's start, the arrow, or the node. */
function headPosition(node: ts.Node, sf: ts.SourceFile): number {
  const parent = node.parent;
  if (
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  )
    return startWithoutDecorators(node, sf);
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return startWithoutDecorators(parent, sf);
  if (ts.isArrowFunction(node)) return node.equalsGreaterThanToken.getStart(sf);
  return node.getStart(sf);
}

function startWithoutDecorators(node: ts.Node, sf: ts.SourceFile): number {
  const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
  const first = modifiers[0];
  if (first !== undefined) return first.getStart(sf);
  const named = node as { name?: ts.Node };
  return named.name !== undefined ? named.name.getStart(sf) : node.getStart(sf);
}

/** Per-function complexity of a parsed source file, sorted by position. */
export function functionComplexities(sf: ts.SourceFile): FunctionMetrics[] {
  const blocks: Block[] = [];
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;

  const open = (name: string, head: number, end: number): Block => {
    const block = { name, line: lineOf(head), end_line: lineOf(end), complexity: 1 };
    blocks.push(block);
    return block;
  };

  const visit = (node: ts.Node, owner: Block | undefined, prefix: string): void => {
    if (isFunctionWithBody(node)) {
      const name = prefix + nameOf(node, sf);
      const block = open(name, headPosition(node, sf), node.end);
      for (const parameter of node.parameters) visit(parameter, block, `${name}.`);
      if (node.body !== undefined) visit(node.body, block, `${name}.`);
      return;
    }
    if (ts.isPropertyDeclaration(node) && node.initializer !== undefined) {
      const name = `${prefix}${node.name.getText(sf)}`;
      const block = open(`${name} (field initializer)`, startWithoutDecorators(node, sf), node.end);
      visit(node.initializer, block, `${name}.`);
      return;
    }
    if (ts.isClassStaticBlockDeclaration(node)) {
      const block = open(`${prefix}static`, node.getStart(sf), node.end);
      visit(node.body, block, `${prefix}static.`);
      return;
    }
    if (owner !== undefined && isBranch(node)) owner.complexity++;
    const nextPrefix =
      (ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name !== undefined
        ? `${prefix}${node.name.text}.`
        : prefix;
    ts.forEachChild(node, (child) => visit(child, owner, nextPrefix));
  };
  visit(sf, undefined, '');
  return blocks
    .map((b) => ({ ...b, rank: rankOf(b.complexity) }))
    .sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
}
