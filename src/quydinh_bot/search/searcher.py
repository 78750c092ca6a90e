"""Hybrid clause search: dense (FAISS) + lexical (BM25) fused by reciprocal rank, then
re-ranked for what the question needs (a lead, a deadline, a figure, a list) and for the
filters it names (document number, province, body, month). Also decides abstention.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.index.build import DocInfo, SearchIndex, lex_tokens, load_index, query_tokens
from quydinh_bot.index.weights import WordWeights
from quydinh_bot.language.bodies import abbreviations, fold_aligned
from quydinh_bot.language.text import fold
from quydinh_bot.parse.signature import Signature, closing_clauses, find_signature
from quydinh_bot.question.initials import Initialisms
from quydinh_bot.question.query import DOC_KINDS, Question, content_words, parse_query
from quydinh_bot.question.register import DocRef, read_register_question
from quydinh_bot.question.when import NUMBER_WORDS as WHEN_NUMBER_WORDS
from quydinh_bot.records import Clause

from . import decision as decision_model
from . import evidence
from . import ranking as ranking_model
from .figures import asked_figure_held, asked_unit, asks_number, states_figure, states_unit
from .scope import KIND_CODES, Scope

RRF_K = 60
TIE_WEIGHT = 1.0 / (4 * RRF_K)
CANDIDATES = 60
HEADING_KINDS = {"title", "part", "appendix", "heading", "section", "group", "closing"}
NUMBERED_HEADS = {"roman", "item", "star", "letter", "article"}
# Abstention: answer when the top clauses contain enough of the question's topical words
# (IDF-weighted, exact words), helped a little by a strong dense match. Tuned on the
# development questions: in-corpus questions score >= 0.75, out-of-corpus ones <= 0.62.
MIN_EVIDENCE = 0.68
DENSE_FLOOR = 0.85
DENSE_WEIGHT = 2.0
ASKED_WEIGHT = 0.3  # share of the asked phrase ("ai lãnh đạo, chỉ đạo", "gửi về đâu") in lexical scores and coverage


# the question is about an amount: it opens with "mức …" ("mức đóng đảng phí", not "mục tiêu", "mức độ")
ASKS_AMOUNT = re.compile(r"^(?:(?:cho (?:toi )?(?:biet|hoi)|xin hoi|hoi)\s+)?muc (?!tieu\b|dich\b|do\b|\d)")
_DIGIT = re.compile(r"\d")
WHOLE_TOPIC = 0.9  # a clause that holds this much of a figure question's topic is about it, figure or not
FIGURE_DEPTH = 3  # a figure question's answer may be any of the first three clauses found that states its figure
FIGURE_HELD = 0.5  # ... when that figure's words, and the clause, hold half the topic's weight
# the closing formula of a document ("Trên đây là Kế hoạch …") and an appendix caption ("(Kèm theo Kế hoạch
# số …)"): the template's frame (Nghị định 30/2020/NĐ-CP), which repeats the title's words and answers nothing
_CLOSING = re.compile(r"^\W*(?:tren day la|kem theo)\b")
# the recitals that open a decision or plan ("Căn cứ Luật …; Căn cứ Quyết định số …"; Nghị định 30/2020/NĐ-CP)
_RECITAL = re.compile(r"^\W*can cu\b")
DURATION = re.compile(r"\btrong (?:vòng )?\d+ (?:năm|tháng|ngày)\b", re.IGNORECASE)


@dataclass
class Hit:
    clause: Clause
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    fused: float = 0.0  # the dense+lexical fusion alone, before re-ranking
    coverage: float = 0.0  # share of the question's topical words the clause holds
    coverage_head: float = 0.0  # the share held only by its headings or document title (in `coverage` weighed)
    features: dict[str, float] = field(default_factory=dict)  # the ranking features it has (ranking.py)


@dataclass
class SearchResult:
    query: Question
    hits: list[Hit]
    answered: bool
    coverage: float = 0.0
    dense_top: float = 0.0
    reason: str = ""
    expanded_from: str | None = None  # a heading whose items were listed
    features: dict[str, float] | None = None  # what the decision read (decision.FEATURES); None when scope declined
    evidence: float | None = None  # the decision's probability of "answer" (or the fallback's evidence)
    items: list[Clause] = field(default_factory=list)  # the listed items of `expanded_from`
    vague: bool = False  # too vague to look up (question.Question.vague): asked back, no clause offered
    no_figure: bool = False  # a figure asked, and the best clause (all of the topic) states none
    signature: Signature | None = None  # who signed the document asked about, when the question asks it


class Searcher:
    """Loads the index once; `search()` is what the CLI, API and bot call."""

    def __init__(self, settings: Settings | None = None, embedder=None, index: SearchIndex | None = None):
        self.settings = settings or get_settings()
        self._embedder = embedder
        self.index = index or load_index(self.settings, self.embedder.fingerprint if self.embedder else None)
        self._pos = self.index.by_id()
        self._children: dict[str, list[int]] = {}
        for i, c in enumerate(self.index.clauses):
            if c.parent_id:
                self._children.setdefault(c.parent_id, []).append(i)
        self._doc_numbers = {fold(d.number): d.doc_id for d in self.index.documents.values() if d.number}
        self._provinces = {fold(d.province) for d in self.index.documents.values() if d.province}
        self._province_initials = province_initials({d.province for d in self.index.documents.values()
                                                     if d.province})
        self._fold_memo: dict[str, tuple[str, str, str, str]] = {}
        self._max_idf = max(self.index.idf.values()) if self.index.idf else 1.0
        bm25 = self.index.bm25
        self.weights = WordWeights({t: d for t, d in zip(bm25.vocab, bm25.df.tolist()) if t}, bm25.num_docs,
                                   held=self.index.documents)
        self._label_memo: dict[str, tuple[str, str]] = {}
        self._signatures: dict[str, Signature | None] = {}  # doc_id -> its signature block (parse.signature)
        self._doc_vocab: dict[str, set[str]] = {}  # doc_id -> every word its clauses use (lazily)
        self._doc_positions: dict[str, list[int]] | None = None  # doc_id -> its clauses' positions (`_in_doc`)
        self._title_words = {d.doc_id: set(content_words(d.title)) for d in self.index.documents.values()}
        # folded short form -> the topical words of each of its expansions, in the table's order
        self._abbr_words: dict[str, list[list[str]]] = {}
        for abbr, full in abbreviations().items():
            key = fold(abbr)
            self._abbr_words.setdefault(key, []).append([w for w in content_words(full) if w != key])
        self._abbr_keys = set(self._abbr_words)
        self.scope = Scope.from_index(self.index.documents, self.index.clauses)
        # not the short forms the abbreviation table writes out, nor a document kind's code ("nqlt 102");
        # the texts as a list, read again for every short form (a generator shared by two threads is not)
        self._initialisms = Initialisms([c.text for c in self.index.clauses],
                                        self._abbr_keys | set(KIND_CODES.values()))
        # answer-or-decline: the fitted model when there is one, else the hand-set threshold
        self.decision = decision_model.load() if decision_model.DECISION_FILE.exists() else None
        self.ranking = ranking_model.load()  # the re-ranking weights (data/ranking.json)

    def clause(self, clause_id: str) -> Clause | None:
        i = self._pos.get(clause_id)
        return self.index.clauses[i] if i is not None else None

    def children(self, clause_id: str) -> list[Clause]:
        """The clauses directly under `clause_id`, in document order."""
        return [self.index.clauses[i] for i in self._children.get(clause_id, [])]

    @property
    def embedder(self):
        if self._embedder is None:
            from quydinh_bot.encoder.embed import Embedder

            self._embedder = Embedder(settings=self.settings)
        return self._embedder

    @property
    def loaded_embedder(self):
        """The embedder if it has been loaded (or was given), else None: lends the loaded model to a
        change of the corpus without loading one only for that."""
        return self._embedder

    # -- what the index holds, for the answer and the shells ------------------------------
    @property
    def clauses(self) -> list[Clause]:
        """Every clause of the index, in corpus order."""
        return self.index.clauses

    @property
    def documents(self) -> dict[str, DocInfo]:
        """doc_id -> what the index knows of the document, in corpus order."""
        return self.index.documents

    @property
    def idf(self) -> dict[str, float]:
        return self.index.idf

    @property
    def version(self) -> str:
        """The served index version's folder name (answers cached by a shell are keyed on it)."""
        return self.index.path.name

    @property
    def index_path(self) -> Path:
        return self.index.path

    def title_of(self, doc_id: str) -> str:
        info = self.index.documents.get(doc_id)
        return info.title if info else doc_id

    def reloaded(self) -> Searcher:
        """A searcher over the index `index/current` names now, with the same settings and model."""
        return Searcher(self.settings, embedder=self._embedder)

    def question_tokens(self, question: str) -> int | None:
        """Tokens the embedding model would read for the question, or None for an embedder that
        does not count them (the tests' bag of words)."""
        count = getattr(self.embedder, "query_tokens", None)
        return count(question) if count else None

    # -- retrieval ------------------------------------------------------------------------
    def _dense(self, q: Question, n: int) -> tuple[np.ndarray, np.ndarray]:
        vec = np.asarray(self.embedder.encode_query(q.expanded), dtype=np.float32).reshape(1, -1)
        scores, ids = self.index.dense.search(vec, min(n, self.index.dense.ntotal))
        return ids[0], scores[0]

    def _lexical(self, q: Question) -> np.ndarray:
        """BM25 of the question's topic, plus a light share of its asked phrase ("ai lãnh đạo, chỉ đạo")."""
        scores = self._bm25(q, q.topic_typed or q.typed or q.text, q.topic_expanded or q.expanded)
        if q.asked_expanded:
            scores = scores + ASKED_WEIGHT * self._bm25(q, q.asked_typed, q.asked_expanded)
        return scores

    def _bm25(self, q: Question, typed: str, expanded: str) -> np.ndarray:
        toks = lex_tokens(expanded) if q.accented else (
            query_tokens(typed, False, self.index.compounds) + lex_tokens(expanded))
        toks = [t for t in toks if t in self.index.idf]
        if not toks:
            return np.zeros(len(self.index.clauses), dtype=np.float32)
        return np.asarray(self.index.bm25.get_scores(toks), dtype=np.float32)

    def _fuse(self, q: Question) -> list[Hit]:
        """Reciprocal-rank fusion of the dense and lexical candidates, plus a small share of
        each score so that equal ranks are broken by how strong the match actually is."""
        d_ids, d_scores = self._dense(q, CANDIDATES)
        lex = self._lexical(q)
        if len(lex) > CANDIDATES:  # top candidates without sorting every clause
            part = np.argpartition(-lex, CANDIDATES)[:CANDIDATES]
            l_ids = part[np.argsort(-lex[part])]
        else:
            l_ids = np.argsort(-lex)
        fused: dict[int, float] = {}
        dense_of: dict[int, float] = {}
        for r, (i, s) in enumerate(zip(d_ids, d_scores)):
            if i >= 0:
                fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + r + 1)
                dense_of[int(i)] = float(s)
        for r, i in enumerate(l_ids):
            if lex[i] <= 0:
                break
            fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + r + 1)
        max_lex = float(lex.max()) if len(lex) and lex.max() > 0 else 1.0
        d_lo = float(d_scores[-1]) if len(d_scores) else 0.0
        d_hi = float(d_scores[0]) if len(d_scores) else 1.0
        hits = []
        for i, s in fused.items():
            dense_part = (dense_of.get(i, d_lo) - d_lo) / (d_hi - d_lo) if d_hi > d_lo else 0.0
            s += TIE_WEIGHT * (float(lex[i]) / max_lex + dense_part)
            hits.append(Hit(self.index.clauses[i], s, dense_of.get(i, 0.0), float(lex[i]), fused=s))
        return hits

    def read(self, question: str, today: date | None = None) -> Question:
        """The question read once against this corpus: its words (`parse_query`), then what the corpus
        says of what it names (a province by its initials, documents by number or title, short forms
        written out, the register filter it asks for). Search, the register path and the answer read this."""
        # a short form the corpus never writes but spells out ("dbqh": đại biểu Quốc hội) reads as its words
        text, spelled = self._initialisms.spell_out(question, self.index.idf)
        q = parse_query(text, self.index.restorer)
        q.raw = question
        short_province(q, self._province_initials, self._abbr_keys)
        q.title_docs = frozenset(self._named_documents(q))
        q.number_docs = frozenset(self._numbered_documents(q))
        q.doc_number_ids = tuple(self._doc_numbers.get(fold(num)) for num in q.doc_numbers)
        province = fold(q.province) if q.province else ""
        q.corpus_province = province if province and province in self._provinces else ""
        q.expansions = self._short_expansions(q)
        for short, run in spelled.items():  # a clause that writes the short form holds its words
            if short in q.content_words:
                q.expansions[short] = [w for w in content_words(run) if w != short]
        docs = [DocRef(d.doc_id, d.number, d.kind, d.title, d.province) for d in self.documents.values()]
        q.register = read_register_question(q, docs, today or self.settings.today())
        q.resolved = True
        return q

    def search(self, question: str | Question, k: int = 5, keep_all: bool = False) -> SearchResult:
        """The best `k` clauses for the question (as typed, or as `read`), and whether they answer it.
        `keep_all` (for fitting the ranking) returns every candidate, ranked, with its features, and
        decides nothing."""
        q = question if isinstance(question, Question) and question.resolved else self.read(
            question.raw if isinstance(question, Question) else question)
        if q.vague and not keep_all:  # nothing to look up: asked back, without encoding anything
            return SearchResult(q, [], answered=False, vague=True)
        words = self._topic_words(q)  # the coverage and the decision weigh the same words differently
        topic = _topic(self._word_weights(q, prior=False, words=words))
        short = q.expansions
        hits = self._fuse(q)
        for h in hits:  # what the question needs, and how much of its topic the clause holds
            direct, h.coverage_head = self._coverage_parts(topic, [self._pos[h.clause.clause_id]], short=short)
            h.coverage = direct + self.ranking.heading_credit * h.coverage_head
            h.features = self.rank_features(q, h.clause)
            h.score *= self.ranking.boost(h.features) * self.ranking.coverage_factor(h.coverage)
        hits.sort(key=lambda h: -h.score)
        if keep_all:
            return SearchResult(q, hits, answered=True)
        result = SearchResult(q, hits, answered=True)
        self._decide(result, _topic(self._word_weights(q, words=words)))
        if result.answered and q.intent == "list" and hits:
            self._expand_list(result)
        if result.answered and "signer" in q.asks and result.hits:
            self._signed(result)
        result.hits = result.hits[:k]
        return result

    # -- coverage: how much of the question's topic a clause contains --------------------
    def _word_weights(self, q: Question, prior: bool = True, words: dict[str, float] | None = None
                      ) -> dict[str, float]:
        """Weight of each topical word of the question (`words`, else `_topic_words`): its IDF over the corpus
        with the background's counts mixed in (index/weights.py), what the decision reads; a word neither uses
        weighs most, or as often as text at large writes it (the question's own spelling of it: index/weights.py's
        General). `prior=False`: the corpus' own IDF, a word it never uses weighing most, what the ranking's
        coverage reads (measured: the prior there loses R@5 on the real documents alone)."""
        words = self._topic_words(q) if words is None else words
        if prior:
            written = q.written
            return {w: f * self.weights.weight(w, written.get(w, "")) for w, f in words.items()}
        return {w: f * self.index.idf.get(w, self._max_idf + 1.0) for w, f in words.items()}

    def _topic_words(self, q: Question) -> dict[str, float]:
        """The question's topical words, each with the factor its weight takes (1, or ASKED_WEIGHT for the
        verb of the question word), in the order their weights are summed."""
        out: dict[str, float] = {}
        # "kh 376" names a document of the corpus: its number is a filter, not a topic word
        held = [(kind, n) for kind, n in self.scope.named_numbers(q) if self._document_numbered(kind, n)]
        numbers = {n for _, n in held} | {KIND_CODES[kind] for kind, _ in held}  # "nqlt 102": both are the filter
        for w in q.content_words:
            if w in numbers:
                continue
            if w not in self.index.idf and w in self._abbr_keys:
                continue  # "btv": its expansion, written out beside it, carries the topic
            out[w] = 1.0
        for w in q.asked_words:  # the verb of the question word: it counts, lightly
            if w in self.index.idf:
                out[w] = ASKED_WEIGHT
        # "MTTQ" beside its expansion "Mặt trận Tổ quốc" names one thing: the written-out words carry the
        # weight and the short form stands in for them (a clause with either holds the topic once)
        for abbr, words in q.expansions.items():
            if abbr in out and all(w in out for w in words):
                del out[abbr]
        return out

    def _short_expansions(self, q: Question) -> dict[str, list[str]]:
        """Folded short forms the question uses -> the topical words of their expansion."""
        got: dict[str, list[str]] = {}
        words = set(q.content_words)
        for key in words & self._abbr_keys:
            for parts in self._abbr_words[key]:
                if parts and all(w in words for w in parts):
                    got[key] = parts  # the last expansion written out in full, as the table reads
        return got

    def _coverage(self, topic: Topic, ids: list[int], strict: bool = False,
                  short: dict[str, list[str]] | None = None) -> float:
        """IDF share of the question's topical words the clauses hold; `short` (short form -> its
        expansion's words) lets a clause that writes "MTTQ" hold "Mặt trận", "Tổ quốc". A word held
        only by the clause's headings or document title counts whole when `strict`, else half."""
        direct, head = self._coverage_parts(topic, ids, strict, short)
        return direct + (1.0 if strict else 0.5) * head

    def _coverage_parts(self, topic: Topic, ids: list[int], strict: bool = False,
                        short: dict[str, list[str]] | None = None) -> tuple[float, float]:
        """(share held by the clauses' own words, share held only by their headings or document title):
        the ranking weighs the second by its fitted `heading_credit`, since a clause speaks within its
        document's and section's subject."""
        if not topic.words:
            return 1.0, 0.0
        # one clause (every candidate of every question): its own set, not a copy
        have = self.index.token_sets[ids[0]] if len(ids) == 1 else set().union(*(self.index.token_sets[i] for i in ids))
        if short:
            extra = [w for abbr, words in short.items() if abbr in have for w in words]
            if extra:  # a copy of the clause's words only when a short form of the question is in it
                have = have | set(extra)
        got = 0.0
        in_heads = 0.0
        for t, w, head, inner, numbers, parts in topic.words:
            if t in have:
                got += w
            elif head in have:  # in the clause's headings or document title
                in_heads += w
            elif strict:
                continue
            elif numbers is not None and all(any(x in have for x in alts) for alts in numbers):
                got += w  # "19/5" or "2/9" inside "19/5/2026", "02/9/2026"
            elif parts:  # segmented differently in the clause: count its syllables
                n = 0
                for p, tp in parts:
                    if p in have or tp in have:
                        n += 1
                got += w * n / len(parts)
            elif inner in have:  # only inside a compound word
                got += 0.5 * w
        return got / topic.total, in_heads / topic.total

    # -- re-ranking -----------------------------------------------------------------------
    def _document_numbered(self, kind: str, number: str) -> str | None:
        """The document whose own number is `number` of `kind` ('ke hoach', '376' -> kh-376-2025; 'nghi quyet',
        '99' -> the state resolution '99/2025/NQ-HĐND': number, year, code)."""
        code = KIND_CODES[kind]
        for doc_id, info in self.index.documents.items():
            if info.number and re.match(rf"0*{number.lstrip('0') or '0'}(?:-|/(?:19|20)\d\d/){code}\b",
                                        fold(info.number)):
                return doc_id
        return None

    def _numbered_documents(self, q: Question) -> set[str]:
        """Documents named by a loosely written number of their own: 'kh 376', 'ctr 01'."""
        found = (self._document_numbered(kind, n) for kind, n in self.scope.named_numbers(q))
        return {d for d in found if d}

    def _kind_named(self, q: Question) -> set[str]:
        """The one document of a kind the question names by kind and title words ('đề án TCCSĐ',
        'báo cáo tháng 5') or as 'trong/của đề án' — not a kind that many clauses cite by number."""
        folded = fold_aligned(q.expanded)  # same length as the accented text, so words can be cut from it
        out = set()
        for key, kind in DOC_KINDS.items():
            docs = [d for d, info in self.index.documents.items() if info.kind == kind]
            if len(docs) != 1:
                continue
            for m in re.finditer(rf"\b{key}\b(?!\s+(?:so\s+)?\d)", folded):
                after = set(content_words(" ".join(q.expanded[m.end():].split()[:6])))
                if len(after & self._title_words[docs[0]]) >= 2 or re.search(rf"\b(trong|cua) {key}\s*\??$", folded):
                    out.add(docs[0])
        return out

    def _labels(self, c: Clause) -> tuple[str, str]:
        """The clause's own label and its section heading's label (search/evidence.py), memoised."""
        got = self._label_memo.get(c.clause_id)
        if got is None:
            section = evidence.section_label(fold(c.heading_path[-1])) if c.heading_path else ""
            got = self._label_memo[c.clause_id] = (evidence.own_label(self._folded(c)[3]), section)
        return got

    def _in_doc(self, doc_id: str) -> list[int]:
        """Positions of the document's clauses in the index, in document order (one pass, the first time)."""
        if self._doc_positions is None:
            self._doc_positions = {}
            for i, c in enumerate(self.index.clauses):
                self._doc_positions.setdefault(c.doc_id, []).append(i)
        return self._doc_positions.get(doc_id, [])

    def _about_document(self, q: Question, doc_id: str) -> bool:
        """At least half of the question's words that its document uses are the document's title words:
        the question is about the document's own event or subject as a whole ("kỳ kiểm tra cấp giấy
        chứng nhận … tổ chức vào lúc nào"), so each of its clauses holds that topic implicitly."""
        vocab = self._doc_vocab.get(doc_id)
        if vocab is None:
            vocab = self._doc_vocab[doc_id] = set().union(*(self.index.token_sets[i] for i in self._in_doc(doc_id)))
        words = [w for w in q.content_words if w in vocab]
        title = self._title_words.get(doc_id, set())
        return len(words) >= 2 and sum(w in title for w in words) * 2 >= len(words)

    def _named_documents(self, q: Question) -> set[str]:
        """Documents the question names by (much of) their title: 'Đề án củng cố TCCSĐ nhiệm kỳ 2025-2030'."""
        words = set(q.content_words)
        out = set()
        for doc_id, title in self._title_words.items():
            shared = len(words & title)
            if shared >= 4 and shared >= 0.4 * len(words):
                out.add(doc_id)
        out |= self._kind_named(q)
        return out if len(out) < len(self._title_words) else set()

    def _folded(self, c: Clause) -> tuple[str, str, str, str]:
        """Folded lead, frame (nearest headings + document title), deadline and text, memoised:
        every question reads them for each of its candidates."""
        got = self._fold_memo.get(c.clause_id)
        if got is None:
            info = self.index.documents.get(c.doc_id)
            frame = fold(" ".join(c.heading_path[-2:]) + " " + (info.title if info else ""))
            got = (fold(c.lead or ""), frame, fold(c.deadline.text) if c.deadline else "", fold(c.text))
            self._fold_memo[c.clause_id] = got
        return got

    def rank_features(self, q: Question, c: Clause) -> dict[str, float]:
        """The ranking features (`ranking.FEATURES`) the clause has for the question, in the order
        they are weighed."""
        f: dict[str, float] = {}
        # a short numbered clause with clauses under it ("2. Trình tự …:", "c) Chương trình buổi lễ", a short
        # Điều) heads them, whatever its marker (parse.clauses reads the same markers as heading-like)
        heading_like = c.kind in HEADING_KINDS or (c.kind in NUMBERED_HEADS and len(c.text) < 80
                                                   and c.clause_id in self._children)
        if c.kind in {"title", "closing"} or c.number.startswith("noi-nhan"):
            f["frame_clause"] = 1
        if c.kind == "footnote" and not q.doc_numbers:
            f["footnote"] = 1  # supporting detail: first place goes to the clause itself
        if q.intent == "lead" or q.wants_lead:
            if c.lead_source in {"explicit", "section"}:
                f["lead_task"] = 1
            if heading_like:
                f["lead_heading"] = 1
        if q.intent == "deadline" or q.wants_deadline:
            lasts = "duration" in q.asks and DURATION.search(c.text)  # "bao lâu": "trong 5 năm"
            f["deadline_stated" if c.deadline or lasts else ("deadline_heading" if heading_like
                                                              else "deadline_missing")] = 1
        if q.intent == "fact":
            f["fact_figure" if _DIGIT.search(c.text) else "fact_no_figure"] = 1
        if q.intent == "list" and heading_like and c.clause_id in self._children:
            f["list_heading"] = 1
        # named filters
        for doc in q.doc_number_ids:
            if doc:
                name = "number_match" if c.doc_id == doc else "number_other"
                f[name] = f.get(name, 0) + 1
        if q.corpus_province:
            # a question about one of the corpus's provinces reads that province's documents
            info = self.index.documents.get(c.doc_id)
            if info and info.province and fold(info.province) == q.corpus_province:
                f["province_match"] = 1
            else:
                f["province_in_text" if q.corpus_province in self._folded(c)[3] else "province_other"] = 1
        if q.doc_kind:
            f["kind_match" if info_kind(self.index, c) == q.doc_kind else "kind_other"] = 1
        if q.number_docs:
            f["named_number_match" if c.doc_id in q.number_docs else "named_number_other"] = 1
        if q.title_docs and c.doc_id in q.title_docs:
            f["title_match"] = 1
        text = self._folded(c)[3]
        if _CLOSING.match(text):
            f["closing_formula"] = 1
        if _RECITAL.match(text) and "document" not in q.asks:
            f["recital"] = 1  # it names dates and bodies of other documents, and answers only "căn cứ vào đâu"
        if q.asks:
            own, section = self._labels(c)
            for kind in evidence.KINDS:
                if kind in q.asks:
                    # a task's deadline may sit in its table row's cell, not in its words
                    if evidence.states(kind, text) or (kind == "time" and c.deadline is not None):
                        f[f"{kind}_stated"] = 1
                    if evidence.labelled(kind, own):
                        f[f"{kind}_label"] = 1
                    elif evidence.labelled(kind, section):
                        f[f"{kind}_section"] = 1
            if any(k.endswith(("_label", "_section")) for k in f) and self._about_document(q, c.doc_id):
                # "kỳ kiểm tra … tổ chức vào lúc nào": the topic is the document's own; the label answers
                f["label_whole_document"] = 1
        if not (q.subject_bodies or q.month or q.year or q.month_only):
            return f
        lead, frame, deadline, _ = self._folded(c)
        if q.subject_folded and lead:
            if any(body in lead or lead in body for body in q.subject_folded):
                f["body_lead"] = 1
        if q.month:
            if any(k in frame or k in deadline for k in q.month_forms):
                f["month_match"] = 1
        if q.month_only_pattern is not None:
            last_heading = fold(c.heading_path[-1] if c.heading_path else "")
            if q.month_only_pattern.search(frame + " " + deadline + " " + last_heading):
                f["month_only_match"] = 1
        if q.year:
            y = str(q.year)
            if y in frame:
                f["year_frame"] = 1
            elif y in c.text:
                f["year_text"] = 1
            if other_years_only(c.text, q.year):
                f["other_years"] = 1  # "năm 2026" asked, the clause is about "(2021 - 2025)"
        return f

    # -- abstention -----------------------------------------------------------------------
    def _decide(self, result: SearchResult, topic: Topic) -> None:
        q = result.query
        if not result.hits:
            result.answered, result.reason = False, ""
            return
        for num in q.doc_numbers + q.law_numbers:
            if fold(num) not in self.scope.text and fold(num) not in self._doc_numbers:
                result.answered, result.reason = False, f"kho văn bản không có văn bản số {num}"
                return
        top = result.hits[:3]
        why = self.scope.outside(q, [h.clause for h in top])
        if why:
            result.answered, result.reason = False, why
            return
        features = self.features(result, topic)
        result.coverage, result.dense_top = features["coverage3"], features["dense_top"]
        if why := self._unit_missing(result) or self._figure_missing(result, features):
            result.answered, result.reason = False, why
            return
        result.features = features
        if self.decision is not None:
            p = self.decision.probability(features)
            result.evidence = p
            result.answered = p >= self.decision.threshold
        else:
            evidence = result.coverage + DENSE_WEIGHT * max(0.0, result.dense_top - DENSE_FLOOR)
            result.evidence = evidence
            result.answered = evidence >= MIN_EVIDENCE
        if not result.answered:
            result.reason = ""

    def _unit_missing(self, result: SearchResult) -> str:
        """Why a question that names the unit of the number it asks ("thời hạn bao nhiêu năm", "sau bao lâu",
        "bao nhiêu tuổi": figures.asked_unit) cannot be answered, or "": the best clause, its deadline included,
        must state a number of that unit ("1,5 ngày", "Ba tháng", "hằng quý"), not a date or another unit.
        Whatever else it asks, a deadline too ("… có thời hạn bao nhiêu năm"). Unlike a figure, no later clause
        is promoted: on the real questions every answerable one's best clause states its unit, and the later
        clauses that did were about something else ("02 ngày" of a letter for "thời hạn bao nhiêu năm")."""
        unit = asked_unit(result.query.folded)
        if not unit:
            return ""

        def states(c: Clause) -> bool:
            return states_unit(unit, c.text + " " + (c.deadline.text if c.deadline else ""))

        return "" if states(result.hits[0].clause) else "văn bản tìm được không nêu con số được hỏi"

    def _figure_missing(self, result: SearchResult, features: dict[str, float]) -> str:
        """Why a figure question cannot be answered, or "". The best clause must state a figure of the asked
        kind (a count, a share: figures.states_figure) for the subject asked (not only a part of it: "…; trong
        đó, 1.750 đảng viên trong các doanh nghiệp" for "chỉ tiêu kết nạp đảng viên") and the year asked
        (not "giai đoạn 2021 - 2025" for 2026). When it does not, the next clauses found (up to FIGURE_DEPTH)
        that do, about the topic (FIGURE_HELD of its weight in the figure's words), answer instead; else the
        question is declined — unless the best clause holds the whole topic, which answers, marked
        `no_figure` for the first line. The same tests in any document."""
        q = result.query
        if q.wants_lead or q.wants_deadline or not (q.intent == "fact" or ASKS_AMOUNT.search(q.folded)):
            return ""
        # "bao nhiêu", "tỷ lệ", "mức …" ask a number; "chỉ tiêu … (là gì)" may be answered in words
        strict = asks_number(q.folded) or bool(ASKS_AMOUNT.search(q.folded))
        weights = {w: self.weights.weight(w) for w in q.content_words}

        def missing(c: Clause) -> tuple[str, float]:
            if q.year and not applies_to_year(c, self.documents.get(c.doc_id), q.year):
                return f"kho văn bản không có văn bản nêu con số này cho năm {q.year}", 0.0
            if not states_figure(q.folded, c.text, c.deadline.text if c.deadline else ""):
                return "văn bản tìm được không nêu con số được hỏi", 0.0
            pick = asked_figure_held(c.text, weights, q.folded, q.expansions)
            if pick.part:
                return "văn bản tìm được chỉ nêu con số của một phần nội dung được hỏi", pick.held
            return "", pick.held if pick.match is not None else 1.0

        why, _ = missing(result.hits[0].clause)
        if not why:
            return ""
        for i, h in enumerate(result.hits[1:FIGURE_DEPTH], 1):
            other, held = missing(h.clause)
            if not other and held >= FIGURE_HELD and h.coverage >= FIGURE_HELD:
                result.hits.insert(0, result.hits.pop(i))
                return ""
        if q.year and why.endswith(f"năm {q.year}"):
            return why
        if not strict:
            return ""  # a target asked in words ("chỉ tiêu … là gì"): the best clause answers as found
        if features["coverage1_strict"] >= WHOLE_TOPIC:
            result.no_figure = True
            return ""
        return why

    def features(self, result: SearchResult, topic: Topic) -> dict[str, float]:
        """What the answer-or-decline model reads (decision.FEATURES)."""
        hits = result.hits
        top = hits[:3]
        short = result.query.expansions
        total = topic.total or 1.0
        dense = sorted((h.dense for h in hits), reverse=True)
        return {
            "coverage3": self._coverage(topic, [self._pos[h.clause.clause_id] for h in top], strict=True, short=short),
            "coverage1": self._coverage(topic, [self._pos[hits[0].clause.clause_id]], short=short),
            "coverage1_strict": self._coverage(topic, [self._pos[hits[0].clause.clause_id]], strict=True,
                                               short=short),
            "unknown": sum(w for t, w, *_ in topic.words if t not in self.index.idf) / total,
            "dense_top": max(h.dense for h in top),
            "dense_margin": (dense[0] - dense[min(4, len(dense) - 1)]) if dense else 0.0,
            "lexical_top": max(h.lexical for h in top) / (total + 1.0),
            "shape_top": self._answer_shape(result.query, hits[0]),
            **self._transfer_features(topic, hits, short),
        }

    def _transfer_features(self, topic: Topic, hits: list[Hit], short: dict[str, list[str]]) -> dict[str, float]:
        """Evidence that reads the same in a corpus of one short document as in a large one (candidates for
        the decision, fitted leave-one-document-out by eval/mixed/fit_decision.py): the best clause's share
        of the topic's words the corpus knows (a small corpus does not know most ordinary words, and their
        weight would swamp `coverage1`), the share of topic words (by count) the corpus never writes even as
        syllables, and the best dense similarity as a z-score among the question's dense candidates."""
        idf = self.index.idf
        known = Topic(sum(w for t, w, *_ in topic.words if t in idf), [x for x in topic.words if x[0] in idf])
        never = [t for t, *_ in topic.words if t not in idf and not all(p in idf for p in t.split("_"))]
        dense = np.array([h.dense for h in hits if h.dense > 0.0] or [0.0])
        spread = float(dense.std())
        return {
            "known_coverage1": self._coverage(known, [self._pos[hits[0].clause.clause_id]], strict=True, short=short)
            if known.words else 0.0,
            "never_share": len(never) / len(topic.words) if topic.words else 0.0,
            "dense_z": (float(dense.max()) - float(dense.mean())) / spread if spread > 0 else 0.0,
        }

    def _answer_shape(self, q: Question, hit: Hit) -> float:
        """Does the best clause have the shape of the answer wanted: the asked kind stated (a time, a
        place, a document …), a figure for how-many, a lead for who-leads. 1 yes, 0 no, 0.5 when the
        question wants no particular shape. The same evidence in any document."""
        wanted = 0
        have = 0
        f = hit.features
        for kind in evidence.KINDS:
            if kind in q.asks:
                wanted += 1
                have += f.get(f"{kind}_stated", 0) > 0
        if q.intent == "fact":
            wanted += 1
            have += f.get("fact_figure", 0) > 0
        if (q.intent == "lead" or q.wants_lead) and not q.asks:
            wanted += 1
            have += f.get("lead_task", 0) > 0 or bool(hit.clause.lead)
        return have / wanted if wanted else 0.5

    # -- who signed -----------------------------------------------------------------------
    def signature(self, doc_id: str) -> Signature | None:
        """The document's signature block (parse.signature), read once from its closing clauses."""
        if doc_id not in self._signatures:
            own = [self.index.clauses[i] for i in self._in_doc(doc_id)]
            self._signatures[doc_id] = find_signature(closing_clauses(own))
        return self._signatures[doc_id]

    def _signed(self, result: SearchResult) -> None:
        """"Kế hoạch … do ai ký?": the question's topic finds the document (the best clause's), and its
        signature block answers — one per document, wherever the ranking put it. A document whose block
        cannot be read keeps the clauses found."""
        doc_id = result.hits[0].clause.doc_id
        if not self._names_document(result.query, doc_id):
            result.answered, result.reason = False, "kho văn bản không có văn bản được hỏi"
            return
        sig = self.signature(doc_id)
        if sig is None:
            return
        at = next((i for i, h in enumerate(result.hits) if h.clause.clause_id == sig.clause_id), None)
        hit = result.hits.pop(at) if at is not None else Hit(self.index.clauses[self._pos[sig.clause_id]],
                                                             result.hits[0].score)
        result.hits.insert(0, hit)
        result.signature = sig

    def _names_document(self, q: Question, doc_id: str) -> bool:
        """A question about who signed names the document it means ("kế hoạch huấn luyện … do ai ký"): some
        word of its topic is in that document's title, kind or opening clauses (the heading block). One
        whose topic the document never names there ("ai ký giấy phép khai thác khoáng sản" of a training plan)
        asks about another document, whose signer this one's block is not. A topic of no words of its own
        ("văn bản này do ai ký") names the one found."""
        words = set(q.topic_words)
        if not words:
            return True
        info = self.index.documents.get(doc_id)
        held = set(self._title_words.get(doc_id, set()))
        held |= set(content_words(info.kind or "")) if info else set()
        for i in self._in_doc(doc_id)[:3]:  # a clause's own words and its headings' ('^'), not syllables ('~')
            held |= {w.lstrip("^") for w in self.index.token_sets[i] if not w.startswith("~")}
        return bool(words & held)

    # -- lists ----------------------------------------------------------------------------
    def _expand_list(self, result: SearchResult) -> None:
        """A heading that matches a 'which tasks' question answers with its items, in order.

        The heading is the top hit itself, or the parent that most of the top hits share."""
        top = result.hits[0].clause
        if top.clause_id not in self._children:
            parents = [h.clause.parent_id for h in result.hits[:5] if h.clause.parent_id]
            common = max(set(parents), key=parents.count) if parents else None
            if not common or parents.count(common) < 3 or common not in self._children:
                return
            top = self.index.clauses[self._pos[common]]
        leaves: list[int] = []
        stack = list(reversed(self._children[top.clause_id]))
        while stack and len(leaves) < 30:
            i = stack.pop()
            c = self.index.clauses[i]
            kids = self._children.get(c.clause_id)
            if kids and (c.kind in HEADING_KINDS or c.kind == "item"):
                stack.extend(reversed(kids))
            else:
                leaves.append(i)
        if not leaves:
            return
        base = result.hits[0].score
        items = [Hit(self.index.clauses[i], base * (1 - 0.001 * r)) for r, i in enumerate(leaves)]
        seen = {h.clause.clause_id for h in items}
        result.expanded_from = top.clause_id
        result.items = [h.clause for h in items]
        result.hits = items + [h for h in result.hits if h.clause.clause_id not in seen]


