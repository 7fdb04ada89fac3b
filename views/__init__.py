"""Per-page views: the Streamlit drawing code each page calls, one module per page or panel.

Shared chrome (shell, filters, cache, text, blocks, downloads, navigation, styles, identity,
source picker) stays in ui/; a view may import ui/, ui/ never imports a view."""
