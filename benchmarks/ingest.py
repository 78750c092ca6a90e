"""Ingest benchmark: time to `add` one ~50-page Word plan to the corpus, and to a corpus 100x
larger. Prints; asserts nothing.

    .venv/bin/python benchmarks/ingest.py [--scale 100]

Both runs work on copies in a temp dir (the real corpus and index are not touched). The 100x
corpus is the five documents copied under new ids; its index parts are synthesised from the
five documents' parts (same arrays, clause ids renamed), because embedding 86 000 clauses takes
hours on this machine: the add is then measured exactly as it runs after a corpus was indexed
once. The plan (three documents' prose and tables under a fresh letterhead) is the only
document parsed and embedded in either run. Each size is added to `--repeat` times (each add on
a fresh copy of the same corpus and index) and the median is printed with every run's time and
the load average (other work on the machine slows an add: say it when reporting), then the CPU
seconds, the time per step of the median run and what a process then takes to load the new
index (`load_index` + `Searcher`).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "index"))  # tests/index/ingest/writers.py


def make_plan(path: Path) -> int:
    """A ~50-page plan: letterhead, three documents' bodies, their task tables as Word tables."""
    from ingest.writers import write_docx

    corpus = ROOT / "corpus"
    parts = [(corpus / n).read_text(encoding="utf-8") for n in sorted(os.listdir(corpus))
             if n.startswith(("ctr-26", "da-", "kh-376"))]
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
    from quydinh_bot.documents.meta import toml_entry

    for k in range(scale):
        for name, entry in meta.items():
            new_name = name if k == 0 else f"x{k:03d}-{name}"
            entry = dict(entry, id=entry["id"] if k == 0 else f"{entry['id']}-x{k:03d}")
            shutil.copy(src / name, work / "corpus" / new_name)
            lines.append(toml_entry(new_name, entry))
    (work / "corpus" / "metadata.toml").write_text("\n".join(lines), encoding="utf-8")


def synthesise_cache(work: Path, base_parts: Path) -> None:
    """Index parts for the copies, from the originals' parts (no embedding): the same arrays,
    the document and clause ids renamed in part.json, checksums written again."""
    from quydinh_bot.config import Settings
    from quydinh_bot.documents.document import load_corpus
    from quydinh_bot.encoder.embed import Embedder
    from quydinh_bot.index.build import doc_key
    from quydinh_bot.index.parts import CHECKSUMS, PARTS_DIR, write_checksums

    settings = Settings()
    fingerprint = Embedder().fingerprint
    originals = {}
    for entry in base_parts.iterdir():
        if (entry / CHECKSUMS).exists():
            part = json.loads((entry / "part.json").read_text(encoding="utf-8"))
            originals[part["info"]["doc_id"]] = (entry, part)
    store = work / "index" / PARTS_DIR
    store.mkdir(parents=True, exist_ok=True)
    for doc in load_corpus(settings):
        base_id = doc.doc_id.rsplit("-x", 1)[0] if "-x" in doc.doc_id else doc.doc_id
        entry, part = originals[base_id]
        key = doc_key(doc, fingerprint)
        if (store / key).exists():
            continue
        shutil.copytree(entry, store / key)
        if doc.doc_id == base_id:
            continue
        part = dict(part, info=dict(part["info"], doc_id=doc.doc_id))
        text = json.dumps(part, ensure_ascii=False).replace(f'"{base_id}/', f'"{doc.doc_id}/') \
            .replace(f'"doc_id": "{base_id}"', f'"doc_id": "{doc.doc_id}"')
        (store / key / "part.json").write_text(text, encoding="utf-8")
        write_checksums(store / key)


class Phases:
    """Seconds spent in each step of `add_files`, by wrapping the functions it calls."""

    def __init__(self) -> None:
        import quydinh_bot.index.build as index
        import quydinh_bot.index.ingest as ingest
        from quydinh_bot.encoder.embed import Embedder
        from quydinh_bot.index import journal, parts

        self.seconds: dict[str, float] = {}
        self._undo = []
        self._wrap(ingest, "_existing", "corpus scan (duplicates)")
        self._wrap(ingest, "_prepare", "read + parse")
        self._wrap(ingest, "_corpus_bytes", "corpus bytes (hash)")
        self._wrap(ingest, "build", "index")
        self._wrap(index, "_make_part", "new part")
        self._wrap(Embedder, "encode_passages", "embed")
        self._wrap(parts, "save", "write part")
        self._wrap(journal, "apply", "journal apply")

    def _wrap(self, owner, name: str, label: str) -> None:
        fn = getattr(owner, name)

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t0

        setattr(owner, name, timed)
        self._undo.append((owner, name, fn))

    def restore(self) -> None:
        for owner, name, fn in self._undo:
            setattr(owner, name, fn)

    def line(self, total: float) -> str:
        """Disjoint steps: `index` less what it calls is the manifest, switch and clean-up, the part
        of the add that depends on the corpus's size."""
        s = dict(self.seconds)
        index, part, embed = s.pop("index", 0.0), s.pop("new part", 0.0), s.pop("embed", 0.0)
        s["embed"] = embed
        s["new part: tokens, n-grams"] = part - embed
        s["manifest + switch + clean-up"] = index - part - s.get("write part", 0.0)
        s["other"] = total - sum(s.values())
        return ", ".join(f"{k} {v:.2f}" for k, v in s.items())


