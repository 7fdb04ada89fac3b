"""Showing text from users and the database as text, never as markup.

Streamlit renders Markdown in st.markdown, st.error, captions and labels. Anything that came
from a person (a wording, an update, a URL) goes through `plain()` first, which escapes every
Markdown and HTML character so it reads exactly as typed.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&=:\"'])")


def plain(text: object) -> str:
    """`text` escaped so Markdown shows it literally (line breaks kept)."""
    if text is None:
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
    # Streamlit turns ":material/name:" into an icon even with its colons escaped; an
    # invisible word joiner after "material" breaks the code and reads the same.
    escaped = escaped.replace("material/", "material\u2060/")
    return escaped.replace("\n", "  \n")
