"""perf-verdict Python harness: loads one tool version with its mocks and answers timing requests.

Usage: python3 python.py CONFIG.json SOCKET   (long-lived: line protocol)

Function mode calls the tool's function; executable mode runs the tool's script as __main__ with
the input on stdin, once per call, in this process (make_script_call).

The tool's code and test input are read from files named in CONFIG (data, never pasted into
source). Requests are JSON lines on the Unix socket named by the last argument, connected to
first thing (an inherited fd would not survive sudo): {"op": "run", "n": N} -> {"ok": true, "ns": elapsed};
"check" (one call, result must be JSON), "mem" (tracemalloc peak of one call), "events".
fd 1 and 2 belong to the tool: the parent captures and caps them.
Standard library only; Python 3.9+.
"""
import sys

# The modules a fresh interpreter has loaded before it runs a script (read before this harness
# imports anything): a Python executable tool finds these, and only these, already imported in
# production, where every call is a new process (make_script_call).
STARTUP = frozenset(sys.modules)

import ast  # noqa: E402 - after STARTUP, which must see the interpreter's own modules only
import asyncio  # noqa: E402
import inspect  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402

# The interpreter that runs the tool, named in the greeting (the report names it per version).
RUNTIME = b"Python %d.%d.%d" % tuple(sys.version_info[:3])

# The harness's clocks, bound before any tool code runs: a tool that replaces
# time.perf_counter_ns, time.process_time_ns or resource.getrusage at import changes its own view
# of them, not the harness's (the static check also names the line: benchmark-gaming).
PERF = time.perf_counter_ns
CPU = time.process_time_ns
GETRUSAGE = resource.getrusage
RUSAGE_SELF = resource.RUSAGE_SELF

EVENTS = []
_SEEN = set()


def record(kind, target):
    key = (kind, str(target)[:200])
    if key not in _SEEN and len(EVENTS) < 50:
        _SEEN.add(key)
        EVENTS.append({"kind": kind, "target": key[1]})


# ------------------------------------------------------------------ limits

def apply_limits(config):
    limit = int(config.get("memory_limit_mb", 1024)) * 1024 * 1024
    for name, value in (("RLIMIT_AS", limit), ("RLIMIT_CORE", 0)):
        try:
            res = getattr(resource, name)
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError, AttributeError):
            pass


def block_processes():
    """A tool may not start processes in function mode: a fork bomb would take the runner down
    before the deadline kill (we run as root, where RLIMIT_NPROC does not apply)."""

    def blocker(what):
        def blocked(*_args, **_kwargs):
            if len(HOSTILE) < 20:
                HOSTILE.append(what)
            raise PermissionError("perf-verdict: starting processes is not allowed in a benchmark")
        return blocked

    for name in ("fork", "forkpty", "system", "popen", "spawnv", "spawnve", "spawnl", "spawnle",
                 "spawnvp", "spawnvpe", "spawnlp", "spawnlpe", "posix_spawn", "posix_spawnp",
                 "execv", "execve", "execl", "execle", "execvp", "execvpe", "execlp", "execlpe"):
        if hasattr(os, name):
            setattr(os, name, blocker("os." + name))
    import subprocess
    subprocess.Popen.__init__ = blocker("subprocess.Popen")
    try:
        import multiprocessing
        multiprocessing.Process.start = blocker("multiprocessing.Process.start")
    except Exception:
        pass


# Audit events that start a process (https://docs.python.org/3/library/audit_events.html). A hook
# sees them below `os`: `posix.fork()`, `os.posix_spawn` and `subprocess.Popen` from a module
# the tool re-imported all raise them, whatever the tool did to the names in `os`.
PROCESS_EVENTS = frozenset((
    "os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "os.system",
    "os.startfile", "subprocess.Popen", "pty.spawn",
))
# C functions that start or replace a process: looked up through ctypes (`ctypes.dlsym`), blocked.
PROCESS_SYMBOLS = frozenset((
    "fork", "vfork", "_Fork", "clone", "clone3", "__clone", "forkpty", "daemon", "system",
    "popen", "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "fexecve",
    "execveat", "posix_spawn", "posix_spawnp", "syscall", "ptrace",
))
# What the tool tried, for the row error even when the tool swallowed the PermissionError.
HOSTILE = []


def hostile_failure():
    what = ", ".join(HOSTILE[:3])
    return ToolFailure("hostile", "the tool tried to start a process (%s): blocked, processes are "
                       "not allowed in a benchmark" % what)


