"""Named questions the pages ask, one module per subject. Each takes an open connection
and a `Filters` value, aggregates in SQL, and returns only what a page shows."""
