"""Automatic flags on free-text answers, for the officer's moderation queue.

A flag is a reason in plain words ("Looks like a phone number"), never a
verdict: the officer decides. So a flag may be wrong both ways; the rules
lean towards catching personal data a young person should not have shared,
while matching whole words so that "Scunthorpe" or "class" are left alone.
"""

from __future__ import annotations

import re

EMAIL = "Looks like an email address"
PHONE = "Looks like a phone number"
POSTCODE = "Looks like a postcode"
FULL_NAME = "Looks like someone's full name"
ABUSE = "May contain swearing or abuse"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# UK numbers: 0 or +44 (with an optional "(0)"), then 9 or 10 digits that may be
# broken by spaces, dashes or brackets: 07700 900123, +44 7700 900123,
# 020 7946 0958, (01632) 960001, 0303 123 4567.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?44[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?P<rest>[1237](?:[\s)-]{0,2}\d){8,9})(?!\d)")

# The official shape of a UK postcode (outward code, optional space, inward code).
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# "my name is Sam Smith", "I'm called Sam Smith": a first and a last name, each
# with a capital letter (so "my name is not important" is left alone).
_NAME = re.compile(
    r"\b(?:my\s+(?:full\s+)?name\s+is|my\s+name['’]s|i['’]?m\s+called|i\s+am\s+called)\s+"
    r"(?-i:[A-Z][\w'’-]+)[\s,]+(?-i:[A-Z][\w'’-]+)",
    re.IGNORECASE,
)

# A short list of common English swear words and slurs. Each matches as a whole
# word, with its usual endings, letters repeated ("fuuuck") and the simplest
# disguises (f*ck, sh1t, $hit, @rsehole). Words with everyday meanings in the
# council's area (dyke, as in Devil's Dyke; fag; prick; chink) are left out.
_ABUSIVE_WORDS = [
    "fuck",
    "motherfucker",
    "shit",
    "shite",
    "bullshit",
    "cunt",
    "bitch",
    "bastard",
    "bollocks",
    "wanker",
    "wank",
    "twat",
    "dickhead",
    "arsehole",
    "asshole",
    "slut",
    "slag",
    "whore",
    "retard",
    "spastic",
    "spaz",
    "nigger",
    "nigga",
    "faggot",
    "paki",
    "tranny",
    "kike",
    "wog",
]
_ENDINGS = r"(?:s|es|ed|er|ers|ing|in|y|ty)?"
_DISGUISES = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "0": "o", "$": "s", "5": "s"})
_VOWELS = "aeiou"


def _word_pattern(word: str) -> str:
    # Each letter may be repeated; a vowel may be hidden behind a star.
    parts = [(f"[{letter}*]+" if letter in _VOWELS else f"{letter}+") for letter in word]
    return "".join(parts)


_ABUSE = re.compile(
    r"(?<![a-z])(?:" + "|".join(_word_pattern(word) for word in _ABUSIVE_WORDS) + r")" + _ENDINGS + r"(?![a-z])"
)


def _has_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group("rest"))
        if len(digits) in (9, 10):
            return True
    return False


def _undisguised(text: str) -> str:
    lowered = text.lower()
    lowered = re.sub(r"!(?=[a-z])", "i", lowered)  # sh!t, but not the "!" that ends a sentence
    return lowered.translate(_DISGUISES)


def flags_for(text: str | None) -> list[str]:
    """The reasons an officer should look at this answer before it is quoted:
    an email address, a UK phone number, a UK postcode, a full name after
    "my name is", swearing or slurs. Empty when none is found."""
    if not text:
        return []
    reasons = []
    if _EMAIL.search(text):
        reasons.append(EMAIL)
    if _has_phone(text):
        reasons.append(PHONE)
    if _POSTCODE.search(text):
        reasons.append(POSTCODE)
    if _NAME.search(text):
        reasons.append(FULL_NAME)
    if _ABUSE.search(_undisguised(text)):
        reasons.append(ABUSE)
    return reasons