# the small counts a question or a clause may spell out, folded (question/when.py's number words); the others
# ("một", "năm", "sáu", "bảy", "tám", "chín") fold to words as common as "một số" (some), "năm" (year), "sau"
# (after), "tam" (tạm): they are left as written
NUMBER_WORDS = {n: w for w, n in WHEN_NUMBER_WORDS.items() if n in (2, 3, 4, 10)}
SMALL_NUMBERS = {w: n for n, w in NUMBER_WORDS.items()}


class Topic(NamedTuple):
    """A question's topical words, each with what `_coverage` looks up for it worked out once per
    question rather than once per candidate clause (about 100 of them): word, weight, '^word',
    '~word', the number parts of a loosely written date or range with their spellings (leading
    zeros aside) or None, the syllables of a segmented word with their '~' forms or None."""

    total: float
    words: list[tuple]


def _topic(weights: dict[str, float]) -> Topic:
    """The Topic of `weights`, in the dict's order so that sums add up as they always did."""
    words = []
    for t, w in weights.items():
        numbers: list[tuple[str, ...]] | None = None
        if t[:1].isdigit() and re.fullmatch(r"\d{1,4}(?:[/-]\d{1,4})+", t):
            numbers = [(p, p.zfill(2), p.lstrip("0")) for p in re.split(r"[/-]", t)]
        elif (n := SMALL_NUMBERS.get(t) or (int(t) if t.isdigit() and int(t) in NUMBER_WORDS else 0)):
            # "lần 3" is "lần thứ ba", "hai ngày" is "02 ngày": a small count written either way
            # (a digit asked is not its zero-padded form: "03" is as often a day of a date)
            numbers = [(NUMBER_WORDS[n], f"~{NUMBER_WORDS[n]}") if t.isdigit() else (str(n), f"{n:02d}")]
        parts = [(p, f"~{p}") for p in t.split("_")] if "_" in t and numbers is None else None
        words.append((t, w, f"^{t}", f"~{t}", numbers, parts))
    return Topic(sum(weights.values()), words)


