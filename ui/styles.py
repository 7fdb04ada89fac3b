"""The few layout rules Streamlit's theme cannot express: tiles that never truncate, a
sidebar that folds away on a tablet, and a print view of a page on one sheet of A4.

Everything here is static product CSS (and one static script): no text from a user, a file
or the database is ever put into it. The theme itself (colours, font) stays in
.streamlit/config.toml.
"""

from __future__ import annotations

import streamlit as st

__all__ = [
    "NARROW_SCREEN_PX",
    "PRINT_CSS",
    "SCREEN_CSS",
    "TILE_GRID_KEY",
    "TILE_ROW_KEY",
    "apply_styles",
    "fold_sidebar_on_narrow_screens",
]

# Keys of the Overview's tile containers (Streamlit gives a keyed container the CSS class
# `st-key-<key>`): the outer one measures the width available, the inner one lays out tiles.
TILE_ROW_KEY = "overview_tiles"
TILE_GRID_KEY = "overview_tile_grid"

# At or below this window width the sidebar starts folded away, as on a phone (Streamlit
# itself only folds it below 768 px, so a tablet in portrait lost a third of its screen).
NARROW_SCREEN_PX = 1000

# Six tiles in one row when each gets at least ~170 px, else three, else two: never five and
# one, and never so narrow that "Recommendations" or a five-digit count is cut short.
SCREEN_CSS = f"""
.st-key-{TILE_ROW_KEY} {{ container-type: inline-size; }}
.st-key-{TILE_GRID_KEY} {{
  display: grid !important;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.75rem 1rem;
}}
.st-key-{TILE_GRID_KEY} > * {{ min-width: 0; width: auto !important; }}
@container (min-width: 500px) {{
  .st-key-{TILE_GRID_KEY} {{ grid-template-columns: repeat(3, minmax(0, 1fr)); }}
}}
@container (min-width: 1100px) {{
  .st-key-{TILE_GRID_KEY} {{ grid-template-columns: repeat(6, minmax(0, 1fr)); }}
}}
"""

# Printing (a director taking the Overview to a meeting): the page alone, on one A4 sheet.
# Streamlit scrolls inside its main area, which a browser would print as one screenful: the
# print rules let the page run its full length, hide the sidebar, toolbar, buttons and
# download menus, and scale the content so the whole Overview fits one portrait sheet.
PRINT_CSS = f"""
@media print {{
  @page {{ size: A4 portrait; margin: 10mm; }}
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {{
    height: auto !important; min-height: 0 !important; overflow: visible !important;
    position: static !important;
  }}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stBottom"],
  [data-testid="stMain"] [data-testid="stButton"],
  [data-testid="stMain"] [data-testid="stPopover"],
  [data-testid="stMain"] [data-testid="stDownloadButton"],
  .modebar-container {{
    display: none !important;
  }}
  [data-testid="stMainBlockContainer"] {{
    padding: 0 !important; max-width: none !important; zoom: 0.42;
  }}
  .st-key-{TILE_GRID_KEY} {{ grid-template-columns: repeat(6, minmax(0, 1fr)) !important; }}
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] {{
    display: flex !important; flex-direction: row !important; flex-wrap: nowrap !important;
  }}
  [data-testid="stMain"] [data-testid="stColumn"] {{ flex: 1 1 0 !important; min-width: 0; }}
  .stApp {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""

# Folds the sidebar once per browser tab when the window is narrow; the officer can open it
# again with its button, and it stays as they leave it for the rest of the visit.
_FOLD_SCRIPT = f"""
<script>
(() => {{
  const done = "tracker-sidebar-folded";
  if (window.innerWidth > {NARROW_SCREEN_PX} || sessionStorage.getItem(done)) return;
  sessionStorage.setItem(done, "1");
  const fold = (tries) => {{
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    const folded = sidebar && sidebar.getAttribute("data-collapsed") === "true";
    if (sidebar && !folded && button) {{
      button.click();
    }} else if (tries > 0 && !folded) {{
      setTimeout(() => fold(tries - 1), 100);
    }}
  }};
  fold(50);
}})();
</script>
"""


def apply_styles() -> None:
    """Add the product's screen and print rules to the page (style only: takes no space)."""
    st.html(f"<style>{SCREEN_CSS}{PRINT_CSS}</style>")


def fold_sidebar_on_narrow_screens() -> None:
    """Start with the sidebar folded on a tablet or phone (see NARROW_SCREEN_PX). Drawn in
    the sidebar, so it takes no room in the page."""
    st.sidebar.html(_FOLD_SCRIPT, unsafe_allow_javascript=True)
