"""The old name of `effviz.shuffle.connectivity`.

Kept because DESIGN.md's contract uses it (effviz was flat until its modules were grouped by subject). Importing it
warns (DeprecationWarning); every name is the new module's. New code imports the new name."""
from __future__ import annotations

import warnings

from effviz.shuffle import connectivity as _new
from effviz.shuffle.connectivity import *  # noqa: F403 - the new module's public names

warnings.warn(f"effviz.connectivity is an old name: import {_new.__name__}", DeprecationWarning, stacklevel=2)


def __getattr__(name: str):  # its private names too, as the old module had them; not its __path__ or __spec__
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(_new, name)


def __dir__() -> list[str]:
    return dir(_new)