def applies_to_year(c: Clause, info: DocInfo | None, year: int) -> bool:
    """The clause is about `year`: its text names it (or a range holding it), or, naming no year, its
    headings and document title do not name other years only ("Chương trình công tác năm 2026";
    "nhiệm kỳ 2025 - 2030" holds 2026; "giai đoạn 2021 - 2025" does not)."""
    if re.search(r"(?<![\d/.,])(?:19|20)\d\d(?![\d%])", c.text):
        return not other_years_only(c.text, year)
    frame = " ".join(c.heading_path) + " " + (info.title if info else "")
    return not other_years_only(frame, year)


def other_years_only(text: str, year: int) -> bool:
    """The text names years, none of them `year` and no range that holds it ('5 năm liền (2021 - 2025)')."""
    years = [int(y) for y in re.findall(r"(?<![\d/.,])((?:19|20)\d\d)(?![\d%])", text)]
    if not years or year in years:
        return False
    for a, b in re.findall(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)", text):
        if int(a) <= year <= int(b):
            return False
    return True


def province_initials(provinces: set[str]) -> dict[str, str]:
    """Folded initials -> province, for the initials only one of `provinces` has ('tn' -> 'Thái Nguyên')."""
    seen: dict[str, list[str]] = {}
    for p in provinces:
        seen.setdefault("".join(w[0] for w in fold(p).split()), []).append(p)
    return {k: v[0] for k, v in seen.items() if len(v) == 1 and len(k) >= 2}


