"""The block families, in the order the app lists them (effviz.registry.Registry, the shape every registry has)."""
from __future__ import annotations

from effviz.registry import Registry

FAMILIES: Registry[type] = Registry("block family")


def register(cls):
    """Class decorator adding a spec to the registry; a second family of the same name is refused."""
    if not cls.family:
        raise ValueError(f"{cls.__name__} has no family name")
    return FAMILIES.register(cls.family, cls)
