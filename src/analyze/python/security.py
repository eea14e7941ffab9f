"""Security findings for Python, replicating bandit 1.9's checks for B101-B113, B301-B303,
B307, B311, B324, B501, B506 and B602-B608, plus perf-verdict's own `benchmark-gaming` (HIGH):
code that can tell it is being benchmarked or tamper with the measurement (its own path or
source, frames, argv, the harness's modules and file descriptors, the timers).

The traversal mirrors bandit's BanditNodeVisitor: depth-first, fields in ast order, import
aliases collected as they are met (so a call before its import is not resolved, as in bandit),
string checks skipped for expression statements (docstrings). Each check is a port of the
plugin of the same id; the messages are bandit's.
"""

import ast
import re
import stat

LOW, MEDIUM, HIGH = 'LOW', 'MEDIUM', 'HIGH'

RE_WORDS = '(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)'
RE_CANDIDATES = re.compile('(^{0}$|_{0}_|^{0}_|_{0}$)'.format(RE_WORDS), re.IGNORECASE)
SQL_RE = re.compile(
    r'(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s)',
    re.IGNORECASE | re.DOTALL,
)
# A statement SQL_RE matches holds one of these inside one operand (the operands are joined with
# spaces): without one, the concatenation is not searched at all.
SQL_WORDS = re.compile(r'select|delete|insert|update', re.IGNORECASE)
FULL_PATH = re.compile(r'^(?:[A-Za-z](?=\:)|[\\\/\.])')
TMP_DIRS = ('/tmp', '/var/tmp', '/dev/shm')
HTTP_VERBS = {'get', 'options', 'head', 'post', 'put', 'patch', 'delete'}
HTTPX_ATTRS = {'request', 'stream', 'Client', 'AsyncClient'} | HTTP_VERBS
WEAK_HASHES = ('md4', 'md5', 'sha', 'sha1')
WEAK_CRYPT = ('METHOD_CRYPT', 'METHOD_MD5', 'METHOD_BLOWFISH')

SUBPROCESS = {'subprocess.Popen', 'subprocess.call', 'subprocess.check_call',
              'subprocess.check_output', 'subprocess.run'}
SHELL = {'os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'popen2.popen2',
         'popen2.popen3', 'popen2.popen4', 'popen2.Popen3', 'popen2.Popen4', 'commands.getoutput',
         'commands.getstatusoutput', 'subprocess.getoutput', 'subprocess.getstatusoutput'}
NO_SHELL = {'os.execl', 'os.execle', 'os.execlp', 'os.execlpe', 'os.execv', 'os.execve',
            'os.execvp', 'os.execvpe', 'os.spawnl', 'os.spawnle', 'os.spawnlp', 'os.spawnlpe',
            'os.spawnv', 'os.spawnve', 'os.spawnvp', 'os.spawnvpe', 'os.startfile'}

BLACKLIST = (
    ('B301', MEDIUM, {'pickle.loads', 'pickle.load', 'pickle.Unpickler', 'dill.loads', 'dill.load',
                      'dill.Unpickler', 'shelve.open', 'shelve.DbfilenameShelf', 'jsonpickle.decode',
                      'jsonpickle.unpickler.decode', 'jsonpickle.unpickler.Unpickler',
                      'pandas.read_pickle'},
     'Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.'),
    ('B302', MEDIUM, {'marshal.load', 'marshal.loads'},
     'Deserialization with the marshal module is possibly dangerous.'),
    ('B303', MEDIUM, {'Crypto.Hash.MD2.new', 'Crypto.Hash.MD4.new', 'Crypto.Hash.MD5.new',
                      'Crypto.Hash.SHA.new', 'Cryptodome.Hash.MD2.new', 'Cryptodome.Hash.MD4.new',
                      'Cryptodome.Hash.MD5.new', 'Cryptodome.Hash.SHA.new',
                      'cryptography.hazmat.primitives.hashes.MD5',
                      'cryptography.hazmat.primitives.hashes.SHA1'},
     'Use of insecure MD2, MD4, MD5, or SHA1 hash function.'),
    ('B307', MEDIUM, {'eval'},
     'Use of possibly insecure function - consider using safer ast.literal_eval.'),
    ('B311', LOW, {'random.Random', 'random.random', 'random.randrange', 'random.randint',
                   'random.choice', 'random.choices', 'random.uniform', 'random.triangular',
                   'random.randbytes', 'random.sample', 'random.getrandbits'},
     'Standard pseudo-random generators are not suitable for security/cryptographic purposes.'),
)


