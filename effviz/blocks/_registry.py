from __future__ import annotations

FAMILIES: dict[str, type] = {}


def register(cls):
    """Class decorator adding a spec to the registry; a second family of the same name is refused."""
    if not cls.family:
        raise ValueError(f"{cls.__name__} has no family name")
    if cls.family in FAMILIES:
        raise ValueError(f"block family {cls.family!r} is already registered")
    FAMILIES[cls.family] = cls
    return cls
