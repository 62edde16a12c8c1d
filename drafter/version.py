"""drafter's version, read from the installed package metadata (one statement: pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("drafter")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+inconnu"