GAMING = 'benchmark-gaming'
# Names a tool reads to find its own path or loader.
GAMING_NAMES = {'__file__', '__spec__', '__loader__', '__cached__'}
# Modules whose import alone introspects the running program or reaches the harness.
GAMING_MODULES = {
    'inspect': 'imports inspect (introspects the running code)',
    '__main__': "imports __main__ (the harness's own module)",
}
# Qualified attributes: reading them introspects the program or touches the harness.
GAMING_ATTRS = {
    'sys._getframe': 'reads the call stack (sys._getframe)',
    'sys._current_frames': 'reads the call stack (sys._current_frames)',
    'sys.argv': 'reads its command line (sys.argv)',
    'sys.orig_argv': 'reads its command line (sys.orig_argv)',
    'sys.modules': "reaches loaded modules, the harness's included (sys.modules)",
    'sys.settrace': 'installs a tracer (sys.settrace)',
    'sys.setprofile': 'installs a profiler hook (sys.setprofile)',
    'sys.addaudithook': 'installs an audit hook (sys.addaudithook)',
    'gc.get_objects': "reaches every object, the harness's included (gc.get_objects)",
    'gc.get_referrers': "reaches other objects' referrers (gc.get_referrers)",
    'gc.get_referents': "reaches other objects' referents (gc.get_referents)",
    'traceback.extract_stack': 'reads the call stack (traceback.extract_stack)',
    'traceback.format_stack': 'reads the call stack (traceback.format_stack)',
    'traceback.walk_stack': 'reads the call stack (traceback.walk_stack)',
    'traceback.print_stack': 'reads the call stack (traceback.print_stack)',
    'os.fdopen': 'opens a file descriptor it did not open (os.fdopen)',
    'os.dup2': 'rewires file descriptors (os.dup2)',
    'os.closerange': 'closes file descriptors it did not open (os.closerange)',
}
# Frame attributes: walking to the caller's (the harness's) frame, globals or code.
FRAME_ATTRS = {'f_back', 'f_globals', 'f_locals', 'f_builtins', 'f_code', 'tb_frame',
               'gi_frame', 'cr_frame', 'ag_frame'}
# Calls taking a file descriptor first: with a literal number, a descriptor the tool never opened.
FD_CALLS = {'os.write', 'os.read', 'os.close', 'os.pwrite', 'os.pread', 'os.lseek', 'os.fstat',
            'os.ftruncate', 'os.fsync', 'os.dup', 'os.set_blocking', 'os.sendfile', 'open',
            'io.open', 'io.FileIO', 'socket.socket', 'socket.fromfd'}
# Timers the harness (or anyone) measures with: replacing one forges the measurement.
TIMER_MODULES = {'time'}
# The most links of an attribute chain read as a qualified name (`os.path.join` has two).
QUAL_LINKS = 64


def literal(node):
    """bandit Context._get_literal_value."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or node.value is None:
            return str(node.value)
        return node.value
    if isinstance(node, ast.List):
        return [literal(e) for e in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(literal(e) for e in node.elts)
    if isinstance(node, ast.Set):
        try:
            return {literal(e) for e in node.elts}
        except TypeError:
            return None
    if isinstance(node, ast.Dict):
        return dict(zip(node.keys, node.values))
    if isinstance(node, ast.Name):
        return node.id
    return None


def arg_value(node):
    """How bandit reads a call argument: an attribute's name, else its literal value."""
    return node.attr if hasattr(node, 'attr') else literal(node)


def qual_name(node, aliases):
    """bandit utils._get_attr_qual_name, without recursion: `a.b.….z` may be thousands long. No
    rule names a chain of more than QUAL_LINKS links, so a longer one is no name (''): walking
    each link of a 5,000-link chain down to its root took quadratic time, and the analysis timed
    out."""
    attrs = []
    while isinstance(node, ast.Attribute):
        if len(attrs) == QUAL_LINKS:
            return ''
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ''
    name = aliases.get(node.id, node.id)
    for attr in reversed(attrs):
        name = f'{name}.{attr}'
        name = aliases.get(name, name)
    return name


