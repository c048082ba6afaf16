"""The Network Explorer's view helpers: the network choice, its tables and text, the user's own network (timm, ONNX)."""
