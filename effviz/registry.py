"""The one registry shape of effviz: block families and networks (each network with its weights, if any) are
each a `Registry`, filled by a `register` call in the file that defines the entry (as torchvision's
`register_model` and timm's single model registry are).

    FAMILIES = Registry("block family")
    FAMILIES.register("ghost_module", GhostModuleSpec)    # a second "ghost_module" is refused (ValueError)
    FAMILIES.lookup("ghost")                           # ValueError: unknown block family 'ghost'; allowed: ...
    list(FAMILIES), "ghost_module" in FAMILIES, FAMILIES["ghost_module"]   # a read-only mapping, in order

A registry reads like a dict (in registration order, which is the order the app lists entries) but is not
written like one: entries come only through `register`. `swapped` puts a stand-in under a name for the length of
a `with` block, for tests. Imports nothing of effviz and no torch."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")

_MISSING = object()


class Registry(Mapping[str, T], Generic[T]):
    """Named entries in registration order; a name is registered once."""

    def __init__(self, what: str):
        self.what = what                 # "block family", "network": the word errors use
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        """Adds `entry` under `name` and returns it; a second entry of the same name is refused."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.what} needs a name, got {name!r}")
        if name in self._entries:
            raise ValueError(f"{self.what} {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def lookup(self, name: str) -> T:
        """The entry of `name`, or ValueError naming the registered ones."""
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise ValueError(f"unknown {self.what} {name!r}; allowed: {', '.join(self._entries)}") from None

    def unregister(self, name: str) -> T | None:
        """Removes `name` (a test's own entry); None if it was not there."""
        return self._entries.pop(name, None)

    @contextmanager
    def swapped(self, name: str, entry: T):
        """For tests: `entry` is registered under `name` inside the block (replacing the entry there, if any), and
        the registry is as it was afterwards."""
        before = self._entries.get(name, _MISSING)
        self._entries[name] = entry
        try:
            yield entry
        finally:
            if before is _MISSING:
                self._entries.pop(name, None)
            else:
                self._entries[name] = before

    def __getitem__(self, name: str) -> T:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.what!r}: {', '.join(self._entries)})"
