"""Text from a bundle or an input folder, made safe for where it goes.

Any string that reaches a screen, a chart, a Word document or a terminal passes `clean` once,
where it enters (the manifest reader, the pack readers): a lone surrogate (JSON can carry one,
and printing it raised UnicodeEncodeError) becomes U+FFFD, and control characters that XML
cannot hold (Word refused the whole document) are dropped; tabs and line breaks stay. Length
limits per field are in TEXT_LIMITS (docs/input-format.md): pack refuses longer text, and the
sinks with their own hard limits cut with `shorten` (Word core properties: 255 characters).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# XML 1.0 allows tab, line feed and carriage return among the C0 controls; C1 and the
# non-characters U+FFFE/U+FFFF are refused by Word too
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# characters a field may hold (pack refuses more; docs/input-format.md lists them)
TEXT_LIMITS = {
    "title": 200, "area_name": 100, "geography_vintage": 100, "producer": 200,
    "attribution": 1000, "licence": 200, "description": 2000, "contact": 300,
    "indicator title": 200, "theme": 100, "unit": 30, "definition": 2000, "source": 500,
    "area name": 100, "district": 100, "cluster": 100, "cluster description": 1000,
    "school name": 200, "phase": 100, "school type": 100, "period": 40,
}


def clean(text: str) -> str:
    """`text` with lone surrogates replaced (U+FFFD) and XML-invalid control characters
    dropped."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text)


def needs_cleaning(text: str) -> bool:
    """Whether `clean` would change `text` (one scan: cheap for a whole file)."""
    return bool(_SURROGATE.search(text) or _CONTROL.search(text))


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[:max(limit - 1, 0)].rstrip() + ELLIPSIS
