"""Free text typed or pasted by a clerk, made safe to record.

Text pasted from Word, WPS, Excel or WeChat carries characters nobody sees:
zero-width spaces, no-break spaces, line breaks with a full-width paragraph
indent, tabs, sometimes control or direction-override characters. Every path
that records free text (command-line options, CSV sheets) passes it through
:func:`clean_text`, so what lufa writes is exactly what `lufa check` accepts.
"""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\t"), " ")
_BREAKS = re.compile(r"[ \u3000]*[\r\n\u2028\u2029\u0085]+[ \u3000]*")


def clean_text(text: str) -> str:
    """`text` without invisible characters; raises ValueError (Chinese) for control characters.

    Zero-width characters are dropped; no-break spaces and tabs become spaces;
    a pasted line break and the indentation around it are removed (Chinese
    needs no space there); leading and trailing spaces go.
    """
    t = _BREAKS.sub("", text.translate(_ZERO_WIDTH).translate(_SPACES)).strip(" \u3000")
    for ch in t:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            raise ValueError(f"含有控制字符 U+{ord(ch):04X}，请删除后重试")
    return t
