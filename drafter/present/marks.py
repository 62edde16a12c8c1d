"""``--revue`` markers: each paragraph that carries a choice gets a short token ``⟦nonce:n⟧`` in the
template context; :mod:`drafter.documents.comments` replaces each token by a Word comment carrying
its note after rendering."""

from __future__ import annotations

MARKER_OPEN, MARKER_CLOSE = "\u27e6", "\u27e7"   # ⟦ … ⟧, removed after rendering


class Revue:
    """Hands out review markers and keeps the comment text of each one."""

    def __init__(self, enabled: bool, nonce: str):
        self.enabled = enabled
        self.nonce = nonce
        self.notes: dict[str, str] = {}

    def mark(self, text: str) -> str:
        if not self.enabled or not text:
            return ""
        token = f"{MARKER_OPEN}{self.nonce}:{len(self.notes) + 1}{MARKER_CLOSE}"
        self.notes[token] = text
        return token
