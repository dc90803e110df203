"""Is a passage English? The rules only read English: other languages are skipped and counted.

Most news passages settle it at once by their English function words ("the", "of", "was",
...), a few `str.count` calls; a plain-ASCII passage without them and without the function
words of other Latin-script languages is an English headline. Only what is left (French or
Spanish text, names with accents) goes to py3langid, the maintained fork of langid.py: a small
naive-Bayes model over byte n-grams shipped with the package (no download; ~0.5 s to load the
first time it is needed, then ~50 us a passage). The check errs towards English: a passage is
skipped only when the model is confident it is another language, because a skipped English
passage would be lost from the output.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SAMPLE = 1000  # characters looked at: enough to tell, bounded for a 5 MB passage
# English words that other languages written in Latin script rarely use as words
_MARKERS = (" the ", " of ", " and ", " was ", " were ", " with ", " from ", " that ", " has ", " have ",
            " said ", " after ", " their ", " which ", " been ", " to ", " by ", " on ", " at ", " in ")
# the model's probability for another language before a passage is skipped: English news the
# function words do not settle (headlines, "X shelled Y, Z.") never scored above 0.65 for another
# language on the reference data (~8,000 notes and sentences)
CONFIDENCE = 0.9
# function words of other Latin-script languages that are not English words: an ASCII passage
# with none of them and no English function words is an English headline
_FOREIGN = frozenset("""de la le les des du et est une dans pour sur au aux el los las del y que por con para una
fue der das und dem von mit ist nicht ein eine zu auf il di della che sono em os nao com uma yang ini itu
dengan untuk dari het een och att som""".split())
_WORD = re.compile(r"[a-z]+")
# Nigerian Pidgin is English-lexified: the model's usual guess for terse English headlines
ENGLISH_LIKE = frozenset({"en", "pcm"})
MIN_LETTERS = 12  # fewer letters than this: too little to judge, so the passage is coded


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language, by py3langid."""
    lang, prob = _identifier().classify(text[:SAMPLE])
    return str(lang), float(prob)


def looks_english(text: str) -> bool:
    """False only for text that is confidently not English: mostly written in another script, or
    a language py3langid names with probability >= CONFIDENCE."""
    sample = text[:SAMPLE]
    low = f" {sample.lower()} "
    hits = 0
    for w in _MARKERS:
        hits += low.count(w)
        if hits >= 2:
            return True
    letters = [c for c in sample if c.isalpha()]
    # Latin script ends at U+024F: a passage mostly in another script (Cyrillic, Arabic, CJK, ...) is
    # not English however short it is
    other = sum(c > "\u024f" for c in letters)
    if other >= 4 and 2 * other > len(letters):
        return False
    if len(letters) < MIN_LETTERS:
        return True
    if sample.isascii() and _FOREIGN.isdisjoint(_WORD.findall(low)):
        return True  # a plain-ASCII headline ("Army shells rebel positions"): no model needed
    lang, prob = language(sample)
    return lang in ENGLISH_LIKE or prob < CONFIDENCE
