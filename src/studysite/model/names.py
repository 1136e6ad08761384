"""How notes and the catalog write names: the one vendor-prefix rule."""

from __future__ import annotations

import re

# "Amazon EFS", "AWS Lambda": the prefix is dropped when matching titles and in the nav.
VENDOR_PREFIX = re.compile(r"^(?:Amazon|AWS)\s+(?=\S)")


def strip_vendor(text: str) -> str:
    """``text`` without a leading ``Amazon``/``AWS`` (a prefix alone is kept)."""
    return VENDOR_PREFIX.sub("", text)