def install_process_audit():
    """Block process starts below `os` with an audit hook (PEP 578): it cannot be removed, and it
    sees `posix.fork`, `os.posix_spawn`, `subprocess.Popen`, `pty.spawn` and ctypes look-ups of
    libc's fork/exec whatever the tool did to the `os` module. Installed after the harness's own
    set-up, before the tool's code runs; nothing of the harness starts a process after that.
    `_posixsubprocess.fork_exec` raises no event of its own: it is replaced, and a fresh import
    of `_posixsubprocess` is refused."""
    def refuse(*_args, **_kwargs):
        HOSTILE.append("_posixsubprocess.fork_exec")
        raise PermissionError("perf-verdict: starting processes is not allowed in a benchmark")
    try:
        import _posixsubprocess
        _posixsubprocess.fork_exec = refuse
        import subprocess
        if hasattr(subprocess, "_fork_exec"):
            subprocess._fork_exec = refuse
    except ImportError:
        pass

    def hook(event, args):
        if event in PROCESS_EVENTS:
            what = event
        elif event in ("ctypes.dlsym", "ctypes.dlsym/handle") and len(args) > 1 \
                and args[1] in PROCESS_SYMBOLS:
            what = "ctypes %s" % args[1]
        elif event == "import" and args and args[0] == "_posixsubprocess":
            what = "import _posixsubprocess"
        else:
            return
        if len(HOSTILE) < 20:
            HOSTILE.append(what)
        raise PermissionError("perf-verdict: starting processes is not allowed in a benchmark (%s)"
                              % what)
    sys.addaudithook(hook)


# ------------------------------------------------------------------ mocks

LOOPBACK = ("127.", "::1", "localhost", "0:0:0:0:0:0:0:1")


def is_loopback(host):
    host = str(host or "")
    return host.startswith(LOOPBACK) or host == "" or host.startswith("[::1]")


