"""Durable file writes, shared by every stage that keeps something on disk (the model conversion,
index parts and versions, the ingest journal, CLI exports): a reader sees the old bytes or the new,
never half, and what was renamed into place survives a crash (its data and its directory entry
are fsynced first)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def fsync_path(path: Path | str) -> None:
    """fsync one file or directory (a directory: so the names renamed into it are durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """fsync every file and directory under `root`, and `root` itself, before it is renamed into place."""
    for folder, _, names in os.walk(root):
        for name in names:
            fsync_path(os.path.join(folder, name))
        fsync_path(folder)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside, fsync, rename over; on any failure the temporary file goes and the old one stays."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_path(path.parent)


def private_dir(path: Path, narrow: bool = True) -> Path:
    """`path` as a folder only its owner may enter: each folder made for it (missing parents too)
    is 0700 whatever the umask, and with `narrow` an existing `path` open to others is narrowed.
    For what holds question text or uploads (the audit log, the service's upload folder)."""
    missing = []
    p = Path(path)
    while not p.is_dir():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process, or a file in the way
            if not d.is_dir():
                raise
            continue
        os.chmod(d, 0o700)  # mkdir's mode passes through the umask
    if narrow and not missing and Path(path).stat().st_mode & 0o077:
        os.chmod(path, 0o700)
    return Path(path)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks (model weights are hundreds of MB)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
