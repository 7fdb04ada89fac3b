"""Moved to `importing.words`, the one vocabulary both importers read; kept for one release
so code written against the old name still imports."""

from importing.words import *  # noqa: F403
from importing.words import __all__  # noqa: F401