def short_province(q: Question, initials: Mapping[str, str], short_forms: Set[str]) -> None:
    """'toàn tỉnh TN', 'đảng bộ LĐ': a corpus province by its initials (`initials`, from `province_initials`),
    after 'tỉnh' or typed in capitals ('TN' is Thái Nguyên while no other province of the corpus reads TN)
    unless the capitals are a known short form (`short_forms`, folded). Sets `q.province` and drops the
    initials from its topical words; a question that names a province already is left alone."""
    if q.province or not initials:
        return
    keys = "|".join(map(re.escape, initials))
    m = re.search(rf"\b(?:tinh|tinh uy|dang bo|dang bo tinh|toan tinh)\s+({keys})\b", q.folded)
    key = m.group(1) if m else None
    if key is None:  # "TN" in capitals anywhere, unless it is a known short form
        # ("Đoàn TN" is the Youth Union: after a body word the capitals are that body's short form)
        key = next((fold(m.group(1)) for m in re.finditer(r"(?<![\w/-])([A-ZĐ]{2,3})(?![\w/-])", q.text)
                    if fold(m.group(1)) in initials and fold(m.group(1)) not in short_forms
                    and not re.search(r"\b(doan|hoi|ban|so|cong ty)\s*$", fold(q.text[:m.start()]))), None)
    if key is None:
        return
    q.province = initials[key]
    q.content_words = [w for w in q.content_words if w != key]


def info_kind(index: SearchIndex, c: Clause) -> str | None:
    info = index.documents.get(c.doc_id)
    return info.kind if info else None
