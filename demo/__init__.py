"""The demo: a made-up council's tracker, generated deterministically (the demo and the bench data).

- `demo.generator`: `build_demo_database` (a new database: the seed report plus a generated
  council) and `generate_council` (the council alone, into an existing schema).
- `demo.council` and `demo.history`: the generator's parts (sources and recommendations; each
  recommendation's actions and progress updates).
- `demo.words` and `demo/data/*.toml`: the council's words (names, job titles, committees,
  topics, what papers and updates say), kept as data.
- `demo.bootstrap`: a first start on the embedded default builds the demo database.
- `python -m demo` (`cli/demo.py`): the command line.

The demo sits above `data_access/` (it writes through the store's models and
`data_access.writes.current_state_columns`); the store never imports it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CHUNK_SIZE", "DemoSummary", "build_demo_database", "generate_council"]


def __getattr__(name: str) -> Any:
    """The generator's names, imported when first asked for: the dashboard imports
    `demo.bootstrap` at every start, and only a first start builds the demo."""
    if name in __all__:
        from demo import generator

        return getattr(generator, name)
    raise AttributeError(f"module 'demo' has no attribute {name!r}")
