"""Person names in free text, by pattern: a capitalised given name from the shipped list
(``data/given_names.txt``) followed by a capitalised surname.  Used by :meth:`scalegap.privacy.Redactor.redact`,
the one redaction of the book's free text.

The list is scalegap's own (a few thousand common given names across European, Turkish, Arabic, Persian,
South Asian, Chinese, Japanese, Korean, Vietnamese and African usage); it leaves out names that are also
common capitalised words, months, places or products (Will, May, Bill, Max, Amber, Paris, Claude ...).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
#: lower-case words inside a surname: "van Dijk", "de la Cruz", "bin Salman"
PARTICLES = frozenset(
    "van von de der den del della di da das dos do du la le ter ten zu af av al el bin ibn bint y e".split()
)
#: capitalised words that do not follow a given name as a surname
NOT_SURNAMES = frozenset(
    "i a an and or but if in on at to for of by is was are has had who what when where why how "
    "this that these those my our your his her their we you he she they it thanks thank "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)
_SENTENCE_END = ".!?:;/\n•–—-*>"
_GAP = re.compile(r"[ \t\u00a0]+")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The shipped list of common given names (``data/given_names.txt``), case-folded, with and without accents."""
    text = resources.files("scalegap").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return frozenset(variant for name in names for variant in (name.casefold(), fold(name)))


def fold(text: str) -> str:
    """Case-folded, accents removed: 'Zoë' -> 'zoe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def person_by_pattern(text: str, words: list[re.Match[str]], index: int) -> int | None:
    """The end of a name shaped 'Given [Given | X.] [particles] Surname [Surname]' starting at ``words[index]``,
    the given name in the shipped list: 'Siobhán O'Neill', 'Jean-Luc Picard', 'Daan de Jong', 'Ana García López'."""
    if not is_given(words[index].group(0)):
        return None
    second = (
        index + 1 < len(words)
        and _joined(text, words, index + 1)
        and (is_given(words[index + 1].group(0)) or _initial(text, words[index + 1]))
    )
    for start in (index + 2, index + 1) if second else (index + 1,):
        end = _surname_end(text, words, start)
        if end is not None:
            return end
    return None


def _surname_end(text: str, words: list[re.Match[str]], position: int) -> int | None:
    """After a given name: optional particles, a capitalised surname, and up to two more capitalised ones."""
    end = None
    for _ in range(3):
        while position < len(words) and words[position].group(0) in PARTICLES and _joined(text, words, position):
            position += 1
        if (
            position >= len(words)
            or not _joined(text, words, position)
            or not _surname(words[position].group(0), first=end is None)
        ):
            break
        end = position = position + 1
    return end


def _surname(token: str, first: bool) -> bool:
    """Capitalised, not a function word, weekday or month; after the first surname, not all capitals (CFO)."""
    if not token[0].isupper() or len(token) < 2 or token.casefold() in NOT_SURNAMES:
        return False
    return first or not token.isupper()


def is_given(token: str) -> bool:
    """Capitalised (not all capitals) and in the shipped list, or its first hyphenated part is: 'Jean-Luc'."""
    if not token[0].isupper() or (token.isupper() and len(token) > 1):
        return False
    names = given_names()
    return fold(token) in names or fold(token.split("-")[0]) in names


def _joined(text: str, words: list[re.Match[str]], position: int) -> bool:
    """``words[position]`` follows the word before it after spaces only (an initial's full stop allowed)."""
    gap = text[words[position - 1].end() : words[position].start()]
    return bool(
        _GAP.fullmatch(gap)
        or (gap.startswith(".") and len(words[position - 1].group(0)) == 1 and _GAP.fullmatch(gap[1:]))
    )


def _initial(text: str, word: re.Match[str]) -> bool:
    return len(word.group(0)) == 1 and word.group(0).isupper() and text[word.end() : word.end() + 1] == "."


def sentence_start(text: str, position: int) -> bool:
    """Nothing but spaces, quotes and brackets since the start of the text or the end of a sentence."""
    before = text[:position].rstrip(" \t\u00a0\"'“‘(«")
    return not before or before[-1] in _SENTENCE_END or "\n" in text[len(before) : position]
