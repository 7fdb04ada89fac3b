"""Pure figure builders: DataFrame -> plotly Figure, styled once by charts.style."""
