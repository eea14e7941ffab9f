"""Static analysis of Python tools, standard library only (it ships inside the bundle).

stdin: {"files": ["<code>", ...]}    stdout: {"results": [<analysis>, ...]} in the same order.

Complexity replicates radon 6 (radon/visitors.py ComplexityVisitor) and the security checks
replicate bandit 1.9's plugins for the rules listed in RULES (see security.py beside this file),
so that the numbers agree with the tools reviewers already know. One python3 start analyses a
whole batch: the interpreter start dominates the cost of a small file.
"""

import ast
import builtins
import io
import json
import math
import os
import sys
import threading
import time
import tokenize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from security import scan_security  # noqa: E402  (sibling module, found via sys.path above)


def rank(cc):
    """radon.complexity.cc_rank, including its treatment of fractional averages."""
    if cc < 0:
        raise ValueError('negative complexity')
    return chr(min(int(math.ceil(cc / 10.0) or 1) - (1, 0)[5 - cc < 0], 5) + 65)


class Block:
    def __init__(self, kind, name, node, complexity, closures=(), methods=(), inner=()):
        self.kind = kind
        self.name = name
        self.node = node
        self.complexity = complexity
        self.closures = list(closures)
        self.methods = list(methods)
        self.inner = list(inner)


class ComplexityVisitor:
    """radon's ComplexityVisitor: same counting rules, same nesting semantics."""

    def __init__(self, to_method=False, off=True):
        self.off = off
        self.complexity = 1 if off else 0
        self.functions = []
        self.classes = []
        self.to_method = to_method

    @property
    def functions_complexity(self):
        return sum(f.complexity for f in self.functions) - len(self.functions)

    @property
    def classes_complexity(self):
        return sum(c.complexity for c in self.classes) - len(self.classes)

    @property
    def total_complexity(self):
        return self.complexity + self.functions_complexity + self.classes_complexity + (not self.off)

    def visit(self, node):
        # ast.NodeVisitor's dispatch, pre-order with a stack instead of recursion: a 5,200-term
        # expression nests as deep as it is long, and what the interpreter compiles we analyse.
        stack = [node]
        while stack:
            current = stack.pop()
            method = getattr(self, 'visit_' + current.__class__.__name__, None)
            if method is not None:
                method(current)
                continue
            self.count(current)
            stack.extend(reversed(list(ast.iter_child_nodes(current))))

    def count(self, node):
        """radon's generic_visit: the decision points a node adds (its children come after)."""
        name = node.__class__.__name__
        if name in ('Try', 'TryExcept'):
            # radon 6 does not count TryStar (except*): neither do we.
            self.complexity += len(node.handlers) + bool(node.orelse)
        elif name == 'BoolOp':
            self.complexity += len(node.values) - 1
        elif name in ('If', 'IfExp'):
            self.complexity += 1
        elif name == 'Match':
            underscore = any(getattr(case.pattern, 'pattern', False) is None for case in node.cases)
            self.complexity += max(0, len(node.cases) - underscore)
        elif name in ('For', 'While', 'AsyncFor'):
            self.complexity += bool(node.orelse) + 1
        elif name == 'comprehension':
            self.complexity += len(node.ifs) + 1

    def visit_Assert(self, node):
        # radon counts the assert itself and does not descend into it.
        self.complexity += 1

    def visit_AsyncFunctionDef(self, node):
        self.visit_FunctionDef(node)

    def visit_FunctionDef(self, node):
        closures = []
        local_classes = []
        body = 1
        for child in node.body:
            visitor = ComplexityVisitor(off=False)
            visitor.visit(child)
            closures.extend(visitor.functions)
            local_classes.extend(visitor.classes)  # radon drops these; we list their methods
            body += visitor.complexity  # closures' own complexity is not added (radon #68)
        self.functions.append(Block('method' if self.to_method else 'function', node.name, node, body,
                                    closures, inner=local_classes))

    def visit_ClassDef(self, node):
        methods = []
        inner = []
        body = 1
        for child in node.body:
            visitor = ComplexityVisitor(True, off=False)
            visitor.visit(child)
            methods.extend(visitor.functions)
            body += visitor.complexity + visitor.functions_complexity + len(visitor.functions)
            inner.extend(visitor.classes)
        self.classes.append(Block('class', node.name, node, body, methods=methods, inner=inner))


def complexity_of(tree):
    visitor = ComplexityVisitor()
    visitor.visit(tree)
    functions = []

    def add_function(block, prefix):
        qualified = prefix + block.name
        functions.append(metrics(qualified, block))
        for closure in block.closures:
            add_function(closure, qualified + '.')
        for local in block.inner:
            add_class(local, qualified + '.')

    def add_class(cls, prefix):
        qualified = prefix + cls.name
        for method in cls.methods:
            add_function(method, qualified + '.')
        for inner in cls.inner:
            add_class(inner, qualified + '.')

    for block in visitor.functions:
        add_function(block, '')
    for cls in visitor.classes:
        add_class(cls, '')
    # The module average is radon's `cc -a`: over functions, classes and methods (not closures).
    blocks = list(visitor.functions)
    for cls in visitor.classes:
        blocks.append(cls)
        blocks.extend(cls.methods)
    if blocks:
        average = sum(b.complexity for b in blocks) / len(blocks)
    else:
        average = float(visitor.total_complexity)  # no blocks: the module's own decision points
    functions.sort(key=lambda f: (f['line'], f['name']))
    return {
        'available': True,
        'average_complexity': round(average, 4),
        'grade': rank(average),
    }, functions


