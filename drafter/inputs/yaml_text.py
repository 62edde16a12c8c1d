"""Text-level checks and French wording for YAML input (used by :mod:`drafter.inputs.source`)."""

from __future__ import annotations

import re

# Characters YAML refuses in a file (PyYAML's reader set), and those XML 1.0 forbids in a value
# (a value reaching a .docx or .xlsx must be XML-compatible): refused at the input, located.
NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]")


def codepoint(char: str) -> str:
    """``U+0001``: how a character is named in messages."""
    return f"U+{ord(char):04X}"


def line_column(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def yaml_problem_fr(problem: str) -> str:
    """French wording of a PyYAML problem (the English text as a last resort)."""
    known = {
        "mapping values are not allowed": "deux-points inattendu (une valeur contenant « : » doit être "
                                          "entre guillemets, ou une clé est mal indentée)",
        "could not find expected ':'": "deux-points attendu après une clé",
        "found character '\\t'": "tabulation interdite (utilisez des espaces)",
        "found a tab character": "tabulation interdite (utilisez des espaces)",
        "found character that cannot start any token": "caractère interdit à cet endroit (une tabulation ? "
                                                       "utilisez des espaces)",
        "expected <block end>": "indentation incohérente",
        "did not find expected key": "indentation incohérente (une clé était attendue)",
        "did not find expected node content": "valeur attendue",
        "block sequence entries are not allowed": "tiret de liste inattendu (vérifiez l'indentation)",
        "found undefined alias": "alias (*nom) non défini",
        "found duplicate anchor": "ancre (&nom) définie deux fois",
        "found unexpected end of stream": "fin de fichier inattendue (guillemet ou crochet non fermé ?)",
        "found unknown escape character": "caractère d'échappement inconnu dans un texte entre guillemets",
        "expected escape sequence of": "séquence \\x, \\u ou \\U incomplète dans un texte entre guillemets "
                                       "(pour une barre oblique inverse, écrivez \\\\)",
        "did not find expected hexdecimal number": "séquence \\x, \\u ou \\U invalide dans un texte entre "
                                                   "guillemets (pour une barre oblique inverse, écrivez \\\\)",
        "expected a single document": "un seul document attendu (retirez les lignes « --- » en trop)",
        "but found another document": "un seul document attendu (retirez les lignes « --- » en trop)",
        "did not find expected ',' or ']'": "crochet « ] » non fermé ou virgule manquante",
        "did not find expected ',' or '}'": "accolade « } » non fermée ou virgule manquante",
        "did not find expected <document start>": "contenu inattendu après la fin du document",
    }
    for en, fr in known.items():
        if en in problem:
            return fr
    return problem or "erreur de syntaxe"
