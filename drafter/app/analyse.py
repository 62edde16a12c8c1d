"""Library entry points: profile file → validated profile → decision (with located errors).

The CLI, the wizard and bulk mode all go through :func:`analyse`, so a profile is
judged the same way everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from drafter.domain.decision import MarketDecision
from drafter.domain.parsing import choice_key, parse_cpv
from drafter.engine.analysis import Analysis, Notice
from drafter.engine.decide import decide
from drafter.errors import Problem, ProfileError, RuleError
from drafter.inputs.loading import LoadedProfile, read_profile_yaml, validate_profile
from drafter.inputs.source import Located
from drafter.law.rules import RuleBook, Rules, load_rules

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def reference_date(loaded: LoadedProfile, date: dt.date | None, today: dt.date) -> dt.date:
    """``--date`` first, then the profile's launch date, then today (read by the CLI only)."""
    return date or loaded.profile.market.launch_date or today


def decision_problems(loaded: LoadedProfile, decision: MarketDecision) -> list[Problem]:
    """Decision-level issues located in the profile file."""
    return [loaded.source.problem(issue.loc, issue.message) for issue in decision.erreurs]


def _sector_keys(rules: Rules) -> dict[str, str]:
    """Sector key or French label (as :func:`choice_key` writes it) → sector key."""
    sectors = rules.sectors()
    return {**{choice_key(v.libelle): k for k, v in sectors.items()}, **{choice_key(k): k for k in sectors}}


def with_sector_keys(loaded: LoadedProfile, rules: Rules) -> tuple[LoadedProfile, list[Notice]]:
    """Sectors written by their French name (« Nettoyage, propreté ») replaced by their key."""
    keys, sectors = _sector_keys(rules), rules.sectors()
    notices: list[Notice] = []

    def fixed(model: Any, loc: tuple[str | int, ...]) -> Any:
        sector = model.sector
        if sector is None or sector in sectors or choice_key(sector) not in keys:
            return model
        notices.append(Notice(f"secteur « {sector} » lu comme « {keys[choice_key(sector)]} ».", (*loc, "secteur")))
        return model.model_copy(update={"sector": keys[choice_key(sector)]})

    p = loaded.profile
    update: dict[str, Any] = {"market": fixed(p.market, ("marche",))}
    if p.lots is not None:
        update["lots"] = [fixed(lot, ("lots", i)) for i, lot in enumerate(p.lots)]
    if not notices:
        return loaded, []
    return dataclasses.replace(loaded, profile=p.model_copy(update=update)), notices


def cpv_notices(loaded: LoadedProfile) -> list[Notice]:
    """One notice per CPV code typed without its check digit (the model completed it)."""
    market = loaded.source.data.get("marche") if isinstance(loaded.source.data, dict) else None
    raw = market.get("cpv") if isinstance(market, dict) else None
    return [Notice(f"code CPV « {code} » complété par son chiffre de contrôle : {parse_cpv(code)}.",
                   ("marche", "cpv", index))
            for index, code in enumerate(raw if isinstance(raw, list) else [])
            if isinstance(code, str | int) and "-" not in str(code) and parse_cpv(code) != code]


def analyse_loaded(loaded: LoadedProfile, *, today: dt.date, date: dt.date | None = None,
                   book: RuleBook | None = None) -> Analysis:
    """Decide on an already loaded profile; raise ProfileError with every decision issue."""
    book = book or load_rules()
    try:
        rules = book.at(reference_date(loaded, date, today))
        loaded, notices = with_sector_keys(loaded, rules)
        decision = decide(loaded.profile, rules)
    except RuleError:
        launch = loaded.profile.market.launch_date
        if date is not None or launch is None:
            raise
        # the date comes from the profile (e.g. 0001-01-01): point at it
        raise ProfileError(loaded.source.problem(
            ("marche", "date_lancement"),
            "aucune règle n'est en vigueur à cette date : vérifiez la date de lancement "
            f"(valeur lue : « {launch.isoformat()} »)")) from None
    problems = decision_problems(loaded, decision)
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Analysis(loaded, rules, decision, tuple(cpv_notices(loaded) + notices))


def raw_sector_problems(source: Located, rules: Rules) -> list[Problem]:
    """Unknown sectors of a profile that failed validation, so that ``check`` reports them in the
    same pass as the other errors (the decision, which checks sectors, never ran)."""
    data = source.data if isinstance(source.data, dict) else {}
    keys = _sector_keys(rules)
    places: list[tuple[tuple, Any]] = [(("marche",), data.get("marche"))]
    lots = data.get("lots")
    places += [(("lots", i), lot) for i, lot in enumerate(lots)] if isinstance(lots, list) else []
    problems = []
    for loc, fields in places:
        sector = fields.get("secteur") if isinstance(fields, dict) else None
        if isinstance(sector, str) and choice_key(sector) not in keys:
            problems.append(source.problem((*loc, "secteur"), f"secteur inconnu (valeur lue : « {sector} ») ; "
                                           f"secteurs admis : {', '.join(sorted(rules.sectors()))}."))
    return problems


def analyse(path: str | Path, *, today: dt.date, date: dt.date | None = None,
            book: RuleBook | None = None) -> Analysis:
    """Load, validate and decide; raise ProfileError listing every problem of the file (unknown
    sectors included, even when the profile has other errors)."""
    if Path(path).suffix.lower() in SPREADSHEETS:
        raise ProfileError(f"« {path} » est un tableur, pas un profil YAML : pour les marchés d'un tableur (une "
                           f"ligne par lot), utilisez drafter bulk {path}")
    book = book or load_rules()
    source = read_profile_yaml(path)  # unreadable: its one error, the file is not read twice
    try:
        loaded = validate_profile(source)
    except ProfileError as exc:
        extra = raw_sector_problems(source, book.at(date or today))
        if not extra:
            raise
        problems = sorted([*exc.problems, *extra], key=lambda p: (p.line or 0, p.column or 0))
        raise ProfileError(problems) from None
    return analyse_loaded(loaded, today=today, date=date, book=book)


__all__ = ["Analysis", "analyse", "analyse_loaded", "reference_date"]
