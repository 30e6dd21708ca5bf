"""AST screen of the Python that a Snakemake file turns into (see snakefile_parser.translate).

Works on the generated code, so top-level code, run: blocks, onstart/onsuccess/onerror handlers, input functions and
lambdas are all plain Python here; shell: directives appear as `workflow.shellcmd("...")` and are handed to the
shell screen. Findings carry line numbers of the original file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from pydantic import BaseModel

from biopipelines.validation import screen_rules as rules
from biopipelines.validation.secret_names import looks_secret
from biopipelines.validation.shell_screen import screen_shell


class Finding(BaseModel):
    line: int | None
    rule_id: str
    message: str


def collect_aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted origin for every import in a file (`import os as o` gives o -> os)."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                origin = f"{node.module}.{alias.name}" if node.module else alias.name
                aliases[alias.asname or alias.name] = origin
    return aliases


def include_targets(tree: ast.AST) -> list[str]:
    """Local files pulled in by include: or a module's snakefile:, which must be screened too."""
    targets = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for target in _include_args(node):
            path = _string_text(target)
            if path is not None and "{}" not in path and "://" not in path and not path.startswith(("/", "~")):
                targets.append(path)
    return targets


def scan_python(tree: ast.AST, to_source_line: Callable[[int], int], aliases: dict[str, str]) -> list[Finding]:
    """Screen one file. `aliases` should cover every file of the workflow: included files share one namespace."""
    visitor = _Visitor(to_source_line, aliases)
    visitor.visit(tree)
    return visitor.findings


def _include_args(node: ast.Call) -> list[ast.AST]:
    """The path arguments of workflow.include("x") and workflow.module(..., snakefile="x")."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "workflow"):
        return []
    if func.attr == "include":
        return node.args[:1]
    if func.attr == "module":
        return [k.value for k in node.keywords if k.arg == "snakefile"]
    return []


def _string_prefix(node: ast.AST) -> str | None:
    """The statically known start of a string expression: "x", f"x{y}", "x" + y, Path("x") / y."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div, ast.Mod)):
        return _string_prefix(node.left)
    return None


