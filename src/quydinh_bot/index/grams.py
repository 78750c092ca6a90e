"""Accent-restoration n-grams kept per document and merged per key when a question needs them.

Each index part stores its documents' n-gram counts (`AccentRestorer.counts`, texts and leads
apart) as a `GramTable`: keys by a 64-bit hash (sorted, so a batch of keys is found with one
`searchsorted`), a second hash to rule out collisions, and every written form with its count
in first-seen order. `StoredRestorer` is an `AccentRestorer` whose table is the merge of
all parts' tables, computed only for the keys a question asks about (and remembered): the
same forms, counts and order as merging every table up front (texts of every document, then
leads), without reading or merging the whole corpus's n-grams at load or on every `add`. A key no
table writes takes its forms from the background (`accents.background_forms`), if it has them.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from quydinh_bot.index.accents import TOKENS, WORD_START, AccentRestorer, background_forms
from quydinh_bot.language.text import fold

_FILES = ("h1", "h2", "fptr", "foff", "forms", "count")
_UNSEEN = object()


def key_hashes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Two independent 64-bit hashes per key (stable across processes, unlike `hash`)."""
    h1 = np.empty(len(keys), dtype=np.uint64)
    h2 = np.empty(len(keys), dtype=np.uint64)
    for i, k in enumerate(keys):
        d = hashlib.blake2b(k.encode("utf-8"), digest_size=16).digest()
        h1[i] = int.from_bytes(d[:8], "little")
        h2[i] = int.from_bytes(d[8:], "little")
    return h1, h2


@dataclass
class GramTable:
    """One document's n-gram forms: key i (by `h1` order) has forms fptr[i]:fptr[i+1]; form j
    is the UTF-8 bytes forms[foff[j]:foff[j+1]] written count[j] times."""

    h1: np.ndarray
    h2: np.ndarray
    fptr: np.ndarray
    foff: np.ndarray
    forms: np.ndarray
    count: np.ndarray

    @classmethod
    def from_counts(cls, grams: dict[str, dict[str, int]]) -> "GramTable":
        keys = list(grams)
        h1, h2 = key_hashes(keys)
        order = np.lexsort((h2, h1))
        fptr = [0]
        blobs: list[bytes] = []
        counts: list[int] = []
        for i in order.tolist():
            for form, n in grams[keys[i]].items():
                blobs.append(form.encode("utf-8"))
                counts.append(n)
            fptr.append(len(counts))
        foff = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in blobs], out=foff[1:])
        return cls(h1[order], h2[order], np.asarray(fptr, dtype=np.int64), foff,
                   np.frombuffer(b"".join(blobs), dtype=np.uint8), np.asarray(counts, dtype=np.int64))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}-{f}": getattr(self, f) for f in _FILES}

    @classmethod
    def from_arrays(cls, get: Callable[[str], np.ndarray], prefix: str) -> "GramTable":
        return cls(*(get(f"{prefix}-{f}") for f in _FILES))

    def find(self, h1: np.ndarray, h2: np.ndarray) -> list[tuple[int, list[tuple[str, int]]]]:
        """(position in the batch, forms with counts) for every key of the batch present here."""
        if not len(self.h1):
            return []
        lo = np.searchsorted(self.h1, h1, side="left")
        hit = np.flatnonzero(self.h1[np.minimum(lo, len(self.h1) - 1)] == h1)
        out = []
        for q in hit.tolist():
            i = int(lo[q])
            while i < len(self.h1) and self.h1[i] == h1[q]:
                if self.h2[i] == h2[q]:
                    a, b = int(self.fptr[i]), int(self.fptr[i + 1])
                    off = self.foff[a:b + 1].tolist()
                    blob = self.forms[off[0]:off[-1]].tobytes()
                    base = off[0]
                    out.append((q, [(blob[off[j] - base:off[j + 1] - base].decode("utf-8"), int(self.count[a + j]))
                                    for j in range(b - a)]))
                    break
                i += 1
        return out


class _Forms(Mapping[str, dict[str, int]]):
    """key -> {form: count} over all tables, merged on demand and remembered."""

    def __init__(self, tables: list[GramTable], background: Mapping[str, dict[str, int]] | None = None):
        self._tables = tables
        self._background = background or {}  # forms of a key no table writes (accents.background_forms)
        self._memo: dict[str, dict[str, int] | None] = {}

    def fetch(self, keys: list[str]) -> dict[str, dict[str, int] | None]:
        """The merged forms of `keys` (None: not in the corpus), remembered for the next question."""
        memo = self._memo
        got = {k: memo[k] for k in keys if k in memo}
        keys = [k for k in dict.fromkeys(keys) if k not in got]
        if not keys:
            return got
        h1, h2 = key_hashes(keys)
        merged: list[dict[str, int] | None] = [None] * len(keys)
        for table in self._tables:  # the order of a whole-corpus table: texts of every part, then leads
            for q, forms in table.find(h1, h2):
                into = merged[q]
                if into is None:
                    merged[q] = dict(forms)
                    continue
                for form, n in forms:
                    into[form] = into.get(form, 0) + n
        for q, key in enumerate(keys):
            if merged[q] is None and key in self._background:
                merged[q] = dict(self._background[key])
        if len(memo) > 200_000:
            self._memo = memo = {}
        memo.update(zip(keys, merged))
        got.update(zip(keys, merged))
        return got

    def get(self, key, default=None):
        v = self._memo.get(key, _UNSEEN)
        if v is _UNSEEN:
            v = self.fetch([key])[key]
        return default if v is None else v

    def __getitem__(self, key):
        v = self.get(key)
        if v is None:
            raise KeyError(key)
        return v

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self):  # the merged table is never listed whole
        raise TypeError("the stored n-gram table is looked up by key only")

    def __len__(self) -> int:
        raise TypeError("the stored n-gram table is looked up by key only")


class _Usual(Mapping[str, str]):
    """key -> its commonest form (the first of the most written, as `AccentRestorer` takes it)."""

    def __init__(self, forms: _Forms):
        self._forms = forms

    def __getitem__(self, key):
        return max(self._forms[key].items(), key=lambda kv: kv[1])[0]

    def __contains__(self, key) -> bool:
        return key in self._forms

    def __iter__(self):
        raise TypeError("the stored n-gram table is looked up by key only")

    def __len__(self) -> int:
        raise TypeError("the stored n-gram table is looked up by key only")




class StoredRestorer(AccentRestorer):
    """An `AccentRestorer` over stored per-document tables (see the module docstring)."""

    def __init__(self, tables: list[GramTable], background: Mapping[str, dict[str, int]] | None = None):
        super().__init__(None)
        self._stored = _Forms(tables, background_forms() if background is None else background)
        self.forms = self._stored
        self.table = _Usual(self._stored)

    def restore(self, text: str) -> str:
        # every key the restorer may look up is the fold of a run of ≤ MAX_N words of the text:
        # fetched in one pass over the tables (a key missed here is fetched when asked for)
        toks = TOKENS.findall(text)
        keys = []
        for i in range(len(toks)):
            for n in range(1, self.MAX_N + 1):
                window = toks[i:i + n]
                if len(window) < n or not WORD_START.match(window[-1]):
                    break
                keys.append(fold(" ".join(window)))
        self._stored.fetch(keys)
        return super().restore(text)