def metrics(name, block):
    node = block.node
    return {
        'name': name,
        'line': node.lineno,
        'end_line': getattr(node, 'end_lineno', None) or node.lineno,
        'complexity': block.complexity,
        'rank': rank(block.complexity),
    }


# ---------------------------------------------------------------- correctness

BUILTINS = set(dir(builtins)) | {'__file__', '__name__', '__doc__', '__builtins__', '__spec__',
                                  '__loader__', '__package__', '__path__', '__annotations__',
                                  '__dict__', '__module__', '__qualname__', '__class__'}


def undefined_names(tree):
    """Names loaded somewhere but bound nowhere in the module (flow-insensitive, so it never
    flags a name that is defined later or in another scope; a star import disables it)."""
    bound = set()
    loaded = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.setdefault(node.id, node.lineno)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == '*':
                    return []
                bound.add(alias.asname or alias.name.split('.')[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return sorted(n for n in loaded if n not in bound and n not in BUILTINS)


# ---------------------------------------------------------------- quality

def quality_of(tree, code):
    functions = classes = documented = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if isinstance(node, ast.ClassDef):
                classes += 1
            else:
                functions += 1
            if ast.get_docstring(node, clean=False) is not None:
                documented += 1
    code_lines = set()
    comment_lines = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                comment_lines.add(tok.start[0])
            elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                  tokenize.ENDMARKER, tokenize.ENCODING):
                code_lines.update(range(tok.start[0], tok.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass
    only_comments = comment_lines - code_lines
    total = functions + classes
    return {
        'available': True,
        # documented ⊆ functions ∪ classes, so the ratio cannot exceed 1.
        'documentation_ratio': round(documented / total, 4) if total else 0.0,
        'function_count': functions,
        'class_count': classes,
        'lines_of_code': len(code_lines),
        'comment_ratio': round(len(comment_lines) / (len(code_lines) + len(only_comments)), 4)
        if code_lines or only_comments else 0.0,
    }


# ---------------------------------------------------------------- entry

def unavailable(reason):
    return {'available': False, 'reason': reason}


def analyse(code):
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        reason = f'code does not parse: {error.msg} (line {error.lineno})'
        return {
            'complexity': unavailable(reason),
            'security': unavailable(reason),
            'correctness': {
                'syntax_valid': False,
                'syntax_error': {'line': error.lineno or 1, 'column': error.offset or 0,
                                 'message': error.msg},
                'undefined_names': [],
                'diagnostics': [],
            },
            'code_quality': unavailable(reason),
            'functions': [],
        }
    except (RecursionError, MemoryError) as error:
        # The parser gave up on the code's depth or size: the syntax is unknown, not invalid.
        reason = f'the parser gave up: {type(error).__name__}: {error}'
        return {
            'complexity': unavailable(reason),
            'security': unavailable(reason),
            'correctness': {'syntax_valid': True, 'not_checked': reason,
                            'undefined_names': [], 'diagnostics': []},
            'code_quality': unavailable(reason),
            'functions': [],
        }
    except ValueError as error:
        reason = f'code does not parse: {error}'
        return {
            'complexity': unavailable(reason),
            'security': unavailable(reason),
            'correctness': {'syntax_valid': False,
                            'syntax_error': {'line': 1, 'column': 0, 'message': str(error)},
                            'undefined_names': [], 'diagnostics': []},
            'code_quality': unavailable(reason),
            'functions': [],
        }
    result = {'correctness': {'syntax_valid': True, 'undefined_names': [], 'diagnostics': []}}
    sections = (
        ('complexity', lambda: complexity_of(tree)),
        ('security', lambda: scan_security(tree)),
        ('undefined', lambda: undefined_names(tree)),
        ('code_quality', lambda: quality_of(tree, code)),
    )
    result['functions'] = []
    for key, compute in sections:
        try:
            value = compute()
        except RecursionError:
            value = None
            reason = 'code nests too deeply to analyse'
        except Exception as error:  # one section failing must not hide the others
            value = None
            reason = f'{type(error).__name__}: {error}'
        if key == 'complexity':
            if value is None:
                result['complexity'] = unavailable(reason)
            else:
                result['complexity'], result['functions'] = value
        elif key == 'undefined':
            result['correctness']['undefined_names'] = value or []
        else:
            result[key] = unavailable(reason) if value is None else value
    return result


def main():
    request = json.loads(sys.stdin.read())
    # The walks are iterative; what still recurses (the parser, literal values) gets a thread with
    # a stack as deep as the interpreter's own limits allow a tool to be, not the main thread's.
    sys.setrecursionlimit(100_000)
    threading.stack_size(512 * 1024 * 1024)
    results = []
    worker = threading.Thread(target=lambda: results.extend(analyse(code) for code in request['files']))
    worker.start()
    worker.join()
    # CPU time of this process, interpreter start included: wall time alone misleads on a busy runner.
    sys.stdout.write(json.dumps({'results': results, 'cpu_ms': round(time.process_time() * 1000, 1)}))


if __name__ == '__main__':
    main()
