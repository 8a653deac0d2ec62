"""Danish words for the search: tokens, stems, the parsed query, highlighting.

The stems are Snowball's Danish stemmer, the algorithm behind PostgreSQL's ``danish``
text-search configuration, so both engines reduce a word alike ("læsebåndet" and "læsebånd"
are one word, "læse" and "læser" another). Snowball strips inflections, not derivations:
"læsning" stays "læsning". A query term ending in -ning/-ing therefore also asks for the stem
of the verb it is made from (læsning → læs, handling → handl), so that searching "læsning"
finds "læse". The last word of a query is a prefix, because people search as they type.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from markupsafe import Markup

WORD = re.compile(r"\w+", re.UNICODE)
# Snowball's Danish stop words, the list PostgreSQL's danish configuration uses (BSD licence).
STOP_WORDS = frozenset(Path(__file__).with_name("danish.stop").read_text(encoding="utf-8").split())
MAX_TERMS = 8
MIN_DERIVED_STEM = 3

_stemmer = snowballstemmer.stemmer("danish")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased, without stop words."""
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text or "")) if w not in STOP_WORDS]


def stems_of(text: str) -> str:
    """``text`` as the space-separated stems the SQLite index holds."""
    return " ".join(stem(w) for w in words(text))


def derived_stem(word_stem: str) -> str | None:
    """The verb stem a -ning/-ing noun is derived from: læsning → læs; else None."""
    for suffix in ("ning", "ing"):
        if word_stem.endswith(suffix) and len(word_stem) - len(suffix) >= MIN_DERIVED_STEM:
            return word_stem[: -len(suffix)]
    return None


@dataclass(frozen=True)
class Term:
    word: str  # as typed, lowercased
    stem: str
    derived: str | None  # another stem that counts as a match (læsning → læs)
    prefix: bool  # the last word: also matches longer words (læseb → læsebånd)

    def matches(self, word_stem: str) -> bool:
        if word_stem == self.stem or (self.derived and word_stem == self.derived):
            return True
        return self.prefix and word_stem.startswith(self.stem)


@dataclass(frozen=True)
class Query:
    text: str  # what the user typed, trimmed
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def phrase_stems(self) -> list[str]:
        """The stems in order, for "the exact phrase ranks first"."""
        return [t.stem for t in self.terms]

    def matches(self, word: str) -> bool:
        s = stem(word)
        return any(t.matches(s) for t in self.terms)


def parse(text: str | None) -> Query:
    """The search words of ``text``: at most MAX_TERMS, stop words dropped, the last a prefix."""
    text = " ".join((text or "").split())[:200]
    found = words(text)[:MAX_TERMS]
    terms = []
    for i, word in enumerate(found):
        s = stem(word)
        terms.append(Term(word=word, stem=s, derived=derived_stem(s), prefix=i == len(found) - 1))
    return Query(text=text, terms=tuple(terms))


def highlight(text: str, query: Query) -> Markup:
    """``text`` escaped, with every word the query matches in <mark>."""
    if not text:
        return Markup("")
    out = []
    last = 0
    for m in WORD.finditer(text):
        if query.matches(m.group(0)):
            # html.escape quotes as markupsafe does; one Markup at the end is much cheaper.
            out.append(html.escape(text[last:m.start()]))
            out.append(f"<mark>{html.escape(m.group(0))}</mark>")
            last = m.end()
    out.append(html.escape(text[last:]))
    return Markup("".join(out))


def snippet(text: str, query: Query, width: int = 220) -> Markup:
    """About ``width`` characters of ``text`` around its first match, highlighted."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return highlight(text, query)
    first = next((m.start() for m in WORD.finditer(text) if query.matches(m.group(0))), 0)
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    piece = highlight(text[start:end], query)
    return Markup("%s%s%s") % ("… " if start else "", piece, " …" if end < len(text) else "")