def install_socket_guard():
    import socket

    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            host = address[0]
            if not is_loopback(host):
                target = "%s:%s" % (host, address[1] if len(address) > 1 else "")
                record("blocked", target)
                raise ConnectionRefusedError(
                    "perf-verdict: outgoing connection to %s blocked during a benchmark" % target)

    def connect(self, address):
        check(self, address)
        return original_connect(self, address)

    def connect_ex(self, address):
        check(self, address)
        return original_connect_ex(self, address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


MOCK_TEXT = "mock response"


class MockHTTPResponse:
    def __init__(self, url, method="GET"):
        self.url = str(url)
        self.method = method
        self.status_code = 200
        self.status = 200
        self.ok = True
        self.reason = "OK"
        self.reason_phrase = "OK"
        self.headers = {"content-type": "application/json"}
        self.encoding = "utf-8"
        self.text = "{}"
        self.content = b"{}"
        self.is_success = True
        self.elapsed = 0

    def json(self, **_kwargs):
        return {}

    def raise_for_status(self):
        return self

    def iter_content(self, *_a, **_k):
        yield self.content

    def iter_lines(self, *_a, **_k):
        yield self.content

    def close(self):
        pass

    # urllib-style
    def read(self, *_args):
        return self.content

    def getcode(self):
        return 200

    def info(self):
        return self.headers

    def geturl(self):
        return self.url

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False


def http_call(method):
    def call(url="", *_args, **_kwargs):
        record("mocked", "%s %s" % (method.upper(), url))
        return MockHTTPResponse(url, method.upper())
    return call


class MockSession:
    def __init__(self, *_args, **_kwargs):
        self.headers = {}

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def close(self):
        pass

    def request(self, method, url, *args, **kwargs):
        return http_call(method)(url)

    def __getattr__(self, name):
        if name in ("get", "post", "put", "patch", "delete", "head", "options"):
            return http_call(name)
        raise AttributeError(name)


def make_module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    module.__perf_verdict_mock__ = True
    return module


def requests_modules():
    class RequestException(IOError):
        pass

    exceptions = make_module(
        "requests.exceptions", RequestException=RequestException,
        HTTPError=type("HTTPError", (RequestException,), {}),
        ConnectionError=type("ConnectionError", (RequestException,), {}),
        Timeout=type("Timeout", (RequestException,), {}),
        JSONDecodeError=type("JSONDecodeError", (RequestException, ValueError), {}))
    methods = {m: http_call(m) for m in ("get", "post", "put", "patch", "delete", "head", "options")}
    main = make_module("requests", Session=MockSession, session=MockSession,
                       Response=MockHTTPResponse, exceptions=exceptions,
                       request=lambda method, url, *a, **k: http_call(method)(url),
                       **methods, **{k: v for k, v in exceptions.__dict__.items() if k[0].isupper()})
    return {"requests": main, "requests.exceptions": exceptions}


class AsyncSelfContext:
    """`async with client:` gives the client back and swallows nothing; closing is a no-op
    (a class that also has a sync `close` lists this base after it)."""

    async def __aenter__(self):
        return self

    async def __aexit__(self, *_exc):
        return False

    async def aclose(self):
        pass

    async def close(self):
        pass


def httpx_modules():
    class AsyncClient(MockSession, AsyncSelfContext):
        def __getattr__(self, name):
            sync = MockSession.__getattr__(self, name)

            async def call(*args, **kwargs):
                return sync(*args, **kwargs)
            return call

    methods = {m: http_call(m) for m in ("get", "post", "put", "patch", "delete", "head", "options")}
    return {"httpx": make_module("httpx", Client=MockSession, AsyncClient=AsyncClient,
                                 Response=MockHTTPResponse, HTTPError=IOError,
                                 HTTPStatusError=IOError, RequestError=IOError,
                                 TimeoutException=IOError, **methods)}


def aiohttp_modules():
    class Ctx:
        def __init__(self, method, url):
            self.response = MockHTTPResponse(url, method)

        async def __aenter__(self):
            response = self.response
            # aiohttp's text() and read() are coroutines: keep the bodies before they are replaced.
            body, content = response.text, response.content

            async def text():
                return body

            async def json_():
                return {}

            async def read():
                return content
            response.text = text
            response.json = json_
            response.read = read
            return response

        async def __aexit__(self, *_exc):
            return False

    class ClientSession(AsyncSelfContext):
        def __init__(self, *_a, **_k):
            pass

        def request(self, method, url, *_a, **_k):
            record("mocked", "%s %s" % (method.upper(), url))
            return Ctx(method.upper(), url)

        def __getattr__(self, name):
            if name in ("get", "post", "put", "patch", "delete", "head"):
                return lambda url, *a, **k: self.request(name, url)
            raise AttributeError(name)

    return {"aiohttp": make_module("aiohttp", ClientSession=ClientSession,
                                   ClientError=IOError, ClientTimeout=lambda *a, **k: None)}


class Obj(dict):
    """A dict whose keys are also attributes: the SDKs' pydantic objects and dict access both work."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def model_dump(self, *_a, **_k):
        return json.loads(json.dumps(self))

    def to_dict(self):
        return self.model_dump()


def llm_modules():
    def chat_completion(*_a, **kwargs):
        record("mocked", "openai chat.completions %s" % kwargs.get("model", ""))
        message = Obj(role="assistant", content=MOCK_TEXT, tool_calls=None)
        return Obj(id="mock", object="chat.completion", model=kwargs.get("model", "mock"),
                   choices=[Obj(index=0, message=message, finish_reason="stop")],
                   usage=Obj(prompt_tokens=0, completion_tokens=0, total_tokens=0))

    def anthropic_message(*_a, **kwargs):
        record("mocked", "anthropic messages %s" % kwargs.get("model", ""))
        return Obj(id="mock", type="message", role="assistant", model=kwargs.get("model", "mock"),
                   content=[Obj(type="text", text=MOCK_TEXT)], stop_reason="end_turn",
                   usage=Obj(input_tokens=0, output_tokens=0))

    def asyncify(fn):
        async def call(*a, **k):
            return fn(*a, **k)
        return call

    class OpenAI:
        def __init__(self, *_a, **_k):
            self.chat = Obj(completions=Obj(create=chat_completion))
            self.completions = Obj(create=chat_completion)

    class AsyncOpenAI:
        def __init__(self, *_a, **_k):
            self.chat = Obj(completions=Obj(create=asyncify(chat_completion)))

    class Anthropic:
        def __init__(self, *_a, **_k):
            self.messages = Obj(create=anthropic_message)

    class AsyncAnthropic:
        def __init__(self, *_a, **_k):
            self.messages = Obj(create=asyncify(anthropic_message))

    def ollama_chat(*_a, **kwargs):
        record("mocked", "ollama chat %s" % kwargs.get("model", ""))
        return Obj(model=kwargs.get("model", "mock"), message=Obj(role="assistant", content=MOCK_TEXT),
                   done=True)

    def ollama_generate(*_a, **kwargs):
        record("mocked", "ollama generate %s" % kwargs.get("model", ""))
        return Obj(model=kwargs.get("model", "mock"), response=MOCK_TEXT, done=True)

    class OllamaClient:
        def __init__(self, *_a, **_k):
            self.chat = ollama_chat
            self.generate = ollama_generate

    return {
        "openai": make_module("openai", OpenAI=OpenAI, AsyncOpenAI=AsyncOpenAI,
                              ChatCompletion=Obj(create=chat_completion), OpenAIError=Exception),
        "anthropic": make_module("anthropic", Anthropic=Anthropic, AsyncAnthropic=AsyncAnthropic,
                                 APIError=Exception),
        "ollama": make_module("ollama", chat=ollama_chat, generate=ollama_generate,
                              Client=OllamaClient, AsyncClient=OllamaClient),
    }


def call_tool(tool_name, prompt="", *args, **kwargs):
    """code_evolver's call_tool: another tool's output, always a string."""
    record("mocked", "call_tool %s" % tool_name)
    return MOCK_TEXT


TOOL_MOCKS = {"call_tool": call_tool, "execute_tool": call_tool, "run_tool": call_tool}


class MockFinder:
    """Meta-path finder serving the stub modules, so `import requests` works uninstalled and the
    real library (which would reach the network) is never loaded during a benchmark."""

    def __init__(self, modules):
        self.modules = modules
        self.roots = {name.split(".")[0] for name in modules}

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in self.roots:
            return None
        import importlib.machinery
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        # A fresh copy per import: a script's call that imports `requests` gets a module no
        # earlier call has written to (make_script_call drops it from the cache after the call).
        module = make_module(spec.name)
        template = self.modules.get(spec.name)
        if template is not None:
            module.__dict__.update((k, v) for k, v in template.__dict__.items()
                                   if k not in ("__name__", "__spec__", "__loader__"))
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def install_mocks():
    install_socket_guard()
    import urllib.request
    urllib.request.urlopen = lambda url, *a, **k: http_call("GET")(
        getattr(url, "full_url", url))
    modules = {}
    for factory in (requests_modules, httpx_modules, aiohttp_modules, llm_modules):
        modules.update(factory())
    modules["node_runtime"] = make_module("node_runtime", **TOOL_MOCKS)
    for name in list(sys.modules):
        if name.split(".")[0] in {n.split(".")[0] for n in modules}:
            del sys.modules[name]
    sys.meta_path.insert(0, MockFinder(modules))


# ------------------------------------------------------------------ the tool

class ToolFailure(Exception):
    def __init__(self, kind, message, tb=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.tb = tb


def tool_traceback(exc, tool_path):
    """The tool's own frames (ours are noise to the author), size-capped."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == tool_path]
    text = "".join(traceback.format_list(frames)) + "".join(
        traceback.format_exception_only(type(exc), exc))
    return text[-2000:]


def classify(exc, tool_path):
    if HOSTILE:
        return hostile_failure()
    if isinstance(exc, MemoryError):
        return ToolFailure("memory", "the tool ran out of memory (MemoryError)")
    if isinstance(exc, SystemExit):
        return ToolFailure("crashed", "the tool called sys.exit(%r)" % (exc.code,))
    if isinstance(exc, RecursionError):
        return ToolFailure("exception", "RecursionError: %s" % exc, tool_traceback(exc, tool_path))
    return ToolFailure("exception", "%s: %s" % (type(exc).__name__, str(exc)[:500]),
                       tool_traceback(exc, tool_path))


def read_source(config):
    """The tool's source as bytes: Python decodes them as it decodes a file it runs (a UTF-8 BOM,
    a PEP 263 coding line, CRLF line ends). The file name compiled in is the repository path when
    the config names one, so a syntax error or a traceback names the file the author knows."""
    with open(config["tool_path"], "rb") as handle:
        return handle.read(), config.get("display_path") or config["tool_path"]


def syntax_failure(exc, shown):
    return ToolFailure("invalid_tool", "syntax error in %s at line %s: %s" % (shown, exc.lineno, exc.msg))


def load_function(config):
    path = config["tool_path"]
    source, shown = read_source(config)
    try:
        tree = ast.parse(source, shown)
    except (SyntaxError, ValueError) as exc:
        raise syntax_failure(exc, shown) if isinstance(exc, SyntaxError) else \
            ToolFailure("invalid_tool", "%s: %s" % (shown, exc))
    entry = config.get("entry")
    if not entry:
        names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        if not names:
            raise ToolFailure("invalid_tool", "no top-level function to call (name one with entry)")
        entry = names[-1]
    namespace = {"__name__": "perf_verdict_tool", "__file__": path, "__builtins__": __builtins__}
    namespace.update(TOOL_MOCKS)  # the tool's own definitions of these names win
    module = types.ModuleType("perf_verdict_tool")
    module.__dict__.update(namespace)
    sys.modules["perf_verdict_tool"] = module
    try:
        exec(compile(tree, shown, "exec"), module.__dict__)
    except BaseException as exc:  # noqa: B902 - the tool's import-time failure is its result
        raise classify(exc, shown)
    fn = module.__dict__.get(entry)
    if not callable(fn):
        raise ToolFailure("invalid_tool", "entry %r is not a function of the tool" % entry)
    return fn


def make_call(fn, data):
    """Object input -> **kwargs, unless the function takes one parameter that the keys do not
    name (code_evolver tools often take the whole input dict)."""
    args, kwargs = (data,), {}
    if isinstance(data, dict):
        try:
            inspect.signature(fn).bind(**data)
            args, kwargs = (), data
        except TypeError:
            args, kwargs = (data,), {}
        except ValueError:
            args, kwargs = (), data
    if inspect.iscoroutinefunction(fn):
        loop = asyncio.new_event_loop()
        return lambda: loop.run_until_complete(fn(*args, **kwargs))
    return lambda: fn(*args, **kwargs)


class Sink(io.RawIOBase):
    """A tool's stdout or stderr during one in-process call: counted, only the first `head` and
    the last `tail` bytes kept (a tool that prints a lot costs no memory)."""

    def __init__(self, head=0, tail=0):
        io.RawIOBase.__init__(self)
        self.head, self.tail = head, tail
        self.first = bytearray()
        self.last = bytearray()

    def writable(self):
        return True

    def write(self, data):
        data = bytes(data)
        if len(self.first) < self.head:
            self.first += data[:self.head - len(self.first)]
        if self.tail:
            self.last += data
            del self.last[:-self.tail]
        return len(data)


def text_stream(raw):
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="backslashreplace")


