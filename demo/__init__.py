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

from demo.generator import CHUNK_SIZE, DemoSummary, build_demo_database, generate_council

__all__ = ["CHUNK_SIZE", "DemoSummary", "build_demo_database", "generate_council"]
