"""Sources in a buyer's words: the rule tables mark each source with a reliability tag
(``[V]`` text verified, ``[S]`` secondary or practice source, ``[U]`` unverified) and sometimes
cite the tool's own specification; documents say the same thing in words a buyer reads.

:func:`buyer_words` is applied once to every string of the template context (with French
typography), so no piece shows a tag; the note de calcul carries :data:`LEGEND`, once.
"""

from __future__ import annotations

import re

LEGEND = ("Sources : « texte officiel » renvoie au code ou au texte cité ; « pratique » à une pratique "
          "d'acheteurs ou de facilitateurs publiée ; « valeur à confirmer avec TME » à une valeur sans "
          "source vérifiée, proposée par défaut, que le facilitateur doit valider avant la publication.")

_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Spécification drafter §\s*\d+\s*(?:\(pratique\))?"), "Pratique des facilitateurs"),
    (re.compile(r"Souvenir non vérifié"), "Motif non vérifié dans le texte des marchés"),
    (re.compile(r"\bdrafter ne le rédige pas\b"), "les pièces ne le rédigent pas"),
    (re.compile(r"\s*\[V\]"), " (texte officiel)"),
    (re.compile(r"\s*\[S\]"), " (pratique)"),
    (re.compile(r"proposition à valider par TME\s*\[U\](?:\s*—\s*à confirmer)?"), "proposition à confirmer avec TME"),
    (re.compile(r"à valider par TME\s*\[U\](?:\s*—\s*à confirmer)?"), "valeur à confirmer avec TME"),
    (re.compile(r"\s*\[U\](?:\s*—\s*à confirmer)?"), " — valeur à confirmer avec TME"),
)
TAG = re.compile(r"\[[USV]\]")


def buyer_words(text: str) -> str:
    """``text`` with reliability tags and internal names in a buyer's words."""
    if "[" not in text and "drafter" not in text and "Souvenir" not in text:
        return text
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    return text
