"""Reading what councils already have: spreadsheet trackers and committee reports.

Pure code only (bytes in, typed rows and problems out): no database, no streamlit. What a
tracker's rows would do to the store is planned in `importing.tracker_plan` from what
`data_access.import_tracker` reads; `data_access.report_import` does the same for reports.
"""
