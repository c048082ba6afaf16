"""Plotly figure builders: pure functions from effviz data to go.Figure (testable without a browser)."""
