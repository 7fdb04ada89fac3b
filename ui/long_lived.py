"""The server's long-lived objects kept out of the garbage collector's way.

Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`), and
the collection holds Python's lock throughout: while it runs, the server sends no message
and serves no file. With pandas, plotly and SQLAlchemy loaded that heap is some 180,000
objects, and each collection took 0.1–0.3 s on a quiet machine (about 1 s on a busy one),
right after the Overview's tiles were sent and again while the browser fetched the charts'
code. Nearly all of those objects are modules, classes and functions that live as long as
the process, so once a run has loaded new modules they are frozen (`gc.freeze()`): later
collections look only at what runs create, and are quick. Frozen objects are still freed
when nothing refers to them; only a cycle among them would be kept, and the modules' objects
never become garbage.
"""

from __future__ import annotations

import gc
import sys
import threading

__all__ = ["exempt_long_lived_objects"]

_lock = threading.Lock()
_modules_when_frozen = 0


def exempt_long_lived_objects() -> None:
    """Call at the end of a run: if the run loaded modules, collect garbage once and freeze
    what is left, so later collections skip it. Cheap when nothing new was loaded."""
    global _modules_when_frozen  # noqa: PLW0603 - one record for the process, by design
    if len(sys.modules) == _modules_when_frozen:
        return
    with _lock:
        if len(sys.modules) == _modules_when_frozen:
            return
        gc.collect()
        gc.freeze()
        _modules_when_frozen = len(sys.modules)