# Modules this harness guards (process starts refused, sockets guarded, urllib mocked): a script's
# call gets them as patched, never a fresh copy that would bring the real functions back. And
# modules that hook the process when imported (`os.register_at_fork`, `atexit`, thread exit
# hooks): a fresh copy per call would leave one hook, and the copy it holds, behind per call.
SHARED_ROOTS = frozenset((
    "os", "socket", "subprocess", "_posixsubprocess", "multiprocessing", "urllib",
    "threading", "random", "logging", "concurrent", "asyncio", "weakref", "atexit",
))


def python_source(module):
    """A module loaded from a .py file (what a fresh import runs again), not a built-in or
    extension module (which cannot be loaded twice) nor a namespace package."""
    file = getattr(module, "__file__", None)
    return isinstance(file, str) and file.endswith((".py", ".pyc"))


def kept_module(name, module):
    """Whether a script's call shares this module with the harness rather than importing it
    afresh: the interpreter's start-up modules, SHARED_ROOTS, and what cannot be loaded twice.
    Mock modules are made afresh."""
    if getattr(module, "__perf_verdict_mock__", False):
        return False
    return name in STARTUP or name.split(".")[0] in SHARED_ROOTS or not python_source(module)


def script_modules():
    """The module cache every call of a script starts from, and the undoing of what a call left
    in the modules it shares (executable mode). In production each call is a new process: its
    script finds only the interpreter's start-up modules loaded, and what it stores in a module
    (`json.__dict__`, `sys.modules[...]`) ends with the process. Here each call starts from the
    shared modules only (kept_module): this harness's own imports (json, ast, ...) and whatever
    an earlier call imported are imported afresh, as in production, and dropped after the call;
    a package with extension modules, which cannot be loaded twice, is kept from its first
    import on. The shared modules' dictionaries (the harness's own among them), the import
    system's lists and caches and the environment are put back after each call when a call
    changed them (C-speed comparisons). State hidden deeper in a shared object (a class's
    attribute, a codec search function) is not undone: in-process isolation is defence in depth;
    the boundary is the process, and a process per call would time the interpreter's start-up in
    every call. Returns (enter, leave): enter() gives the harness's cache, leave(it) puts it
    back."""
    start = {name: m for name, m in sys.modules.items() if kept_module(name, m)}
    shared = {id(m): m.__dict__ for m in start.values() if isinstance(getattr(m, "__dict__", None), dict)}
    dicts = [(d, dict(d)) for d in list(shared.values()) + [sys.path_importer_cache]]
    lists = [(lst, list(lst)) for lst in (sys.meta_path, sys.path_hooks)]
    env = os.environ
    env_data, env_items = dict(env._data), dict(env)
    from importlib.machinery import EXTENSION_SUFFIXES

    def extension(module):
        file = getattr(module, "__file__", None)
        return isinstance(file, str) and file.endswith(tuple(EXTENSION_SUFFIXES))

    def enter():
        harness = dict(sys.modules)
        sys.modules.clear()
        sys.modules.update(start)
        return harness

    def leave(harness):
        # A package with extension modules cannot be imported twice (numpy refuses): the first
        # call that imports one keeps its whole package for the calls after it.
        roots = {n.split(".")[0] for n, m in sys.modules.items()
                 if n not in start and extension(m)}
        for name, module in list(sys.modules.items()):
            if name not in start and name.split(".")[0] in roots:
                start[name] = module
                if isinstance(getattr(module, "__dict__", None), dict):
                    dicts.append((module.__dict__, dict(module.__dict__)))
        sys.modules.clear()
        sys.modules.update(harness)
        for d, before in dicts:
            try:
                changed = d != before
            except Exception:  # noqa: B902 - a value whose comparison raises was put there
                changed = True
            if changed:
                for key in [k for k in d if k not in before]:
                    del d[key]
                d.update(before)
        for lst, before in lists:
            if lst != before:
                lst[:] = before
        if env._data != env_data:
            for key in [k for k in env if k not in env_items]:
                del env[key]
            env.update(env_items)
    return enter, leave