def call_name(call, aliases):
    """bandit utils.get_call_name."""
    if isinstance(call.func, ast.Name):
        return aliases.get(call.func.id, call.func.id)
    if isinstance(call.func, ast.Attribute):
        return qual_name(call.func, aliases)
    return ''


class Scanner:
    def __init__(self):
        self.aliases = {}
        self.imports = set()
        self.issues = []

    def report(self, rule, severity, confidence, node, message, line=None):
        self.issues.append({
            'rule': rule,
            'severity': severity,
            'confidence': confidence,
            'line': line if line is not None else getattr(node, 'lineno', 1),
            'column': getattr(node, 'col_offset', 0),
            'message': message,
        })

    # bandit's generic_visit: parents set on the way down, pre-order, fields in order. Iterative:
    # what the interpreter compiles (a 5,200-term concatenation) never exhausts the analyser.
    def walk(self, node):
        stack = [(child, node) for child in reversed(list(ast.iter_child_nodes(node)))]
        while stack:
            item, parent = stack.pop()
            item._pv_parent = parent
            self.visit(item)
            stack.extend((child, item) for child in reversed(list(ast.iter_child_nodes(item))))

    def visit(self, node):
        if isinstance(node, ast.Import):
            self.visit_import(node)
        elif isinstance(node, ast.ImportFrom):
            if node.module is None:
                self.visit_import(node)
            else:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = node.module + '.' + alias.name
                    self.imports.add(node.module + '.' + alias.name)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str) and not isinstance(node._pv_parent, ast.Expr):
                self.check_string(node)
        elif isinstance(node, ast.Call):
            self.check_call(node)
        elif isinstance(node, ast.Assert):
            self.report('B101', LOW, HIGH, node, 'Use of assert detected. The enclosed code will be '
                        'removed when compiling to optimised byte code.')
        elif isinstance(node, ast.ExceptHandler):
            typed = node.type is not None and getattr(node.type, 'id', None) != 'Exception'
            if len(node.body) == 1 and not typed and isinstance(node.body[0], ast.Pass):
                self.report('B110', LOW, HIGH, node, 'Try, Except, Pass detected.')
        elif isinstance(node, ast.FunctionDef):  # bandit checks sync defs only
            self.check_defaults(node)
        elif isinstance(node, ast.Name):
            if node.id in GAMING_NAMES and isinstance(node.ctx, ast.Load):
                self.gaming(node, f'reads its own path or loader ({node.id})')
        elif isinstance(node, ast.Attribute):
            self.check_gaming_attribute(node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.check_gaming_import(node)

    # ------------------------------------------------------------ benchmark gaming
    def gaming(self, node, what):
        self.report(GAMING, HIGH, HIGH, node, f'Benchmark gaming: {what}.')

    def check_gaming_import(self, node):
        if isinstance(node, ast.Import):
            for alias in node.names:
                what = GAMING_MODULES.get(alias.name.split('.')[0])
                if what is not None:
                    self.gaming(node, what)
            return
        module = node.module or ''
        if module.split('.')[0] in GAMING_MODULES:
            self.gaming(node, GAMING_MODULES[module.split('.')[0]])
            return
        for alias in node.names:
            what = GAMING_ATTRS.get(f'{module}.{alias.name}')
            if what is not None:
                self.gaming(node, what)

    def check_gaming_attribute(self, node):
        qual = qual_name(node, self.aliases)
        module = qual.split('.')[0]
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            if module in TIMER_MODULES and qual.count('.') == 1:
                self.gaming(node, f'replaces the timer {qual}')
            elif module == 'sys' or qual in GAMING_ATTRS:
                self.gaming(node, f'replaces {qual}')
            return
        if qual in GAMING_ATTRS:
            self.gaming(node, GAMING_ATTRS[qual])
        elif node.attr in FRAME_ATTRS:
            self.gaming(node, f'walks frames (.{node.attr})')

    def check_gaming_call(self, node, qual, args):
        if qual == 'setattr' and len(node.args) >= 2:
            target = qual_name(node.args[0], self.aliases)
            if target in TIMER_MODULES or target == 'sys':
                name = args[1] if isinstance(args[1], str) else '?'
                self.gaming(node, f'replaces {target}.{name} (setattr)')
        if qual in FD_CALLS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, int) \
                    and not isinstance(first.value, bool):
                self.gaming(node, f'uses file descriptor {first.value}, which it did not open ({qual})')

    def visit_import(self, node):
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            self.imports.add(alias.name)

    # ------------------------------------------------------------ strings
    def check_string(self, node):
        value = node.value
        if value == '0.0.0.0':
            self.report('B104', MEDIUM, MEDIUM, node, 'Possible binding to all interfaces.')
        self.check_password_string(node)
        if any(value.startswith(d) for d in TMP_DIRS):
            self.report('B108', MEDIUM, MEDIUM, node, 'Probable insecure usage of temp file/directory.')
        execute_call, statement, str_replace = self.sql_statement(node)
        if SQL_RE.search(statement) is not None:
            self.report('B608', MEDIUM, MEDIUM if execute_call and not str_replace else LOW, node,
                        'Possible SQL injection vector through string-based query construction.')

    def check_password_string(self, node):
        parent = node._pv_parent
        found = None
        if isinstance(parent, ast.Assign):
            for target in parent.targets:
                if isinstance(target, ast.Name) and RE_CANDIDATES.search(target.id):
                    found = node.value
                    break
                if isinstance(target, ast.Attribute) and RE_CANDIDATES.search(target.attr):
                    found = node.value
                    break
        elif isinstance(parent, ast.Dict) and node in parent.keys and RE_CANDIDATES.search(node.value):
            value = parent.values[parent.keys.index(node)]
            if isinstance(value, ast.Constant):
                found = value.value
        elif isinstance(parent, ast.Subscript) and RE_CANDIDATES.search(node.value):
            assign = getattr(parent, '_pv_parent', None)
            if isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Constant) \
                    and isinstance(assign.value.value, str):
                found = assign.value.value
        elif isinstance(parent, ast.Compare):
            left = parent.left
            name = left.id if isinstance(left, ast.Name) else left.attr if isinstance(left, ast.Attribute) else None
            first = parent.comparators[0]
            if name is not None and RE_CANDIDATES.search(name) and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found = first.value
        if found is not None:
            self.report('B105', LOW, MEDIUM, node, f"Possible hardcoded password: '{found}'")

    def sql_statement(self, node):
        """bandit injection_sql._evaluate_ast."""
        parent = node._pv_parent
        wrapper = None
        statement = ''
        str_replace = False
        if isinstance(parent, ast.BinOp):
            top, statement = concat_string(node)
            wrapper = getattr(top, '_pv_parent', None)
        elif isinstance(parent, ast.Attribute) and parent.attr in ('format', 'replace'):
            statement = node.value
            grand = getattr(parent, '_pv_parent', None)
            wrapper = getattr(grand, '_pv_parent', None)
            str_replace = parent.attr == 'replace'
        elif isinstance(parent, ast.JoinedStr):
            parts = [c for c in parent.values if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            if parts and node == parts[0]:
                statement = ''.join(str(c.value) for c in parts)
                wrapper = getattr(parent, '_pv_parent', None)
        if isinstance(wrapper, ast.Call):
            func = wrapper.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, 'id', '')
            return name in ('execute', 'executemany'), statement, str_replace
        return False, statement, str_replace

    # ------------------------------------------------------------ definitions
    def check_defaults(self, node):
        args = node.args.args
        defaults = [None] * (len(args) - len(node.args.defaults)) + list(node.args.defaults)
        for arg, default in zip(args, defaults):
            if default is None or (isinstance(default, ast.Constant) and default.value is None):
                continue
            if isinstance(default, ast.Constant) and isinstance(default.value, str) \
                    and RE_CANDIDATES.search(arg.arg):
                self.report('B107', LOW, MEDIUM, node, f"Possible hardcoded password: '{default.value}'")
                return

    # ------------------------------------------------------------ calls
    def check_call(self, node):
        qual = call_name(node, self.aliases)
        name = qual.split('.')[-1]
        keywords = {kw.arg: arg_value(kw.value) for kw in node.keywords}
        args = [arg_value(a) for a in node.args]

        def kw_line(arg):
            for kw in node.keywords:
                if kw.arg == arg:
                    return kw.value.lineno
            return None

        def check_kw(arg, values):
            """bandit Context.check_call_arg_value: None when absent (or not a literal)."""
            value = keywords.get(arg)
            if value is None:
                return None
            values = values if isinstance(values, list) else [values]
            return any(value == v for v in values)

        # B102 exec
        if qual == 'exec':
            self.report('B102', MEDIUM, HIGH, node, 'Use of exec detected.')
        # B103 chmod
        if 'chmod' in name and len(node.args) == 2:
            mode = args[1]
            if isinstance(mode, int) and not isinstance(mode, bool) and (
                    mode & stat.S_IWOTH or mode & stat.S_IWGRP or mode & stat.S_IXGRP or mode & stat.S_IXOTH):
                filename = args[0] if args[0] is not None else 'NOT PARSED'
                self.report('B103', HIGH if mode & stat.S_IWOTH else MEDIUM, HIGH, node,
                            f'Chmod setting a permissive mask {oct(mode)} on file ({filename}).')
        # B106 password keyword argument
        for kw in node.keywords:
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str) \
                    and kw.arg is not None and RE_CANDIDATES.search(kw.arg):
                self.report('B106', LOW, MEDIUM, node, f"Possible hardcoded password: '{kw.value.value}'",
                            line=kw.value.lineno)
                break
        root = qual.split('.')[0]
        # B113 requests without timeout
        if root == 'requests' and name in HTTP_VERBS and check_kw('timeout', None) is None:
            self.report('B113', MEDIUM, LOW, node, f'Call to {root} without timeout')
        elif ((root == 'requests' and name in HTTP_VERBS) or (root == 'httpx' and name in HTTPX_ATTRS)) \
                and check_kw('timeout', 'None'):
            self.report('B113', MEDIUM, LOW, node, f'Call to {root} with timeout set to None')
        # B324 weak hashes
        parts = qual.split('.')
        if 'hashlib' in parts:
            weak = None
            if name in WEAK_HASHES:
                weak = name
            elif name == 'new':
                hash_name = args[0] if args else keywords.get('name')
                if isinstance(hash_name, str) and hash_name.lower() in WEAK_HASHES:
                    weak = hash_name
            if weak is not None and keywords.get('usedforsecurity', 'True') == 'True':
                self.report('B324', HIGH, HIGH, node,
                            f'Use of weak {weak.upper()} hash for security. Consider usedforsecurity=False')
        elif 'crypt' in parts and name in ('crypt', 'mksalt'):
            if name == 'crypt':
                salt = args[1] if len(args) > 1 else keywords.get('salt')
            else:
                salt = args[0] if args else keywords.get('method')
            if isinstance(salt, str) and salt in WEAK_CRYPT:
                self.report('B324', MEDIUM, HIGH, node, f'Use of insecure crypt.{salt.upper()} hash function.')
        # B501 verify=False
        if ((root == 'requests' and name in HTTP_VERBS) or (root == 'httpx' and name in HTTPX_ATTRS)) \
                and check_kw('verify', 'False'):
            self.report('B501', HIGH, HIGH, node, f'Call to {root} with verify=False disabling SSL '
                        'certificate checks, security issue.', line=kw_line('verify'))
        # B506 yaml.load
        if 'yaml' in self.imports and 'yaml' in parts and name == 'load' and not any((
                check_kw('Loader', 'SafeLoader'), check_kw('Loader', 'CSafeLoader'),
                (args[1] if len(node.args) > 1 else None) in ('SafeLoader', 'CSafeLoader'))):
            self.report('B506', MEDIUM, HIGH, node, 'Use of unsafe yaml load. Allows instantiation of '
                        'arbitrary objects. Consider yaml.safe_load().')
        self.check_process(node, qual, args, keywords, kw_line)
        self.check_gaming_call(node, qual, args)
        # Blacklisted calls (bandit compares the qualified name exactly).
        for rule, severity, names, message in BLACKLIST:
            if qual in names:
                self.report(rule, severity, HIGH, node, message)
                break

    def check_process(self, node, qual, args, keywords, kw_line):
        shell = has_shell(node) if 'shell' in keywords else False
        literal_first = bool(node.args) and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str)
        if qual in SUBPROCESS:
            if shell:
                if node.args:
                    if literal_first:
                        self.report('B602', LOW, HIGH, node, 'subprocess call with shell=True seems safe, '
                                    'but may be changed in the future, consider rewriting without shell',
                                    line=kw_line('shell'))
                    else:
                        self.report('B602', HIGH, HIGH, node, 'subprocess call with shell=True identified, '
                                    'security issue.', line=kw_line('shell'))
            else:
                self.report('B603', LOW, HIGH, node, 'subprocess call - check for execution of untrusted '
                            'input.', line=kw_line('shell'))
        elif shell:
            self.report('B604', MEDIUM, LOW, node, 'Function call with shell=True parameter identified, '
                        'possible security issue.', line=kw_line('shell'))
        if qual in SHELL and node.args:
            if literal_first:
                self.report('B605', LOW, HIGH, node, 'Starting a process with a shell: Seems safe, but may '
                            'be changed in the future, consider rewriting without shell')
            else:
                self.report('B605', HIGH, HIGH, node, 'Starting a process with a shell, possible injection '
                            'detected, security issue.')
        if qual in NO_SHELL:
            self.report('B606', LOW, MEDIUM, node, 'Starting a process without a shell.')
        if node.args and (qual in SUBPROCESS or qual in SHELL or qual in NO_SHELL):
            first = node.args[0]
            if isinstance(first, ast.List) and first.elts:
                first = first.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) \
                    and not FULL_PATH.match(first.value):
                self.report('B607', LOW, HIGH, node, 'Starting a process with a partial executable path')


