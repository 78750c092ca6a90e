"""Scanned PDF pages -> text lines, through Tesseract and its Vietnamese model.

Why Tesseract: it is the maintained open OCR engine Debian ships with a trained Vietnamese
model (`tesseract-ocr`, `tesseract-ocr-vie`, installed by setup.sh); nothing is written here
that it does. A page is rendered to a grey-scale image at `DPI` by pdfium (through pypdfium2,
which pdfplumber already uses), handed to the `tesseract` program on stdin, and its TSV output
(one row per word: position, size, confidence) is grouped back into lines placed in PDF points,
so the PDF reader (`pdf.py`) joins paragraphs, drops page numbers and reads task rows exactly as
on a text page. Pages run two at a time (one Tesseract process per CPU, each on one thread).

A page whose words Tesseract itself is unsure of (mean confidence under `MIN_CONFIDENCE`) is
not indexed: the reader reports it by number instead (a blurred or skewed scan gives words
that look like Vietnamese and are not, which would be worse than missing text).
"""
from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .document import DocumentError

TESSERACT = "tesseract"
LANGUAGE = "vie"
DPI = 300  # Tesseract's models are trained on ~300 dpi scans; lower loses Vietnamese tone marks
MIN_CONFIDENCE = 80.0  # mean word confidence (0-100): a clean page reads 94-96; blurred till words break, 60-80
MIN_WORDS = 3  # fewer words on a page: a blank or picture-only page, nothing to index or report
PAGE_SECONDS = 120  # wall-time allowance per page (the reader's own limit grows by it per page)


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: float  # PDF points from the page's left edge
    top: float  # PDF points from the page's top edge
    right: float
    bottom: float
    confidence: float


@dataclass(frozen=True)
class OcrLine:
    """One line as Tesseract grouped it (block, paragraph, line), in PDF points."""

    words: tuple[OcrWord, ...]
    starts: bool = True  # the first line of a paragraph in Tesseract's layout analysis

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.left for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.right for w in self.words)


@dataclass(frozen=True)
class OcrPage:
    number: int  # 1-based, as a reader counts pages
    lines: tuple[OcrLine, ...]
    confidence: float  # mean word confidence, 0-100
    words: int

    @property
    def blank(self) -> bool:
        return self.words < MIN_WORDS

    @property
    def trusted(self) -> bool:
        return not self.blank and self.confidence >= MIN_CONFIDENCE


def tesseract() -> str | None:
    """The tesseract program with its Vietnamese model, or None when either is missing."""
    exe = shutil.which(TESSERACT)
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    langs = done.stdout.decode("utf-8", "replace").split()
    return exe if LANGUAGE in langs else None


def missing_message(name: str) -> str:
    return (f"{name}: PDF không có lớp chữ (bản quét) và máy chưa có bộ nhận dạng chữ (OCR) Tesseract tiếng Việt; "
            "hãy chạy ./setup.sh để cài (tesseract-ocr, tesseract-ocr-vie).")


def parse_tsv(tsv: str, scale: float) -> tuple[list[OcrLine], list[float]]:
    """Tesseract's TSV (pixels) -> lines in PDF points (pixels / `scale`) and the word confidences."""
    groups: dict[tuple[str, str, str], list[OcrWord]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5":
            continue
        text = unicodedata.normalize("NFC", cols[11]).strip()
        try:
            conf = float(cols[10])
            left, top, width, height = (float(c) for c in cols[6:10])
        except ValueError:
            continue
        if not text or conf < 0:
            continue
        confidences.append(conf)
        word = OcrWord(text, left / scale, top / scale, (left + width) / scale, (top + height) / scale, conf)
        groups.setdefault((cols[2], cols[3], cols[4]), []).append(word)
    firsts: dict[tuple[str, str], str] = {}
    for block, par, line in groups:  # in Tesseract's reading order
        firsts.setdefault((block, par), line)
    lines = [OcrLine(tuple(sorted(ws, key=lambda w: w.left)), firsts[key[:2]] == key[2])
             for key, ws in groups.items()]
    return lines, confidences


def recognise(image: bytes, scale: float, number: int, exe: str, seconds: int = PAGE_SECONDS) -> OcrPage:
    """One page image (PGM/PNG bytes) -> its lines; a Tesseract failure is a `DocumentError`."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1", "LC_ALL": "C"}
    try:
        done = subprocess.run([exe, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(round(72 * scale)), "tsv"],
                              input=image, capture_output=True, timeout=seconds, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise DocumentError(f"trang {number}: nhận dạng chữ quá {seconds} giây, đã dừng.") from exc
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(f"trang {number}: Tesseract lỗi ({why[-1][:120] if why else done.returncode}).")
    lines, confidences = parse_tsv(done.stdout.decode("utf-8", "replace"), scale)
    return OcrPage(number, tuple(lines), statistics.fmean(confidences) if confidences else 0.0, len(confidences))


def render(data: bytes, indexes: Sequence[int], dpi: int = DPI):
    """(page index, PGM bytes) for the pages asked, one at a time (one page's bitmap in memory)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in indexes:
            page = doc[i]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                buf = io.BytesIO()
                bitmap.to_pil().save(buf, "PPM")
                del bitmap
            finally:
                page.close()
            yield i, buf.getvalue()
    finally:
        doc.close()


def ocr_pages(data: bytes, indexes: Sequence[int], name: str, workers: int = 0,
              progress: Callable[[int, int], None] | None = None) -> dict[int, OcrPage]:
    """page index -> OcrPage for the pages of a PDF that have no usable text layer, `workers`
    Tesseract processes at a time (0: one per CPU); `progress(done, total)` after each page."""
    exe = tesseract()
    if exe is None:
        raise DocumentError(missing_message(name))
    if workers <= 0:
        try:
            workers = max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - non-Linux
            workers = max(1, os.cpu_count() or 1)
    scale = DPI / 72
    out: dict[int, OcrPage] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = []
        try:
            for i, image in render(data, indexes):
                pending.append((i, pool.submit(recognise, image, scale, i + 1, exe)))
                while len(pending) >= workers:  # at most `workers` page images held at once
                    j, fut = pending.pop(0)
                    out[j] = fut.result()
                    if progress:
                        progress(len(out), len(indexes))
            for j, fut in pending:
                out[j] = fut.result()
                if progress:
                    progress(len(out), len(indexes))
        except DocumentError as exc:
            raise DocumentError(f"{name}: {exc}") from exc
    return out


def poor_pages_note(pages: Sequence[OcrPage]) -> str:
    """The report for pages whose OCR was not trusted (not indexed)."""
    listed = ", ".join(f"{p.number} ({p.confidence:.0f}%)" for p in pages)
    return (f"Trang quét không đủ rõ để đọc tin cậy, không đưa vào chỉ mục: trang {listed} "
            f"(độ tin cậy nhận dạng dưới {MIN_CONFIDENCE:.0f}%); "
            "hãy quét lại rõ hơn hoặc nhập tay nội dung các trang này.")