def make_script_call(config):
    """Executable mode: the tool is a script that reads JSON on stdin and prints JSON. It runs as
    `python path/to/tool.py ARGS` would run it (as __main__, its argv, its folder first on
    sys.path, the input on stdin), but inside this long-lived process, once per call: the
    interpreter's start-up, the same for every version, is not timed over and over (it would
    drown the tool's own work). Each call gets a fresh `__main__` and a fresh module cache
    (script_modules): its imports run in every call, as in production, and nothing it keeps in a
    module outlives the call. Returns the script's stdout (first 4 KiB)."""
    path = config["tool_path"]
    source, shown = read_source(config)
    try:
        code = compile(source, shown, "exec")
    except SyntaxError as exc:
        raise syntax_failure(exc, shown)
    except ValueError as exc:
        raise ToolFailure("invalid_tool", "%s: %s" % (shown, exc))
    # The text on stdin: as the repository's runner sends it where the gate knows it (`stdin`:
    # code_evolver sends a text input as it is), else the input as JSON.
    stdin_text = config.get("stdin")
    if not isinstance(stdin_text, str):
        stdin_text = json.dumps(config["input"])
    payload = stdin_text.encode("utf-8", "surrogatepass")
    argv = [path] + [str(a) for a in config.get("argv") or []]
    if config.get("script_dir_on_path"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    import builtins
    cwd = os.getcwd()

    def script_exit(status):
        # A script's os._exit(n) ends its run, as it ends its process: not this harness.
        raise SystemExit(status)
    os._exit = script_exit
    enter, leave = script_modules()

    def call():
        out, err = Sink(head=4096), Sink(tail=4000)
        stdout, stderr = text_stream(out), text_stream(err)
        stdin = io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8")
        module = types.ModuleType("__main__")
        module.__dict__.update(TOOL_MOCKS)
        module.__dict__.update({"__file__": path, "__builtins__": builtins})
        saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, list(sys.path))
        harness_modules = enter()
        sys.stdin, sys.stdout, sys.stderr, sys.argv = stdin, stdout, stderr, list(argv)
        sys.modules["__main__"] = module
        status = 0
        try:
            exec(code, module.__dict__)
        except SystemExit as exc:
            status = 0 if exc.code is None else exc.code
        except BaseException as exc:  # noqa: B902 - the tool's failure is its result
            raise classify(exc, shown)
        finally:
            for stream in (stdout, stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: B902 - a closed stream is the tool's business
                    pass
            sys.stdin, sys.stdout, sys.stderr, sys.argv = saved[:4]
            sys.path[:] = saved[4]
            leave(harness_modules)
            if os.getcwd() != cwd:
                os.chdir(cwd)
        if status != 0:
            text = bytes(err.last).decode("utf-8", "replace")
            if not isinstance(status, int):
                text += "%s\n" % status
                status = 1
            kind = "memory" if "MemoryError" in text else "exception" if "Traceback" in text else "crashed"
            raise ToolFailure(kind, "the tool exited with status %d" % status, text[-2000:])
        return bytes(out.first).decode("utf-8", "replace")
    return call


# ------------------------------------------------------------------ protocol

def open_channel(path):
    """The parent's socket at `path`, connected before any mock or tool code. Returns
    (read, send, send_line): closures over the descriptor and functions bound here, so nothing a
    tool can name (module globals, a class, `sys.modules`) leads to them. Requests are parsed by
    `json.loads` bound now; replies that carry figures are formatted by `bytes % ints` (C,
    nothing to patch) and written with the `os.write` bound now."""
    import socket
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    fd = sock.detach()
    os_read, os_write, loads, dumps = os.read, os.write, json.loads, json.dumps
    buffer = [b""]

    def read():
        while b"\n" not in buffer[0]:
            chunk = os_read(fd, 65536)
            if not chunk:
                return None
            buffer[0] += chunk
        line, buffer[0] = buffer[0].split(b"\n", 1)
        return loads(line.decode("utf-8"))

    def send_line(data):
        while data:
            data = data[os_write(fd, data):]

    def send(message):
        send_line((dumps(message) + "\n").encode("utf-8"))
    return read, send, send_line


# A JSON string from a str with str.translate (a method of the built-in type: a tool cannot
# replace it), so that text a tool controls (a result's preview) cannot end a reply line or add
# a key to it, whatever it did to the json module.
JSON_ESCAPES = {i: "\\u%04x" % i for i in list(range(0x20)) + list(range(0xD800, 0xE000))}
JSON_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", 0x7F: "\\u007f",
                     0x2028: "\\u2028", 0x2029: "\\u2029"})