def has_shell(node):
    """bandit injection_shell.has_shell: the last `shell=` keyword decides."""
    result = False
    for kw in node.keywords:
        if kw.arg != 'shell':
            continue
        value = kw.value
        if isinstance(value, ast.Constant) and isinstance(value.value, (int, float, complex)):
            result = bool(value.value)
        elif isinstance(value, ast.List):
            result = bool(value.elts)
        elif isinstance(value, ast.Dict):
            result = bool(value.keys)
        elif isinstance(value, ast.Name) and value.id in ('False', 'None'):
            result = False
        elif isinstance(value, ast.Constant):
            result = value.value
        else:
            result = True
    return bool(result)


def concat_layout(top):
    """The string operands of a BinOp tree in bandit's order (pre-order, left first), and for
    each BinOp in it the range of those operands it holds: computed once per tree, iteratively."""
    values, spans, stack = [], {}, [(top, False)]
    while stack:
        current, closing = stack.pop()
        if not isinstance(current, ast.BinOp):
            if isinstance(current, ast.Constant) and isinstance(current.value, str):
                values.append(current.value)
        elif closing:
            spans[id(current)] = (spans[id(current)], len(values))
        else:
            current._pv_top = top
            spans[id(current)] = len(values)
            stack.extend(((current, True), (current.right, False), (current.left, False)))
    return values, spans, any(SQL_WORDS.search(v) for v in values)


