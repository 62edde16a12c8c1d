"""The template contract (:mod:`drafter.present.variables`) as a Markdown table, for lawyers."""

from __future__ import annotations

from drafter.present.variables import COMMON, LOT, TEMPLATES, Var


def markdown() -> str:
    """The variables as Markdown (README of the templates, ``templates export``)."""
    out = ["| variable | type | description |", "|---|---|---|"]

    def walk(prefix: str, var: Var) -> None:
        kind = var.kind + (" (peut être vide)" if var.optional else "")
        out.append(f"| `{prefix}` | {kind} | {var.description} |")
        if var.kind == "objet":
            for name, sub in var.fields.items():
                walk(f"{prefix}.{name}", sub)
        elif var.kind == "liste" and var.item is not None and var.item.kind == "objet":
            if var.item is LOT and prefix != "lots":
                return  # every list of lots has the fields of `lots[]`, listed once
            for name, sub in var.item.fields.items():
                walk(f"{prefix}[].{name}", sub)

    for name, var in COMMON.items():
        walk(name, var)
    for spec in TEMPLATES.values():
        for name, var in spec.extra.items():
            if var is LOT:
                out.append(
                    f"| `{name}` | objet | ({spec.file} seulement) le lot du document, mêmes champs que `lots[]` |"
                )
            else:
                walk(name, var)
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m drafter.present.variables_table > table for clause_templates/README.md
    print(markdown(), end="")
