"""Name the sources behind an intervention the way a workshop reads them: title, author, year.

Interventions cite the seed reports by file name and paragraph (e.g. ``002_5677c7bae92002df.txt
¶9``); the evidence panel shows the report instead. Titles, authors and years are those of the
evidence catalogue's §0 (``shared/docs/evidence-catalogue.md``, "Sources and how far to trust
them"). A citation of a file not listed here is shown unchanged.
"""

from __future__ import annotations

import re

# file stem (its number) -> (title, author, year), from evidence-catalogue.md §0
SOURCES: dict[str, tuple[str, str, str]] = {
    "000": ("Joined up working in the Scottish Executive", "Milne, Scottish Executive", "2005"),
    "001": ("Partnership Working", "Scottish Executive Strategy Unit", "2004"),
    "002": ("Joining Up to Improve Public Services", "National Audit Office", "2001"),
    "003": ("Overcoming barriers to joint working", "Marrs, Civil Service World", "2015"),
    "004": ("Joined-Up Management", "Parston & Timmins, Public Management Foundation", "1998"),
}

# a seed file (000_<16 hex>.txt) or a short reference to one ("001 ¶79")
_CITED = re.compile(r"\b(00[0-4])(?:_[0-9a-f]{16}\.txt|(?=\s*¶))")


def source_name(number: str) -> str:
    """``"002"`` -> ``"'Joining Up to Improve Public Services' (National Audit Office, 2001)"``."""
    title, author, year = SOURCES[number]
    return f"'{title}' ({author}, {year})"


def readable(citation: str) -> str:
    """A citation with each seed file replaced by its report's title, author and year."""
    return _CITED.sub(lambda m: source_name(m.group(1)), citation)
