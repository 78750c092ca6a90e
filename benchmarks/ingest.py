"""Ingest benchmark: time to `add` one ~50-page Word plan to the corpus, and to a corpus 100x
larger. Prints; asserts nothing.

    .venv/bin/python benchmarks/ingest.py [--scale 100]

Both runs work on copies in a temp dir (the real corpus and index are not touched). The 100x
corpus is the five documents copied under new ids; its per-document index cache is synthesised
from the five documents' cached parts (same vectors, clause ids renamed), because embedding
86 000 clauses takes hours on this machine: the add is then measured exactly as it runs after a
corpus was indexed once. The plan (two documents' prose and tables under a fresh letterhead)
is the only document parsed and embedded in either run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def make_plan(path: Path) -> int:
    """A ~50-page plan: letterhead, two documents' bodies, their task tables as Word tables."""
    from ingest.writers import write_docx

    corpus = ROOT / "corpus"
    parts = [(corpus / n).read_text(encoding="utf-8") for n in sorted(os.listdir(corpus)) if n.startswith(("ctr-26", "da-"))]
    text = ("TỈNH ỦY LAI CHÂU\n\nSố 900-KH/TU\n\nLai Châu, ngày 2 tháng 9 năm 2026\n\n**KẾ HOẠCH**\n\n"
            "**thực hiện nhiệm vụ xây dựng Đảng giai đoạn 2026 - 2030 (bản thử nghiệm hiệu năng)**\n\n")
    text += "\n\n".join(parts).replace("**ĐỀ ÁN**", "**PHẦN BỔ SUNG**")
    write_docx(text, path)
    return len(text)


def prepare(work: Path, scale: int) -> None:
    """corpus/ and index/ for `scale` copies of the corpus (scale 1: the corpus itself)."""
    import tomllib

    src = ROOT / "corpus"
    (work / "corpus").mkdir(parents=True)
    meta = tomllib.loads((src / "metadata.toml").read_text(encoding="utf-8"))
    lines: list[str] = []
    from quydinh_bot.ingest.meta import toml_entry

    for k in range(scale):
        for name, entry in meta.items():
            new_name = name if k == 0 else f"x{k:03d}-{name}"
            entry = dict(entry, id=entry["id"] if k == 0 else f"{entry['id']}-x{k:03d}")
            shutil.copy(src / name, work / "corpus" / new_name)
            lines.append(toml_entry(new_name, entry))
    (work / "corpus" / "metadata.toml").write_text("\n".join(lines), encoding="utf-8")


def synthesise_cache(work: Path, base_cache: Path) -> None:
    """Cache entries for the copies, from the originals' parts (no embedding)."""
    from quydinh_bot.config import Settings
    from quydinh_bot.documents import load_corpus
    from quydinh_bot.embed import Embedder
    from quydinh_bot.index import _doc_key

    settings = Settings()
    fingerprint = Embedder().fingerprint
    originals = {}
    for entry in base_cache.iterdir():
        part = json.loads((entry / "part.json").read_text(encoding="utf-8"))
        originals[part["info"]["doc_id"]] = (entry, part)
    cache = work / "index" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for doc in load_corpus(settings):
        base_id = doc.doc_id.rsplit("-x", 1)[0] if "-x" in doc.doc_id else doc.doc_id
        entry, part = originals[base_id]
        key = _doc_key(doc, fingerprint)
        if (cache / key).exists():
            continue
        (cache / key).mkdir()
        shutil.copy(entry / "vectors.npy", cache / key / "vectors.npy")
        if doc.doc_id == base_id:
            shutil.copy(entry / "part.json", cache / key / "part.json")
            continue
        part = dict(part, info=dict(part["info"], doc_id=doc.doc_id))
        text = json.dumps(part, ensure_ascii=False).replace(f'"{base_id}/', f'"{doc.doc_id}/') \
            .replace(f'"doc_id": "{base_id}"', f'"doc_id": "{doc.doc_id}"')
        (cache / key / "part.json").write_text(text, encoding="utf-8")


def run(scale: int, plan: Path, base_cache: Path | None) -> tuple[float, dict, Path]:
    from quydinh_bot.index import build
    from quydinh_bot.ingest import add_files

    work = Path(tempfile.mkdtemp(prefix=f"qdb-ingest-{scale}x-"))
    os.environ["QUYDINH_CORPUS_DIR"] = str(work / "corpus")
    os.environ["QUYDINH_INDEX_DIR"] = str(work / "index")
    prepare(work, scale)
    if base_cache is not None:
        synthesise_cache(work, base_cache)
    t0 = time.perf_counter()
    stats = build()  # the corpus indexed once (from the cache when synthesised)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = add_files([plan])
    took = time.perf_counter() - t0
    info = {"documents": stats.documents + 1, "clauses_before": stats.clauses, "setup_build_s": round(setup, 1),
            "added_clauses": result.added[0].clauses, "embedded": result.embedded}
    return took, info, work


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "ke-hoach-900.docx"
        chars = make_plan(plan)
        import docx

        print(f"plan: {plan.stat().st_size // 1024} KiB .docx, {chars} characters (~{chars // 2800} pages), "
              f"{len(docx.Document(plan).tables)} Word tables")
        took, info, work1 = run(1, plan, None)
        print(f"add to the corpus (1x):      {took:6.1f} s   {info}")
        took, info, work2 = run(args.scale, plan, work1 / "index" / "cache")
        print(f"add to the corpus ({args.scale}x):    {took:6.1f} s   {info}")
        for w in (work1, work2):
            shutil.rmtree(w, ignore_errors=True)


if __name__ == "__main__":
    main()