def _string_text(node: ast.AST) -> str | None:
    """All statically known text of a string expression, with `{}` for the parts only known at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)):  # "cmd {x}".format(x=...)
        return _string_text(node.func.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left, right = _string_text(node.left), _string_text(node.right)
        if left is None and right is None:
            return None
        return (left or "{}") + (right or "{}")
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, to_source_line: Callable[[int], int], aliases: dict[str, str]) -> None:
        self._line = to_source_line
        self._aliases = aliases  # local name -> dotted origin, from the imports of all files
        self._handled_environ: set[int] = set()  # os.environ nodes already judged as single-key reads
        self.findings: list[Finding] = []
        self._rule: str | None = None  # the Snakemake rule whose code is being visited
        self._screened: set[tuple[str | None, str]] = set()

    def _add(self, node: ast.AST, rule_id: str, message: str) -> None:
        line = self._line(node.lineno) if hasattr(node, "lineno") else None
        self.findings.append(Finding(line=line, rule_id=rule_id, message=message))

    def _qualname(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self._aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._qualname(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):  # Path("x").write_text(...) -> pathlib.Path().write_text
            base = self._qualname(node.func)
            return f"{base}()" if base else None
        return None

    # --- imports ---
    def _check_module(self, node: ast.AST, module: str) -> None:
        top = module.split(".")[0]
        if top in rules.NETWORK_MODULES:
            self._add(node, "py-network-import", f"imports '{module}': workflow code must not use the network")
        elif top in rules.PROCESS_MODULES:
            self._add(node, "py-process-import",
                      f"imports '{module}': run commands in a shell: directive instead of spawning processes")
        elif top in rules.DYNAMIC_CODE_MODULES:
            self._add(node, "py-dynamic-code", f"imports '{module}': it can run code the screen cannot see")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._check_module(node, module)
        for alias in node.names:
            origin = f"{module}.{alias.name}" if module else alias.name
            if origin.startswith(rules.PROCESS_CALL_PREFIXES) or origin in rules.DYNAMIC_CODE_CALLS:
                self._add(node, "py-process-call" if origin.startswith(rules.PROCESS_CALL_PREFIXES)
                          else "py-dynamic-code", f"imports '{origin}'")
        self.generic_visit(node)

    # --- calls ---
    def visit_Call(self, node: ast.Call) -> None:
        name = self._qualname(node.func) or ""
        if name in rules.DYNAMIC_CODE_CALLS:
            self._add(node, "py-dynamic-code", f"calls {name}(): running text as code hides it from review")
        elif name.startswith(rules.PROCESS_CALL_PREFIXES) or name.split(".")[0] in rules.PROCESS_MODULES:
            self._add(node, "py-process-call", f"calls {name}(): run commands in a shell: directive instead")
        elif name.split(".")[0] in rules.NETWORK_MODULES:
            self._add(node, "py-network-call", f"calls {name}(): workflow code must not use the network")
        elif name in rules.SHELL_CALLS and node.args:
            self._check_shell(node, node.args[0])
        for target in _include_args(node):
            self._check_include(node, target)
        self._check_paths(node, name)
        self._check_env_call(node, name)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # a rule translates to `@workflow.shellcmd(...)` on `def __rule_<name>`: its findings name the rule
        outer, self._rule = self._rule, node.name.removeprefix("__rule_") if node.name.startswith("__rule_") else None
        self.generic_visit(node)
        self._rule = outer

    def _check_shell(self, node: ast.Call, command: ast.AST) -> None:
        text = _string_text(command)
        if text is None:
            return
        if self._rule is not None and (self._rule, text) in self._screened:
            return  # a shell: directive appears twice in the translation (decorator and call): report it once
        self._screened.add((self._rule, text))
        where = f"shell command of rule {self._rule}" if self._rule else "shell command"
        for rule_id, message in screen_shell(text):
            self._add(node, rule_id, f"{where} {message}")

    def _check_include(self, node: ast.Call, target: ast.AST) -> None:
        path = _string_text(target)
        if path is None or "{}" in path:
            self._add(node, "py-include-dynamic", "includes a file whose name is only known at run time")
        elif "://" in path:
            self._add(node, "py-include-remote", f"includes remote code from {path!r}")
        elif path.startswith(("/", "~")):
            self._add(node, "py-include-outside", f"includes {path!r} from outside the workflow")

    def _check_paths(self, node: ast.Call, name: str) -> None:
        # Path("/x").write_text() is judged here too: Path("/x") is itself a call in PATH_CALLS
        if name not in rules.PATH_CALLS:
            return
        for arg in node.args:
            prefix = _string_prefix(arg)
            if prefix is not None and rules.is_outside_path(prefix):
                self._add(node, "py-path-outside",
                          f"{name}() uses {prefix!r}, outside the workflow: use paths relative to the working "
                          "directory (inputs/outputs or config values)")
                return

    def _check_env_call(self, node: ast.Call, name: str) -> None:
        if isinstance(node.func, ast.Attribute) and self._qualname(node.func.value) == "os.environ":
            self._handled_environ.add(id(node.func.value))  # judged here, not as a bare os.environ
            method = node.func.attr
            if method in rules.ENV_DUMP_METHODS:
                self._add(node, "py-env-dump", f"reads every environment variable (os.environ.{method}())")
            elif method in rules.ENV_KEY_METHODS and node.args:
                self._judge_env_key(node, node.args[0])
        elif name in rules.ENV_READ_CALLS and node.args:
            self._judge_env_key(node, node.args[0])

    def _judge_env_key(self, node: ast.AST, key: ast.AST) -> None:
        text = _string_text(key)
        if text is None or "{}" in text:
            self._add(node, "py-env-dynamic", "reads an environment variable whose name is only known at run time")
        elif looks_secret(text):
            self._add(node, "py-env-secret", f"reads the secret-looking environment variable {text!r}")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self._qualname(node.value) == "os.environ":
            self._handled_environ.add(id(node.value))
            if isinstance(node.ctx, ast.Load):
                self._judge_env_key(node, node.slice)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        # "X" in os.environ only tests presence
        for comparator in node.comparators:
            if self._qualname(comparator) == "os.environ":
                self._handled_environ.add(id(comparator))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._qualname(node) == "os.environ" and id(node) not in self._handled_environ:
            if isinstance(node.ctx, ast.Load):
                self._add(node, "py-env-dump", "hands over the whole environment (os.environ)")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if self._aliases.get(node.id) == "os.environ" and id(node) not in self._handled_environ:
            self._add(node, "py-env-dump", "hands over the whole environment (os.environ)")
