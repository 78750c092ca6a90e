"""A mixed corpus for tuning and judging the search: the five seed documents plus the nine real
documents of ../shared/real, added as a user adds them (`Corpus.add`, no --meta), in a cache
folder outside the repository's corpus/ (the real documents are never copied there).

Every question of the team's sets is tagged with the document it is about, so that anything
tuned on them can be judged leave-one-document-out: the seed sets by the document whose clause
holds the expected passage, the real questions by their `file`; a negative is tagged with the
document it was written against (real) or "neg" (seed: no document).

    python eval/mixed/harness.py build      # (re)build the mixed corpus and index (~4 min)
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("QUYDINH_SHARED_DIR") or ROOT.parent / "shared")
CACHE = Path(os.environ.get("QUYDINH_MIXED_DIR") or ROOT / ".cache" / "mixed")
REAL = SHARED / "real"
SEED_SETS = [SHARED / "eval" / "questions_dev.jsonl", ROOT / "eval" / "questions_extra.jsonl",
             ROOT / "eval" / "questions_terse.jsonl", ROOT / "eval" / "questions_terse_check.jsonl",
             ROOT / "eval" / "questions_calibration.jsonl"]
REAL_SET = ROOT / "eval" / "real" / "questions.jsonl"
# the second set over the same nine documents (more questions and negatives to learn the decline from):
# its rows are tagged "real-more" / "real-more-alone", so each set's figures can be read apart
REAL_MORE = ROOT / "eval" / "real" / "questions_more.jsonl"


def real_sets() -> list[tuple[str, Path]]:
    """(tag, file) of the question sets over ../shared/real that exist."""
    return [(tag, path) for tag, path in (("real", REAL_SET), ("real-more", REAL_MORE)) if path.exists()]

sys.path.insert(0, str(SHARED / "eval"))
from norm import fold as match_fold  # noqa: E402  the eval's matching key

from quydinh_bot.config import Settings, get_settings  # noqa: E402


def settings() -> Settings:
    return dataclasses.replace(get_settings(), corpus_dir=CACHE / "corpus", index_dir=CACHE / "index")


def real_files() -> list[Path]:
    meta = [json.loads(x) for x in (ROOT / "eval" / "real" / "metadata.jsonl").read_text("utf-8").splitlines() if x]
    return [REAL / m["file"] for m in meta]


def build() -> None:
    from quydinh_bot.answer.corpus import Corpus

    if CACHE.exists():
        shutil.rmtree(CACHE)
    (CACHE / "corpus").mkdir(parents=True)
    for f in (ROOT / "corpus").iterdir():
        if f.is_file():
            shutil.copy2(f, CACHE / "corpus" / f.name)
    s = settings()
    Corpus.rebuild(s)
    files = {}
    for path in real_files():
        r = Corpus.add([path], None, s)
        files[path.name] = r.added[0].doc_id
        print(f"{path.name} -> {files[path.name]} ({r.seconds:.1f} s)")
    (CACHE / "files.json").write_text(json.dumps(files, ensure_ascii=False, indent=1), "utf-8")


def questions(clauses: list) -> list[dict]:
    """Every question, with `doc` (the document it is about, or "neg") and `expect` (snippets)."""
    files_json = CACHE / "files.json"  # written by `build`; the own-corpora runs need none
    files = json.loads(files_json.read_text("utf-8")) if files_json.exists() else {}
    by_doc: dict[str, str] = {}
    for c in clauses:
        by_doc[c.doc_id] = by_doc.get(c.doc_id, "") + "\n" + match_fold(c.text)
    out = []
    for path in SEED_SETS:
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            snippets = item.get("any") or []
            doc = "neg"
            if not item.get("neg"):
                found = [d for d, text in by_doc.items() if any(match_fold(a) in text for a in snippets)]
                doc = found[0] if found else "?"
            out.append({"set": path.stem, "q": item["q"], "neg": bool(item.get("neg")), "expect": snippets,
                        "doc": doc, "cat": item.get("cat", "")})
    out += [_real_row(tag, item, files.get(item["file"], item["file"])) for tag, item in _real_items()]
    return out


def _real_items() -> Iterator[tuple[str, dict]]:
    """(set tag, question) of every question over the real documents, the sets in order."""
    for tag, path in real_sets():
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                yield tag, json.loads(line)


def _real_row(tag: str, item: dict, doc: str) -> dict:
    return {"set": tag, "q": item["q"], "neg": bool(item.get("neg")),
            "expect": [item["expect"]] if item.get("expect") else [], "doc": doc, "cat": item.get("type", "")}


def right(hit_text: str, expect: list[str]) -> bool:
    t = match_fold(hit_text)
    return any(match_fold(a) in t for a in expect)


if __name__ == "__main__":
    if sys.argv[1:] == ["build"]:
        build()
    else:
        print(__doc__)


# -- one real document alone, as eval/real/score_real.py adds it --------------------------------
SINGLE = CACHE.parent / "single"


def single_settings(name: str) -> Settings:
    base = SINGLE / Path(name).stem
    return dataclasses.replace(get_settings(), corpus_dir=base / "corpus", index_dir=base / "index")


def build_single() -> None:
    from quydinh_bot.answer.corpus import Corpus

    for path in real_files():
        base = SINGLE / path.stem
        if base.exists():
            shutil.rmtree(base)
        (base / "corpus").mkdir(parents=True)
        r = Corpus.add([path], None, single_settings(path.name))
        print(f"{path.name} -> {r.added[0].doc_id} ({r.seconds:.1f} s)", flush=True)


def real_questions(name: str) -> list[dict]:
    """The questions about one real document, asked of it alone (sets tagged "…-alone")."""
    return [_real_row(f"{tag}-alone", item, Path(name).stem) for tag, item in _real_items() if item["file"] == name]


if __name__ == "__main__" and sys.argv[1:] == ["build-single"]:
    build_single()
