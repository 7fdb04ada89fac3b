"""Import a committee report: its recommendations proposed, reviewed by an officer, then saved.

Nothing is written until the officer has checked every row and pressed Save; the save is one
transaction (see data_access/report_import.py)."""

import streamlit as st

from ui.shell import page_filters
from views import import_batches_view
from views import import_report_view as view

filters = page_filters()
st.title("Import a committee report")
import_batches_view.recent_imports(view.PICKER)

saved = view.saved_result()
if saved is not None:
    view.show_saved(saved)
    st.stop()

parsed = view.current_proposal()
if parsed is None:
    view.read_step()
    st.stop()

edited = view.review_step(parsed)
view.save_step(parsed, edited)
st.divider()
view.start_again_button()
