"""Import a tracker: bring in a council's Excel or CSV recommendations tracker.

The file is read and every row checked first (the preview is the dry run); Import writes all
of it in one transaction, or nothing (see data_access/import_tracker.py). Re-importing the same
or a newer file is safe: rows are matched on source and ref.
"""

import streamlit as st

from ui.shell import page_filters
from views import import_batches_view
from views import import_tracker_view as view

filters = page_filters()
st.title("Import a tracker")
st.markdown(
    "Bring in a recommendations tracker kept in Excel (.xlsx) or CSV. The whole file is "
    "checked first, and nothing is written until you press **Import**. Rows are matched on "
    "their ref: importing the same file again changes nothing, and a newer one records what "
    "changed as progress updates."
)
view.downloads()
view.show_result()
import_batches_view.recent_imports(view.PICKER)

uploaded = view.upload_step()
if uploaded is None:
    st.stop()

parsed = view.read_step(uploaded)
if parsed is None:
    st.stop()

choice, options = view.source_step(parsed)
options = view.words_step(parsed, options)
plan = view.preview_step(parsed, options)
view.import_step(parsed, choice, options, plan)
