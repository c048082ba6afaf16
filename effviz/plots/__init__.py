"""Plotly figure builders: pure functions from effviz data to go.Figure (testable without a browser), with the
labels passed in by the app. One module per subject, named `<subject>_charts` so that it never shadows the
subject's own module (playground, network, shuffle, redundancy, atlas, latency), anatomy.py for the Graphviz
block and network diagrams, style.py for the shared colours. Imports no torch."""
