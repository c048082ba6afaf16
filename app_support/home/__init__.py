"""The home page's view helpers: the story of the sections."""
