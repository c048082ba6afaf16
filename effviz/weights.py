"""The old name of `effviz.redundancy.weights`.

Kept because DESIGN.md's contract uses it (effviz was flat until its modules were grouped by subject). Importing it
warns (DeprecationWarning); every name is the new module's. New code imports the new name."""
from __future__ import annotations

import warnings

from effviz.redundancy import weights as _new
from effviz.redundancy.weights import *  # noqa: F403 - the new module's public names

if __name__ != "__main__":
    warnings.warn(f"effviz.weights is an old name: import {_new.__name__}", DeprecationWarning, stacklevel=2)


def __getattr__(name: str):  # its private names too, as the old module had them; not its __path__ or __spec__
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(_new, name)


def __dir__() -> list[str]:
    return dir(_new)


if __name__ == "__main__":  # `python -m effviz.weights fetch resnet50`, the command the app shows, stays quiet
    raise SystemExit(_new.main())
