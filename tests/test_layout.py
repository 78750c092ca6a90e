"""The package's layout is the pipeline's: imports run down the flow, never back up it.

Stages, in the order data flows (README, "Module map"): the foundations (`config`, `files`,
`records`), `language`, `documents` (read), `parse` (clauses, extraction), `register` (the task
register over extracted tasks), `encoder`, `index`, `question`, `search`, `quiz`, `answer`, and the
`shells` over them. A module may import its own stage and the stages before it. The shells reach
the pipeline only through the package's public face (`quydinh_bot`; besides it, the settings and
the durable file writes), and no module imports a private name (`_x`) from another stage.
"""
from __future__ import annotations

import ast
from pathlib import Path

import quydinh_bot

PACKAGE = Path(quydinh_bot.__file__).parent
STAGES = [
    {"config", "files", "records"},
    {"language"},
    {"documents"},
    {"parse"},
    {"register"},
    {"encoder"},
    {"index"},
    {"question"},
    {"search"},
    {"quiz"},
    {"answer"},
    {"shells"},
]
FACE = {"quydinh_bot", "quydinh_bot.__main__"}  # the public face may name any stage
# besides the shells' own modules: the face, the settings and durable file writes (foundations, not stages)
SHELLS_MAY_IMPORT = {"quydinh_bot", "quydinh_bot.config", "quydinh_bot.files"}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "quydinh_bot" or len(parts) < 2:
        return None
    for level, names in enumerate(STAGES):
        if parts[1] in names:
            return level
    raise AssertionError(f"{module}: not in any stage of tests/test_layout.py STAGES")


def _module_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) of every import in a file, relative ones resolved."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
    return out


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _violations() -> list[str]:
    bad = []
    for path in _sources():
        module = _module_of(path)
        if module in FACE:
            continue
        here = _stage(module)
        for target, names, line in _imports(path):
            if not target.startswith("quydinh_bot"):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            # `from quydinh_bot.x import y` may name the module quydinh_bot.x.y
            there = _stage(target) if target != "quydinh_bot" else None
            if module.startswith("quydinh_bot.shells."):
                if target not in SHELLS_MAY_IMPORT and not target.startswith("quydinh_bot.shells"):
                    bad.append(f"{where}: a shell imports {target}; it may use the public face `quydinh_bot` only")
                continue
            if target == "quydinh_bot" and names != ["__version__"]:
                bad.append(f"{where}: {module} imports the public face (only shells and users do)")
                continue
            if here is not None and there is not None and there > here:
                bad.append(f"{where}: {module} (stage {here}) imports {target} (stage {there}), up the flow")
            same_stage = target.split(".")[:2] == module.split(".")[:2]
            for name in names:
                if name.startswith("_") and not name.startswith("__") and not same_stage:
                    bad.append(f"{where}: {module} imports the private name {target}.{name}")
    return bad


def test_imports_run_down_the_flow():
    assert _violations() == []


def test_every_module_belongs_to_a_stage():
    for path in _sources():
        module = _module_of(path)
        if module not in FACE:
            _stage(module)  # raises for a module outside the stages


def test_the_checker_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule can fail: an index module that imported the searcher would be reported."""
    fake = PACKAGE / "index" / "_layout_probe.py"
    fake.write_text("from quydinh_bot.search.searcher import Searcher\nfrom quydinh_bot.parse.corpus import _x\n",
                    encoding="utf-8")
    try:
        found = _violations()
    finally:
        fake.unlink()
    assert any("_layout_probe.py:1" in v and "up the flow" in v for v in found)
    assert any("_layout_probe.py:2" in v and "private name" in v for v in found)


def test_the_face_exports_what_shells_use():
    """Every name in `quydinh_bot.__all__` resolves (the face imports its stages lazily)."""
    for name in quydinh_bot.__all__:
        assert getattr(quydinh_bot, name) is not None, name
