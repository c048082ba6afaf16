"""Feature redundancy: how alike a trained CNN's feature maps are, and how well cheap operations rebuild them.

    images.py          a photo, read safely (a path, bytes or an upload), and the sample photos
    weights.py         ResNet-50 / EfficientNet-Lite0 and a user's weights file: which weights, and why
    features.py        the feature maps of a photo at any layer
    similarity.py      channel-by-channel similarity matrices and the most similar pairs
    reconstruction.py  Ghost-style reconstruction of maps from a few intrinsic ones (effviz.ghost, the old name)
    atlas.py           all of that for every convolution of a network at once (effviz.redundancy_atlas)
    shown_maps.py      which maps a viewer shows side by side (pairs, neighbours, best and worst rebuilds)

Importing this package imports nothing; each module imports torch (or PIL) where it needs it."""
