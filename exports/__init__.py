"""Files for committee papers: chart images, spreadsheet tables, and their names.

No Streamlit here: the dashboard (ui.downloads) and the briefing pack both call these, and
each function builds one file's bytes only when asked.
"""
