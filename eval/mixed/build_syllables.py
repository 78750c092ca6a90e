"""Build the general-language syllable frequencies (src/quydinh_bot/data/syllable_frequency.tsv, read by
index/weights.py): how often each Vietnamese syllable is written in text at large, from the `wordfreq` package's
Vietnamese list (Robyn Speer et al., wordfreq 3.1.1, data under CC BY-SA 4.0: subtitles, Wikipedia, web text), each
syllable in the project's one tone placement (language.text.normalize: "hoà" and "hòa" summed), lower case.

A corpus of one short document never writes most ordinary words ("thêm", "toàn bộ", "ban đầu"), and the
seed documents' background does not either; over clause counts alone such a word weighs as much as a name the
corpus lacks ("xăng dầu", "trưởng thôn"). These frequencies say which of the two it is. Re-run when the list
changes (it needs `pip install wordfreq`, which nothing else needs):

    python eval/mixed/build_syllables.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from quydinh_bot.index.weights import SYLLABLE_FILE  # noqa: E402
from quydinh_bot.language.text import normalize  # noqa: E402


def main() -> None:
    import importlib.metadata

    import wordfreq

    freq: dict[str, float] = {}
    for word, f in wordfreq.get_frequency_dict("vi", wordlist="small").items():
        key = normalize(word).lower()
        if " " in key or not any(ch.isalpha() for ch in key):
            continue
        freq[key] = freq.get(key, 0.0) + f
    rows = sorted(freq.items(), key=lambda x: (-x[1], x[0]))
    version = importlib.metadata.version("wordfreq")
    head = [f"# Vietnamese syllable frequencies (share of written words), from wordfreq {version}'s",
            "# 'small' list for vi (https://github.com/rspeer/wordfreq; data CC BY-SA 4.0), tone placement",
            "# normalised: built by eval/mixed/build_syllables.py"]
    SYLLABLE_FILE.write_text("\n".join(head + [f"{w}\t{f:.3g}" for w, f in rows]) + "\n", encoding="utf-8")
    print(f"wrote {SYLLABLE_FILE}: {len(rows)} syllables")


if __name__ == "__main__":
    main()
