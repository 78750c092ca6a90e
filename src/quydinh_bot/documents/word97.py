"""Word 97-2003 files (.doc) -> the parser's text, through antiword (Debian's `antiword`, which
setup.sh installs): a maintained reader of the binary format, not one written here. It runs inside
the readers' limited child process (`sandbox`), so its memory and time are bounded like the other
readers'. `-w 0` keeps each paragraph on one line; tables come out as `|cell|cell|` rows, which
become the TSV lines the clause parser reads (`tables.TableWriter`), as a .docx table does."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .document import DocumentError
from .tables import TableWriter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header every .doc starts with
ANTIWORD = "antiword"


def converter() -> str | None:
    """The antiword program, or None when it is not installed."""
    return shutil.which(ANTIWORD)


def read_doc(data: bytes, name: str, seconds: int = 180) -> str:
    if not data.startswith(OLE_MAGIC):
        raise DocumentError(f"{name}: không phải tệp Word 97-2003 (.doc) hợp lệ.")
    exe = converter()
    if exe is None:
        raise DocumentError(f"{name}: máy chưa có bộ đọc tệp .doc (antiword); hãy chạy ./setup.sh để cài, "
                            "hoặc lưu tệp thành .docx rồi thêm lại.")
    with tempfile.TemporaryDirectory(prefix="qdb-doc-") as tmp:
        path = Path(tmp) / "in.doc"
        path.write_bytes(data)
        try:
            done = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                                  timeout=seconds, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(f"{name}: đọc tệp .doc quá {seconds} giây, đã dừng.") from exc
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(f"{name}: không đọc được tệp .doc ({why[-1][:120] if why else 'antiword lỗi'}).")
    return from_antiword(done.stdout.decode("utf-8", "replace"))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def from_antiword(text: str) -> str:
    """antiword's text -> paragraphs one per line (blank lines between, as the parser reads them),
    each run of `|…|` rows a table through `TableWriter`."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            out.extend(TableWriter().lines(rows))
            out.append("")
            rows.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = _cells(line)
            if any(cells):
                rows.append(cells)
            continue
        flush()
        stripped = line.strip()
        if stripped:
            out.append(stripped)
            out.append("")
    flush()
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
