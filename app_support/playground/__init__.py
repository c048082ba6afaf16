"""The Conv Playground's view helpers: the cost table of a block's parts and the re-parameterisation section."""