def concat_string(node):
    """bandit utils.concat_string: the outermost BinOp and its string parts joined by spaces.
    Like bandit, the operands of the string's own BinOp are skipped (bandit's `stop`). Linear per
    tree, not per string: a 5,200-term concatenation is one layout, not 5,200 walks."""
    stop = node._pv_parent
    top = getattr(stop, '_pv_top', None)
    if top is None:
        top = node
        while isinstance(getattr(top, '_pv_parent', None), ast.BinOp):
            top = top._pv_parent
        if isinstance(top, ast.BinOp):
            top._pv_layout = concat_layout(top)
    if not isinstance(top, ast.BinOp):
        return top, node.value if isinstance(node.value, str) else ''
    values, spans, sql = top._pv_layout
    if not sql and not SQL_WORDS.search(node.value):
        return top, ''  # nothing SQL_RE could match: not joined, not searched
    start, end = spans.get(id(stop), (len(values), len(values)))
    bits = [node.value] + values[:start] + values[end:]
    return top, ' '.join(bits)


def scan_security(tree):
    scanner = Scanner()
    scanner.walk(tree)
    issues = sorted(scanner.issues, key=lambda i: (i['line'], i['column'], i['rule'], i['message']))
    counts = {LOW: 0, MEDIUM: 0, HIGH: 0}
    for issue in issues:
        counts[issue['severity']] += 1
    return {'available': True, 'total_issues': len(issues), 'severity_counts': counts, 'issues': issues}
