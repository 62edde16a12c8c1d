"""Before saving: the decision on the drafted profile, and the chance to change an answer.

The draft is written as the very YAML text that will be saved, read back and judged by
``validate_profile`` and ``analyse_loaded`` — the path of ``drafter check`` — so the
summary shows what the saved file will produce. Errors (e.g. above the EU threshold with
« aucun » and no exception) are shown in French and the buyer is sent back to a section.
"""

from __future__ import annotations

from drafter.app.analyse import Analysis, analyse_loaded
from drafter.domain import fmt
from drafter.errors import DrafterError, Problem
from drafter.inputs.profile_yaml import LOT_KEYS
from drafter.present.explain import hours_line, legal_bases_fr, obligation_verdict
from drafter.wizard.draft import SECTIONS, Abandoned, Draft
from drafter.wizard.prompter import Option

SUMMARY = "__resume__"
ABANDON = "__abandon__"


def review(w: Draft) -> tuple[str, Analysis]:
    """Loop summary → revise until the buyer saves; returns the YAML text and its analysis."""
    io = w.io
    while True:
        text = w.yaml_text()
        try:
            analysis = analyse_loaded(w.load(text), today=w.today, book=w.book)
        except DrafterError as exc:
            io.title("Le profil ne peut pas encore être enregistré")
            for problem in exc.problems:
                io.say(f"  - {Problem(problem.message, field=problem.field).render()}")
            io.say("Corrigez la rubrique concernée (proposée par défaut).")
            revise(w, section_of(exc.problems[0]))
            continue
        io.say("\n".join(summary_lines(analysis)))
        action = io.choose("Que voulez-vous faire", [
            Option("enregistrer", "Enregistrer le profil"),
            Option("modifier", "Modifier une rubrique"),
            Option("abandonner", "Abandonner sans enregistrer"),
        ], "enregistrer")
        if action == "enregistrer":
            return text, analysis
        if action == "modifier":
            revise(w, None)
        elif io.confirm("Abandonner sans enregistrer le profil ?", False):
            raise Abandoned


def revise(w: Draft, suggested: str | None) -> None:
    options = [Option(key, title) for key, title in SECTIONS.items()] + [Option(SUMMARY, "Retour au résumé")]
    choice = w.io.choose("Rubrique à modifier", options, suggested,
                         extra=Option(ABANDON, "Abandonner sans enregistrer"))
    if choice == ABANDON:
        if w.io.confirm("Abandonner sans enregistrer le profil ?", False):
            raise Abandoned
    elif choice != SUMMARY:
        w.ask_section(choice)


def section_of(problem: Problem) -> str:
    """The wizard section that answers the problem's field (``lots[2].insertion.dispositif`` → insertion)."""
    field = problem.field or "marche"
    head = field.split(".")[0].split("[")[0]
    if head == "insertion" or ".insertion" in field:
        return "insertion"
    if head == "lots" or any(field.startswith(f"marche.{key}") for key in LOT_KEYS):
        return "lots"
    return head if head in SECTIONS else "marche"


def bullet(text: str) -> str:
    """A list item wrapped for a terminal, continuation lines under the text."""
    return f"    - {text}"


def summary_lines(analysis: Analysis) -> list[str]:
    """The decision per lot, as the buyer reads it before saving."""
    p, d = analysis.profile, analysis.decision
    verdict = obligation_verdict(d.obligation_sociale, analysis.rules)
    out = ["", "── Résumé de la décision " + "─" * 36,
           f"Marché {p.market.reference} — {p.market.subject}",
           f"Acheteur : {p.buyer.name}",
           f"Règles en vigueur au {fmt.date_long(d.date_reference)} (date de lancement)",
           f"Valeur estimée : {fmt.euros(d.valeur_estimee_ht)} HT · seuil européen : "
           f"{fmt.euros(d.seuil_europeen_ht)} HT → {verdict}"]
    for lot in d.lots:
        fields = [("Dispositif", lot.dispositif.label), ("Base légale", legal_bases_fr(lot.base_legale)),
                  ("Heures d'insertion", hours_line(lot) or "aucune heure imposée")]
        if lot.heures is None and lot.calcul is not None:
            fields.append(("Heures calculées à titre indicatif", f"{fmt.number(lot.calcul.hours)} h "
                           f"(≈ {fmt.months(lot.calcul.fte_months)} de travail à temps plein)"))
        if lot.ponderation_critere is not None:
            fields.append(("Critère « insertion »", f"{fmt.smart(lot.ponderation_critere)} % de la note"))
        if lot.exception is not None:
            fields.append(("Exception", lot.exception.wording))
        if lot.facilitateur is not None:
            fields.append(("Facilitateur", f"{lot.facilitateur.name} ({lot.facilitateur.organisation})"))
        out += ["", f"Lot {lot.numero} — {lot.intitule}"]
        out += [f"  {label} : {value}" for label, value in fields]
        if lot.avertissements:
            out.append("  Avertissements :")
            out.extend(bullet(warning) for warning in lot.avertissements)
        if lot.alternatives:
            out.append("  Solutions à envisager :")
            out.extend(bullet(item) for item in lot.alternatives)
        if lot.a_confirmer:
            out.append(f"  Points à confirmer : {len(lot.a_confirmer)} (détail : drafter explain)")
    out.append("")
    return out