def timer_cost():
    samples = []
    for _ in range(5):
        start = PERF()
        for _ in range(1000):
            PERF()
        samples.append((PERF() - start) / 1000)
    return min(samples)


def gc_policy(mode):
    """How the collector meets a timed sample. Returns prepare() -> restore, run around each sample.

    align (default): the objects that exist before timing (harness, imports, the loaded tool) are
      frozen out of the collector's scans once; before each sample a collection (full when it is
      cheap, else the youngest generation) resets the generation counters, so every sample starts
      at the same GC phase. The tool's own collections stay inside its time: a version that makes
      more cyclic garbage is slower, as it would be in use.
    pyperf: the collector is off during a sample and back on between (pyperf's timeit). A
      collection never lands inside a sample, and GC cost is not measured at all.
    none: the interpreter's default.
    """
    import gc

    def nothing():
        pass

    if mode == "none":
        return lambda: nothing
    if mode == "pyperf":
        def pyperf_prepare():
            was = gc.isenabled()
            gc.disable()
            return gc.enable if was else nothing
        return pyperf_prepare
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()
    state = {"full": True}

    def align():
        if state["full"]:
            start = PERF()
            gc.collect()
            # A tool that keeps many objects alive makes a full collection dear: youngest only.
            if PERF() - start > 1000000:
                state["full"] = False
        else:
            gc.collect(0)
        return nothing
    return align


