"""Build the word-weight prior (src/quydinh_bot/data/word_prior.tsv, read by index/weights.py): how many
clauses of each seed document (corpus/, the project's own documents) use each lexical token, the tokens
BM25 counts. Per document, so that a corpus holding some of them leaves those out of its prior. And the
background of written forms for accent restoration (src/quydinh_bot/data/accent_prior.tsv, read by
index/accents.py): the seed clauses' unigrams and bigrams written at least twice. Re-run after the seed
corpus changes:

    quydinh-bot index && python eval/mixed/build_prior.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from quydinh_bot.config import get_settings  # noqa: E402
from quydinh_bot.index.accents import BACKGROUND_FILE, write_background  # noqa: E402
from quydinh_bot.index.build import load_index  # noqa: E402
from quydinh_bot.index.weights import PRIOR_FILE, Background  # noqa: E402


def main() -> None:
    index = load_index(get_settings())
    bm25 = index.bm25
    doc_of = [c.doc_id for c in index.clauses]
    clauses: dict[str, int] = {}
    for d in doc_of:
        clauses[d] = clauses.get(d, 0) + 1
    df: dict[str, dict[str, int]] = {d: {} for d in clauses}
    for term, j in bm25.vocab.items():
        if not term:
            continue
        for row in bm25.indices[bm25.indptr[j]:bm25.indptr[j + 1]].tolist():
            counts = df[doc_of[row]]
            counts[term] = counts.get(term, 0) + 1
    Background(df, clauses).write(PRIOR_FILE)
    print(f"wrote {PRIOR_FILE}: {sum(map(len, df.values()))} (word, document) counts over {len(clauses)} documents, "
          f"{len(doc_of)} clauses")
    kept = write_background([c.text for c in index.clauses])
    print(f"wrote {BACKGROUND_FILE}: {kept} unigram and bigram keys")


if __name__ == "__main__":
    main()
