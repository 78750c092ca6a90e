"""One document's share of the index, written once under `index/parts/<key>/` and never changed.

The key hashes the document's bytes, its metadata, the pipeline and the model (`build.doc_key`),
so a part is reused by every later version of the index while the document stays as it is.
Files of a part:
    part.json          document info, its clauses (every field), lexical and coverage vocabularies,
                       and where each array lies in arrays.bin (dtype, shape, offset)
    arrays.bin         the arrays, memory-mapped at load: `vectors` (one L2-normalised embedding per
                       clause), `lex-*` (BM25 term counts per clause, `bm25.TermCounts`), `cov-*`
                       (coverage words per clause), `gt-*`/`gl-*` (accent n-gram forms of the clause
                       texts and of the leads, `grams.GramTable`)
    checksums.json     sha256 of the two files above, written last; the index manifest copies it
A part is written in a hidden directory, fsynced, then renamed into place: it exists whole or
not at all.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np

from quydinh_bot.files import fsync_path, fsync_tree, sha256_file
from quydinh_bot.records import Clause

from .bm25 import TermCounts
from .grams import GramTable

PARTS_DIR = "parts"
CHECKSUMS = "checksums.json"
ARRAYS = "arrays.bin"


@dataclass
class Coverage:
    """Coverage words per clause: clause i has vocab[ids[ptr[i]:ptr[i+1]]]."""

    vocab: list[str]
    ptr: np.ndarray
    ids: np.ndarray

    @classmethod
    def from_sets(cls, sets: list[list[str]]) -> "Coverage":
        vocab: dict[str, int] = {}
        ptr = [0]
        ids: list[int] = []
        for s in sets:
            ids.extend(vocab.setdefault(t, len(vocab)) for t in s)
            ptr.append(len(ids))
        return cls(list(vocab), np.asarray(ptr, dtype=np.int64), np.asarray(ids, dtype=np.int32))

    def words(self, i: int) -> frozenset[str]:
        v = self.vocab
        return frozenset(v[j] for j in self.ids[self.ptr[i]:self.ptr[i + 1]].tolist())


@dataclass(eq=False)
class Part:
    """A document's part, in memory."""

    key: str
    info: dict
    clauses: list[Clause]
    vectors: np.ndarray
    lexical: TermCounts
    coverage: Coverage
    text_grams: GramTable
    lead_grams: GramTable
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256


def write_checksums(directory: Path) -> dict[str, str]:
    sums = {f.name: sha256_file(f) for f in sorted(directory.iterdir()) if f.is_file() and f.name != CHECKSUMS}
    (directory / CHECKSUMS).write_text(json.dumps(sums, indent=1), encoding="utf-8")
    return sums


def save(root: Path, part: Part) -> dict[str, str]:
    """Write `part` under root/<key> (unless there already); its checksums."""
    final = root / part.key
    if (final / CHECKSUMS).exists():
        sums = read_checksums(root, part.key)
        if sums is None:
            raise ValueError(f"part {part.key}: its checksums are unreadable")
        return sums
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{part.key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    arrays = {"vectors": part.vectors,
              **{f"lex-{n}": getattr(part.lexical, n) for n in ("ptr", "ids", "tf", "lengths")},
              **{f"cov-{n}": getattr(part.coverage, n) for n in ("ptr", "ids")},
              **part.text_grams.arrays("gt"), **part.lead_grams.arrays("gl")}
    layout = {}
    offset = 0
    with open(tmp / ARRAYS, "wb") as f:
        for name, a in arrays.items():
            a = np.ascontiguousarray(a)
            pad = -offset % 16
            f.write(b"\0" * pad)
            offset += pad
            layout[name] = [a.dtype.str, list(a.shape), offset]
            f.write(a.tobytes())
            offset += a.nbytes
    with open(tmp / "part.json", "w", encoding="utf-8") as f:
        json.dump({"info": part.info, "clauses": [c.to_store() for c in part.clauses],
                   "lex_vocab": part.lexical.vocab, "cov_vocab": part.coverage.vocab, "arrays": layout},
                  f, ensure_ascii=False)
    sums = write_checksums(tmp)
    fsync_tree(tmp)
    try:
        os.replace(tmp, final)
    except OSError:  # another process wrote the same part first
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_path(root)
    return sums


def read_checksums(root: Path, key: str) -> dict[str, str] | None:
    try:
        sums = json.loads((root / key / CHECKSUMS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return sums if isinstance(sums, dict) and sums else None


def intact(root: Path, key: str, sums: dict[str, str]) -> bool:
    """Every file of the part matches its checksum."""
    try:
        return all(sha256_file(root / key / name) == digest for name, digest in sums.items())
    except OSError:
        return False


def load(root: Path, key: str, files: dict[str, str]) -> Part:
    """The part as stored (arrays memory-mapped); raises OSError/ValueError/KeyError when damaged."""
    path = root / key
    d = json.loads((path / "part.json").read_text(encoding="utf-8"))
    buf = np.memmap(path / ARRAYS, dtype=np.uint8, mode="r")

    def arr(name: str) -> np.ndarray:
        dtype, shape, offset = d["arrays"][name]
        return np.frombuffer(buf, dtype=np.dtype(dtype), count=int(np.prod(shape)), offset=offset).reshape(shape)

    clauses = [Clause.from_dict(c) for c in d["clauses"]]
    vectors = arr("vectors")
    lexical = TermCounts(d["lex_vocab"], arr("lex-ptr"), arr("lex-ids"), arr("lex-tf"), arr("lex-lengths"))
    coverage = Coverage(d["cov_vocab"], arr("cov-ptr"), arr("cov-ids"))
    if len(clauses) != len(lexical.lengths) or len(coverage.ptr) != len(clauses) + 1 \
            or (len(clauses) and len(vectors) != len(clauses)):
        raise ValueError(f"part {key}: counts differ")
    return Part(key, d["info"], clauses, vectors, lexical, coverage,
                GramTable.from_arrays(arr, "gt"), GramTable.from_arrays(arr, "gl"), files)


def vector_shape(root: Path, key: str) -> tuple[int, ...]:
    """The shape of a stored part's vectors, from part.json (not the arrays)."""
    d = json.loads((root / key / "part.json").read_text(encoding="utf-8"))
    return tuple(d["arrays"]["vectors"][1])


class TokenSets(Sequence[frozenset[str]]):
    """Coverage words of clause i (over all parts in order), made into a set when first asked."""

    def __init__(self, parts: list[Part]):
        self._where: list[tuple[Coverage, int]] = [(p.coverage, i) for p in parts for i in range(len(p.clauses))]
        self._memo: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._where)

    @overload
    def __getitem__(self, i: int) -> frozenset[str]: ...

    @overload
    def __getitem__(self, i: slice) -> list[frozenset[str]]: ...

    def __getitem__(self, i: int | slice) -> frozenset[str] | list[frozenset[str]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        got = self._memo.get(i)
        if got is None:
            cov, j = self._where[i]
            got = self._memo[i] = cov.words(j)
        return got