def setup(scale: int, base_parts: Path | None) -> tuple[Path, dict]:
    """A work dir holding `scale` copies of the corpus, indexed once (from the parts when synthesised)."""
    from quydinh_bot.index.build import build

    work = Path(tempfile.mkdtemp(prefix=f"qdb-ingest-{scale}x-"))
    use(work)
    prepare(work, scale)
    if base_parts is not None:
        synthesise_cache(work, base_parts)
    t0 = time.perf_counter()
    stats = build()
    return work, {"documents": stats.documents + 1, "clauses_before": stats.clauses,
                  "setup_build_s": round(time.perf_counter() - t0, 1)}


def use(work: Path) -> None:
    os.environ["QUYDINH_CORPUS_DIR"] = str(work / "corpus")
    os.environ["QUYDINH_INDEX_DIR"] = str(work / "index")


def run(work: Path, plan: Path) -> tuple[float, float, dict]:
    """Add the plan to a copy of `work` (each repeat starts from the same corpus and index):
    wall and CPU seconds of the add, and what it did."""
    from quydinh_bot.index import build as index_mod
    from quydinh_bot.index.build import load_index
    from quydinh_bot.index.ingest import add_files
    from quydinh_bot.search.searcher import Searcher

    copy = Path(tempfile.mkdtemp(prefix=work.name + "-add-"))
    shutil.copytree(work / "corpus", copy / "corpus", symlinks=True)
    shutil.copytree(work / "index", copy / "index", symlinks=True)
    use(copy)
    index_mod.clear_cache()
    phases = Phases()
    c0, t0 = time.process_time(), time.perf_counter()
    try:
        result = add_files([plan])
    finally:
        phases.restore()
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    load = os.getloadavg()[0]
    # what a process serving the new index does first (nothing cached in this process)
    index_mod.clear_cache()
    t0 = time.perf_counter()
    ix = load_index()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    Searcher(index=ix)
    searcher_s = time.perf_counter() - t0
    info = {"added_clauses": result.added[0].clauses, "embedded": result.embedded, "load_average": round(load, 1),
            "phases": phases.line(took), "load": f"load_index {load_s:.2f} s + Searcher {searcher_s:.2f} s"}
    shutil.rmtree(copy, ignore_errors=True)
    return took, cpu, info


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="adds per corpus size (the median is reported)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "ke-hoach-900.docx"
        chars = make_plan(plan)
        import docx

        print(f"plan: {plan.stat().st_size // 1024} KiB .docx, {chars} characters (~{chars // 2800} pages), "
              f"{len(docx.Document(plan).tables)} Word tables; {os.cpu_count()} CPUs, "
              f"load average before {os.getloadavg()[0]:.1f}")
        works: list[Path] = []  # the 1x corpus, then the scaled one (its parts synthesised from the 1x parts)
        for scale in (1, args.scale):
            work, about = setup(scale, works[0] / "index" / "parts" if works else None)
            works.append(work)
            runs = [run(work, plan) for _ in range(max(1, args.repeat))]
            walls = [r[0] for r in runs]
            median = statistics.median(walls)
            took, cpu, info = min(runs, key=lambda r: abs(r[0] - median))
            loads = ", ".join(str(r[2]["load_average"]) for r in runs)
            print(f"add to the corpus ({scale}x): {median:6.1f} s median of {len(runs)} "
                  f"({', '.join(f'{w:.1f}' for w in walls)}; load average {loads}), CPU {cpu:.1f} s in the median run")
            print(f"    phases (median run): {info.pop('phases')}")
            print(f"    then loading it: {info.pop('load')}")
            print(f"    {about | info}")
        for w in works:
            shutil.rmtree(w, ignore_errors=True)


if __name__ == "__main__":
    main()
