"""Strict JSON text: never ``NaN``/``Infinity`` (not JSON), never a lone surrogate.

Numbers are checked where they are read (:mod:`checker.numcheck`), so a non-finite
value should never get this far; if one does (a computed figure), it is written as
``null`` rather than as a bare ``NaN`` that strict parsers (and SARIF viewers) reject.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .textsafe import escape_char

_SURROGATE = re.compile(r"[\ud800-\udfff]")  # written as the visible text \xNN or \udNNN


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps(value, **options)``, held to strict JSON."""
    options["allow_nan"] = False
    try:
        text = json.dumps(value, **options)
    except ValueError:  # a NaN or an infinity somewhere in the value
        text = json.dumps(finite(value), **options)
    return _SURROGATE.sub(lambda m: json.dumps(escape_char(m.group()))[1:-1], text)


def finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None (containers copied)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value
