"""Reading what councils already have: spreadsheet trackers and committee reports.

Pure parsing only (bytes in, typed rows and problems out): no database, no streamlit. What the
parsed rows mean for the store is decided in `data_access.import_tracker` and
`data_access.report_import`.
"""
