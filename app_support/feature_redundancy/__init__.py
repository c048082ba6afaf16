"""The Feature Redundancy page's view helpers: the subject (photo, network, layer, maps) and its inputs, the Ghost and
Atlas tabs, uploaded ONNX files and weights (download, provenance), the rows of maps shown."""
