"""Legal citations as a lawyer writes them: « articles L. 2112-2 et L. 2112-2-1 du code de la
commande publique ».

The decision engine names articles compactly (``L2112-2``, ``R2123-1 3°``); documents cite
them as numbered in the code, with a no-break space after the letter so that « L. » never
ends a line.
"""

from __future__ import annotations

import re

from drafter.domain.fmt import NBSP

CODE = "code de la commande publique"
_COMPACT = re.compile(r"\b([LRD])(\d{4}(?:-\d+)+)\b")
_ITEM = re.compile(r"^([LRD])(\d{4}(?:-\d+)+)(?:\s+(\d+°))?$")


def article(code: str) -> str:
    """``"L2112-2"`` → ``"L. 2112-2"``; ``"R2123-1 3°"`` → ``"R. 2123-1 (3°)"``."""
    match = _ITEM.match(code.strip())
    if not match:
        return code
    letter, number, item = match.groups()
    text = f"{letter}.{NBSP}{number}"
    return f"{text} ({item})" if item else text


def cite(text: str) -> str:
    """Rewrite every compact article number of a sentence in the code's own form."""
    return _COMPACT.sub(lambda m: f"{m.group(1)}.{NBSP}{m.group(2)}", text)


def _order(code: str) -> tuple:
    match = _ITEM.match(code.strip())
    if not match:
        return (9, code)
    letter, number, item = match.groups()
    return ("LRD".index(letter), tuple(int(n) for n in number.split("-")), item or "")


def sorted_bases(codes: tuple[str, ...] | list[str]) -> list[str]:
    """Articles in the order of the code: L before R, then by number."""
    return sorted(dict.fromkeys(codes), key=_order)


def join_fr(items: list[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b et c"``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]


def legal_basis(codes: tuple[str, ...] | list[str]) -> str:
    """``("L2112-2", "L2112-2-1")`` → ``"articles L. 2112-2 et L. 2112-2-1 du code de la commande publique"``."""
    ordered = sorted_bases(codes)
    if not ordered:
        return ""
    word = "article" if len(ordered) == 1 else "articles"
    return f"{word} {join_fr([article(c) for c in ordered])} du {CODE}"


def its_articles(codes: tuple[str, ...] | list[str]) -> str:
    """``("L2112-2", "L2112-2-1")`` → ``"ses articles L. 2112-2 et L. 2112-2-1"`` (after « le code, notamment »)."""
    ordered = sorted_bases(codes)
    word = "son article" if len(ordered) == 1 else "ses articles"
    return f"{word} {join_fr([article(c) for c in ordered])}"


def in_application(codes: tuple[str, ...] | list[str]) -> str:
    """``"en application de l'article …"`` / ``"en application des articles …"`` (elision handled)."""
    basis = legal_basis(codes)
    if not basis:
        return ""
    return ("en application de l'" if basis.startswith("article ") else "en application des ") + basis
