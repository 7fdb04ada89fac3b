"""The few layout rules Streamlit's theme cannot express: tiles that never truncate, a
sidebar that folds away on a tablet, a print view of a page on one sheet of A4, and typed
dates that apply on Enter without swallowing the click on a page link.

Everything here is static product CSS (and one static script): no text from a user, a file
or the database is ever put into it. The theme itself (colours, font) stays in
.streamlit/config.toml.
"""

from __future__ import annotations

import streamlit as st

__all__ = [
    "CHART_FIRST_KEY",
    "CHART_GRID_KEY",
    "CHART_SECOND_KEY",
    "NARROW_SCREEN_PX",
    "PRINT_CSS",
    "SCREEN_CSS",
    "TILE_GRID_KEY",
    "TILE_ROW_KEY",
    "apply_styles",
    "page_behaviour",
]

# Keys of the Overview's tile containers (Streamlit gives a keyed container the CSS class
# `st-key-<key>`): the outer one measures the width available, the inner one lays out tiles.
TILE_ROW_KEY = "overview_tiles"
TILE_GRID_KEY = "overview_tile_grid"
# Keys of the Overview's chart sections, laid out two across on paper (PRINT_CSS).
CHART_GRID_KEY = "overview_chart_grid"
CHART_FIRST_KEY = "overview_chart_first"
CHART_SECOND_KEY = "overview_chart_second"

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
/* On a phone a page title in Streamlit's size broke "Recommendations" mid-word. */
@media (max-width: 640px) {{
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
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
  /* The Overview: its two wide charts side by side, the pair of small ones under them, at
     a scale where no word is under 5 pt, chart labels about 6 pt (the charts are redrawn to
     their printed width: ui/js/chart.js). */
  [data-testid="stMainBlockContainer"]:has(.st-key-{CHART_GRID_KEY}) {{ zoom: 0.62; }}
  .st-key-{CHART_GRID_KEY} {{
    display: grid !important; grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: 0.5rem 1.5rem; align-items: start;
  }}
  .st-key-{CHART_GRID_KEY} > * {{ grid-column: 1 / -1; min-width: 0; width: auto !important; }}
  /* (Streamlit wraps each keyed container in a layout wrapper: the grid's items are those.) */
  .st-key-{CHART_GRID_KEY} > :has(.st-key-{CHART_FIRST_KEY}) {{ grid-column: 1; grid-row: 1; }}
  .st-key-{CHART_GRID_KEY} > :has(.st-key-{CHART_SECOND_KEY}) {{ grid-column: 2; grid-row: 1; }}
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] {{
    display: flex !important; flex-direction: row !important; flex-wrap: nowrap !important;
  }}
  [data-testid="stMain"] [data-testid="stColumn"] {{ flex: 1 1 0 !important; min-width: 0; }}
  .stApp {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""

# Folds the sidebar once per browser tab when the window is narrow; the officer can open it
# again with its button, and it stays as they leave it for the rest of the visit.
_FOLD_SIDEBAR_JS = f"""
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
"""

# A typed date (the sidebar's "As at", say) takes effect when its field loses focus. Two
# journeys went wrong: Enter did nothing, and clicking a page link straight after typing
# applied the date but lost the click (the field's rerun redraws the link under the mouse).
# So Enter closes the field's calendar and leaves the field (which applies the date), and a
# page link pressed while a date field has focus first lets the date apply, then follows the
# link once the run is over.
_DATE_FIELDS_JS = """
(() => {
  if (window.trackerDateFields) return;
  window.trackerDateFields = true;
  const dateField = (element) => element?.closest?.('[data-testid="stDateInput"]');
  const pageLink = (element) =>
    element?.closest?.('[data-testid="stSidebarNav"] a, [data-testid="stPageLink"] a');
  const idle = '[data-testid="stApp"][data-test-script-state="notRunning"]';
  let swallowClick = false;
  // The field's calendar opens on focus, and the field keeps a typed date while it is open:
  // close it (Escape) before leaving the field.
  const leave = (field) => {
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    setTimeout(() => field.blur(), 30);
  };
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && dateField(event.target)) {
      event.preventDefault();
      leave(event.target);
    }
  }, true);
  document.addEventListener("pointerdown", (event) => {
    const link = pageLink(event.target);
    const focused = document.activeElement;
    if (!link || !dateField(focused) || event.button !== 0) return;
    event.preventDefault();
    swallowClick = true;
    const href = link.getAttribute("href");
    leave(focused);
    const follow = (tries) => {
      if (!document.querySelector(idle) && tries > 0) {
        setTimeout(() => follow(tries - 1), 50);
        return;
      }
      swallowClick = false;
      const again = [...document.querySelectorAll('[data-testid="stSidebarNav"] a, '
        + '[data-testid="stPageLink"] a')].find((a) => a.getAttribute("href") === href);
      again?.click();
    };
    setTimeout(() => follow(200), 200);
  }, true);
  document.addEventListener("click", (event) => {
    if (swallowClick && pageLink(event.target)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
"""


def apply_styles() -> None:
    """Add the product's screen and print rules to the page (style only: takes no space)."""
    st.html(f"<style>{SCREEN_CSS}{PRINT_CSS}</style>")


def page_behaviour() -> None:
    """Fold the sidebar on a tablet or phone (see NARROW_SCREEN_PX) and make typed dates
    apply on Enter and before a page link is followed. Static product script, drawn in the
    sidebar so it takes no room in the page."""
    st.sidebar.html(
        f"<script>{_FOLD_SIDEBAR_JS}{_DATE_FIELDS_JS}</script>", unsafe_allow_javascript=True
    )