# The most of one call's output (its JSON text) sent back for comparison.
OUTPUT_CAP = 65536

# A set in an answer is sent as {SET_KEY: [items]} (its order is the set's; the gate sorts), and
# a key of the tool's own that starts with NUL gets one more, so that only a set reads as a set
# (src/measure/outputs.ts compares sets in any order).
SET_KEY = "\x00set"


def plain(value):
    """An answer as JSON data the gate compares: sets and frozensets marked, tuples as lists, keys
    as json.dumps writes them (str; int, float, bool and None as their JSON text)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str):
                key = "\x00" + key if key.startswith("\x00") else key
            elif key is None or isinstance(key, (bool, int, float)):
                key = json.dumps(key)
            else:
                raise TypeError("keys must be str, int, float, bool or None, not %s" % type(key).__name__)
            out[key] = plain(item)
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return {SET_KEY: [plain(item) for item in value]}
    return value


def serve(config_path, channel_path):
    read, send, send_line = open_channel(channel_path)
    # Everything the request loop uses is bound here, before the tool's code runs, as locals of
    # this frame: the clocks, getrusage, tracemalloc, the writer, even `range` and `int`. A tool
    # that walks the harness's globals (`call_tool.__globals__`, `__import__("__main__")`) or
    # `sys.modules` and replaces what it finds changes names this loop no longer reads. (A tool
    # can still reach objects through `gc` or frames: in-process guards are defence in depth;
    # the gate checks every figure against what it observes from outside, protocol.ts.)
    perf, cpu, getrusage, rusage_self = PERF, CPU, GETRUSAGE, RUSAGE_SELF
    int_, range_, str_, slice_, isinstance_ = int, range, str, slice, isinstance
    import tracemalloc
    trace_start, trace_stop = tracemalloc.start, tracemalloc.stop
    trace_reset = getattr(tracemalloc, "reset_peak", None)
    traced = tracemalloc.get_traced_memory
    escapes = dict(JSON_ESCAPES)
    hostile = HOSTILE

    def failed(failure):
        send({"ok": False, "error": {"kind": failure.kind, "message": failure.message,
                                     "traceback": failure.tb}})

    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    config["config_path"] = config_path
    tool_path = config.get("display_path") or config["tool_path"]
    # Started with -I: the repository's import roots become importable only now, after the clocks
    # and the channel are bound, never before (no sitecustomize, usercustomize or .pth of theirs).
    sys.path[0:0] = [str(p) for p in config.get("import_paths") or []]
    apply_limits(config)
    install_mocks()
    try:
        block_processes()
        install_process_audit()
        if config.get("mode") == "executable":
            call = make_script_call(config)
        else:
            call = make_call(load_function(config), config["input"])
        if hostile:
            raise hostile_failure()
    except ToolFailure as failure:
        failed(failure)
        return
    prepare_gc = gc_policy(config.get("gc", "align"))
    send_line(b'{"ok":true,"ready":true,"timer_ns":%d,"runtime":"%s"}\n' % (int_(timer_cost()), RUNTIME))
    while True:
        request = read()
        if request is None:
            return
        op = request.get("op") if isinstance_(request, dict) else None
        try:
            if op == "run":
                n = int_(request["n"])
                restore = prepare_gc()
                waits_start = getrusage(rusage_self).ru_nvcsw
                cpu_start = cpu()
                start = perf()
                for _ in range_(n):
                    call()
                elapsed = perf() - start
                cpu_elapsed = cpu() - cpu_start
                waits = getrusage(rusage_self).ru_nvcsw - waits_start
                restore()
                if hostile:
                    raise hostile_failure()
                # Wall time, the process's CPU time, all threads (time the scheduler gave to
                # other processes is not in it), and its voluntary context switches: the times
                # it waited (sleep, I/O, a join), which preemption by other processes is not.
                # `n` goes back as it was run: a request rewritten on its way in shows.
                send_line(b'{"ok":true,"n":%d,"ns":%d,"cpu_ns":%d,"waits":%d}\n'
                          % (n, elapsed, cpu_elapsed, waits))
            elif op == "check":
                start = perf()
                result = call()
                elapsed = perf() - start
                if hostile:
                    raise hostile_failure()
                try:
                    text = json.dumps(plain(result))
                except (TypeError, ValueError, RecursionError) as exc:
                    raise ToolFailure("output", "the tool's result is not JSON-serialisable: %s" % exc)
                # The type's own methods: a str subclass a patched json returned cannot override
                # them. The output itself (capped) goes back for the comparison of the two
                # versions' answers; the figure last, where text cannot override it.
                preview = str_.translate(str_.__getitem__(text, slice_(0, 200)), escapes)
                output = str_.translate(str_.__getitem__(text, slice_(0, OUTPUT_CAP)), escapes)
                send_line(b'{"ok":true,"preview":"%s","output":"%s","ns":%d}\n'
                          % (preview.encode("utf-8"), output.encode("utf-8"), elapsed))
            elif op == "mem":
                trace_start()
                if trace_reset is not None:
                    trace_reset()
                call()
                peak = traced()[1]
                trace_stop()
                if hostile:
                    raise hostile_failure()
                send_line(b'{"ok":true,"kb":%d.%03d}\n' % (peak // 1024, (peak % 1024) * 1000 // 1024))
            elif op == "events":
                send({"ok": True, "network": EVENTS})
            else:
                send({"ok": False, "error": {"kind": "unsupported", "message": "op %r" % op}})
        except ToolFailure as failure:
            failed(failure)
        except BaseException as exc:  # noqa: B902 - every tool failure is reported, none kills us
            failed(classify(exc, tool_path))


if __name__ == "__main__":
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3000))
    serve(sys.argv[1], sys.argv[2])
