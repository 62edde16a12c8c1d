"""``drafter new`` driven by piped answers: single lot, framework with two facilitators,
reserved market, exception above the threshold, errors sent back, re-asked answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from drafter.app.analyse import analyse
from drafter.cli.main import cli
from drafter.domain.profile import Form, Mechanism, Nature, Procedure
from drafter.inputs.loading import load_profile

from .conftest import TODAY
from .wizard_answers import MONTPELLIER, auto_insertion, buyer, facilitator, market, script, single_lot

SAVE = ["1"]
NO_DOCUMENTS = ["n"]  # answer to the offer to generate (ignored when generate is not installed)


def run_new(runner, tmp_path: Path, text: str, *args: str, name: str = "profil.yaml"):
    target = tmp_path / name
    result = runner.invoke(cli, ["new", "-o", str(target), *args], input=text)
    return result, target


def assert_clean_exit(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output


def test_single_lot_market_writes_the_shorthand_and_passes_check(runner, tmp_path):
    text = script(
        buyer(),
        market("Entretien des espaces verts des sites de l'État", "2027-PREF81-EV", nature="2", procedure="1"),
        facilitator(),
        single_lot("300 000", "espaces_verts"),
        auto_insertion(),
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    assert f"Profil enregistré : {target}" in result.output
    # the summary before saving: decision of the real engine on this profile
    assert "── Résumé de la décision" in result.output
    assert (
        "Valeur estimée : 300 000 € HT · seuil européen : 140 000 € HT → condition sociale obligatoire" in result.output
    )
    assert "Dispositif : condition d'exécution sociale (clause d'insertion)" in result.output
    assert "Base légale : art. L2112-2 et L2112-2-1 du code de la commande publique" in result.output
    assert "Heures d'insertion : 300 h (≈ 2 mois de travail à temps plein)" in result.output

    profile = load_profile(target).profile
    assert profile.is_single_lot
    assert profile.market.estimate == Decimal(300000)
    assert profile.market.sector == "espaces_verts"
    assert profile.market.launch_date.isoformat() == "2027-01-15"
    assert profile.facilitator.organisation == "Toulouse Métropole Emploi"
    assert profile.insertion.mechanism is Mechanism.AUTO
    assert profile.insertion.rate is None  # default accepted: the rule table's value is kept
    decision = analyse(target, today=TODAY).decision
    assert decision.lots[0].heures == 300

    yaml_text = target.read_text(encoding="utf-8")
    assert "lots:" not in yaml_text
    assert "# Lot unique : montant et secteur d'activité" in yaml_text
    assert "# Acheteur public : qui achète et qui signe" in yaml_text
    assert "# Facilitateur de la clause" in yaml_text
    assert "secteur: espaces_verts  # Espaces verts, paysage, main-d'œuvre 60 % (indicatif, à confirmer)" in yaml_text
    check = runner.invoke(cli, ["check", str(target)])
    assert check.exit_code == 0, check.output
    assert "profil valide (1 lot, condition sociale obligatoire)" in check.output


def test_multi_lot_framework_with_two_facilitators(runner, tmp_path):
    lots = [
        "o",
        # lot 1: numéro (Entrée : 1), intitulé, minimum, maximum, estimé, secteur, part, objet d'insertion,
        # personnel repris (nettoyage), facilitateur (1 : celui du marché)
        "",
        "Haute-Garonne",
        "800 000",
        "3 200 000",
        "2400000",
        "nettoyage_proprete",
        "",
        "n",
        "",
        "1",
        "o",
        "",
        "Hérault",
        "",
        "2 200 000",
        "1 600 000",
        "1",  # nettoyage_proprete: first of the services sectors
        "",
        "n",
        "",
        "2",
        *MONTPELLIER,
        "n",
    ]
    insertion = ["condition_execution", "7 %", "25", "n", "", "", "", "n"]
    text = script(
        buyer(),
        market(
            "Nettoyage des locaux de l'État en Occitanie",
            "2027-PFRA-NET-03",
            nature="2",
            form="2",
            date="2027-03-15",
            months="48",
            place="Région Occitanie",
            cpv="90919200-4",
        ),
        facilitator(),
        lots,
        insertion,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    assert "22,4 h par tranche de 10 000 € HT commandés" in result.output
    assert "Facilitateur : Nadia Benali (Maison de l'emploi de Montpellier)" in result.output
    assert "Facilitateur : Sophie Laurent (Toulouse Métropole Emploi)" in result.output

    profile = load_profile(target).profile
    assert profile.market.form is Form.FRAMEWORK_ORDERS
    assert profile.market.cpv == ["90919200-4"]
    first, second = profile.lots
    assert (first.number, first.minimum, first.maximum) == (1, Decimal(800000), Decimal(3200000))
    assert first.facilitator is None
    assert second.number == 2 and second.minimum is None and second.maximum == Decimal(2200000)
    assert second.facilitator.name == "Nadia Benali"
    assert profile.insertion.rate == Decimal("0.07")
    assert profile.insertion.framework_method.value == "ratio"
    decision = analyse(target, today=TODAY).decision
    assert [lot.ratio_heures_10000_eur for lot in decision.lots] == [Decimal("22.4"), Decimal("22.4")]
    yaml_text = target.read_text(encoding="utf-8")
    assert "# Lots : montant HT sur toute la durée" in yaml_text
    assert yaml_text.index("insertion:") < yaml_text.index("lots:")


def test_reserved_market(runner, tmp_path):
    insertion = ["reserve_siae", "1"]  # dispositif, structures inclusives repérées
    text = script(
        buyer(),
        market("Entretien des espaces verts", "2027-DDT81-EV-02", nature="2", procedure="3"),
        facilitator(None),
        single_lot("96000", "espaces_verts"),
        insertion,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "Dispositif : marché réservé aux structures d'insertion par l'activité économique (SIAE)" in result.output
    assert "L2113-13" in result.output
    assert "Heures d'insertion : aucune heure imposée" in result.output
    assert "Seulement 1 structure(s) inclusive(s) repérée(s)" in result.output
    profile = load_profile(target).profile
    assert profile.insertion.mechanism is Mechanism.RESERVED_SIAE
    assert profile.insertion.inclusive_suppliers == 1
    assert profile.facilitator is None
    assert "taux_insertion" not in target.read_text(encoding="utf-8")


def test_above_threshold_opting_out_needs_a_justified_exception(runner, tmp_path):
    insertion = [
        "aucun",
        "0",  # « pas d'exception » : back to the mechanism
        "9",
        "1",  # aucun again, motive 1
        "",  # empty justification: the decision engine refuses it
        "Achat sur catalogue de matériels standard livrés en une fois.",
        "",
    ]  # structures inclusives
    text = script(
        buyer("Rectorat de la région académique Occitanie"),
        market("Fourniture de postes informatiques reconditionnés", "2027-RECT-INFO-07", nature="3", months="12"),
        facilitator(None),
        single_lot("450000", "fournitures", services=False),
        insertion,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    assert ("le dispositif « aucun » n'est possible qu'avec une exception motivée") in result.output
    assert (
        "Erreur : justification manquante : rédigez les raisons de l'exception, qui seront conservées "
        "au dossier du marché (art. L2112-2-1)."
    ) in result.output
    assert result.output.count("Dispositif juridique :") == 2
    assert "Exception : le besoin peut être satisfait par une solution immédiatement disponible" in result.output
    profile = load_profile(target).profile
    assert profile.insertion.mechanism is Mechanism.NONE
    assert profile.insertion.exception.motive.value == "solution_immediatement_disponible"
    assert profile.insertion.exception.justification.startswith("Achat sur catalogue")
    assert analyse(target, today=TODAY).decision.obligation_sociale


def test_decision_error_sends_the_buyer_back_to_the_section(runner, tmp_path):
    # an insertion market (services only) on a works contract: the engine refuses it at the summary
    market_fix = ["", "", "2", "", "", "", "", "", "", ""]  # nature → services, everything else kept
    text = script(
        buyer(),
        market("Entretien des berges", "2027-DREAL-INS-01", nature="1", procedure="3"),
        facilitator(),
        single_lot("310000", "espaces_verts", services=False),
        ["marche_insertion", ""],
        [""],
        market_fix,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    assert "Le profil ne peut pas encore être enregistré" in result.output
    assert (
        "  - marche.nature : un marché d'insertion (art. R2123-1 3°) est un marché de services : la nature "
        "« travaux » ne convient pas."
    ) in result.output
    assert "Rubrique à modifier :\n  1. Acheteur\n  2. Marché  ← proposé" in result.output
    profile = load_profile(target).profile
    assert profile.market.nature.value == "services"
    assert analyse(target, today=TODAY).decision.lots[0].dispositif is Mechanism.INSERTION_MARKET


def test_wrong_answers_are_asked_again_with_the_check_message(runner, tmp_path):
    buyer_answers = [
        "",
        "Préfecture du Tarn",
        "7",
        "",
        "",
        "Place de la Préfecture, 81013 Albi",
        "Le préfet du Tarn",
        "peut-être",
        "n",
    ]
    market_answers = [
        "Entretien des espaces verts",
        "2027-PREF81-EV",
        "2",
        "",
        "1",
        "15 janvier",
        "31/02/2027",
        "15/01/2027",
        "0",
        "36",
        "Tarn (81)",
        "7731",
        "77310000-6",
        "n",
    ]
    lot_answers = ["n", "-5", "abc", "300 000", "99", "espaces_verts", "5", "", "n"]
    insertion = ["", "5", "5 %", "", "n", "", ""]
    text = script(buyer_answers, market_answers, facilitator(), lot_answers, insertion, SAVE, NO_DOCUMENTS)
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    out = result.output
    for message in [
        "Erreur : réponse obligatoire : ce champ ne peut pas rester vide.",
        "Erreur : choix invalide : tapez un numéro de 1 à 3 ou l'une des valeurs : etat, "
        "autre_pouvoir_adjudicateur, entite_adjudicatrice (valeur lue : « 7 »)",
        "Erreur : répondez par oui (o) ou non (n) (valeur lue : « peut-être »)",
        "Erreur : doit être une date au format JJ/MM/AAAA (ex. 15/01/2027) ou AAAA-MM-JJ (valeur lue : « 15 janvier »)",
        "Erreur : cette date n'existe pas (valeur lue : « 31/02/2027 »)",
        "Erreur : doit être au moins 1 (valeur lue : « 0 »)",
        "Erreur : code CPV attendu au format NNNNNNNN-N (ex. 77310000-6) (valeur lue : « 7731 »)",
        "Erreur : doit être un montant positif en euros HT (valeur lue : « -5 »)",
        "Erreur : doit être un montant en euros HT écrit en chiffres (ex. 480000 ou « 480 000 ») (valeur lue : « abc »)",
        "Erreur : choix invalide : tapez un numéro de 0 à 10 (valeur lue : « 99 »)",
        "Erreur : doit être un taux entre 0 et 1 : écrivez 0.05 ou « 5 % » (valeur lue : « 5 »)",
    ]:
        assert message in out, message
    profile = load_profile(target).profile
    assert profile.market.duration_months == 36 and profile.market.cpv == ["77310000-6"]
    assert profile.market.launch_date == dt.date(2027, 1, 15)
    assert profile.insertion.rate == Decimal("0.05")
    assert profile.market.labour_share is None  # « 5 » was refused, then Entrée kept the table's share


def test_an_answer_fails_with_the_same_message_as_check(runner, tmp_path, examples):
    bad = tmp_path / "bad.yaml"
    source = (examples / "mapa-petits-travaux.yaml").read_text(encoding="utf-8")
    bad.write_text(source.replace("montant_estime_ht: 38000", "montant_estime_ht: -5"), encoding="utf-8")
    check = runner.invoke(cli, ["check", str(bad)])
    assert check.exit_code == 2
    message = "doit être un montant positif en euros HT (valeur lue : « -5 »)"
    assert f"marche.montant_estime_ht : {message}" in check.output
    text = script(buyer(), market("Peinture", "2027-X", nature="1", procedure="3"), facilitator(None), ["n", "-5"])
    result, _ = run_new(runner, tmp_path, text)
    assert f"Erreur : {message}" in result.output


def test_amounts_out_of_order_are_asked_again(runner, tmp_path):
    lots = [
        "o",
        "",
        "Lot A",
        "3 200 000",
        "800 000",
        "2400000",
        "800 000",
        "3 200 000",
        "",  # asked again, the estimate kept
        "nettoyage_proprete",
        "",
        "n",
        "",
        "1",
        "n",
    ]
    text = script(
        buyer(),
        market("Nettoyage", "2027-NET", nature="2", form="2"),
        facilitator(),
        lots,
        ["", "", "", "n", "", "", "", "n"],
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "Erreur : le montant minimum (3200000) dépasse le montant maximum (800000)." in result.output
    assert "Erreur : le montant estimé (2400000) dépasse le montant maximum (800000)." in result.output
    lot = load_profile(target).profile.lots[0]
    assert (lot.minimum, lot.estimate, lot.maximum) == (Decimal(800000), Decimal(2400000), Decimal(3200000))


def test_duplicate_lot_number_is_refused(runner, tmp_path):
    lots = [
        "o",
        "",
        "Lot A",
        "200000",
        "peinture_revetements_muraux",
        "",
        "1",
        "o",
        "1",
        "2",
        "Lot B",
        "150000",
        "gros_oeuvre_maconnerie",
        "",
        "1",
        "n",
    ]
    text = script(
        buyer(),
        market("Travaux", "2027-TRX", nature="1", procedure="3"),
        facilitator(),
        lots,
        auto_insertion(),
        ["n"],
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert (
        "Erreur : numéro de lot en double (déjà utilisé par le lot en position 1) (valeur lue : « 1 »)" in result.output
    )
    assert [lot.number for lot in load_profile(target).profile.lots] == [1, 2]


def test_reserved_lot_inside_a_multi_lot_market(runner, tmp_path):
    lots = [
        "o",
        "",
        "Gros œuvre",
        "2150000",
        "gros_oeuvre_maconnerie",
        "",
        "1",
        "o",
        "",
        "Second œuvre",
        "185000",
        "0",
        "25 %",
        "1",
        "n",
    ]
    insertion = [*auto_insertion(), "o", "2", "reserve_siae", "n"]
    text = script(
        buyer(),
        market("Réhabilitation", "2027-TRX-02", nature="1", procedure="1"),
        facilitator(),
        lots,
        insertion,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    profile = load_profile(target).profile
    assert profile.lots[0].insertion is None
    assert profile.lots[1].insertion.mechanism is Mechanism.RESERVED_SIAE
    assert profile.lots[1].labour_share == Decimal("0.25") and profile.lots[1].sector is None
    decision = analyse(target, today=TODAY).decision
    assert [lot.dispositif for lot in decision.lots] == [Mechanism.CONDITION, Mechanism.RESERVED_SIAE]


def test_revise_a_section_from_the_summary(runner, tmp_path):
    revise_insertion = ["2", "5", "", "6 %", "", "n", "", ""]  # modifier → choix d'insertion → taux 6 %
    text = script(
        buyer(),
        market("Espaces verts", "2027-EV", nature="2"),
        facilitator(),
        single_lot("300000", "espaces_verts"),
        auto_insertion(),
        revise_insertion,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert result.output.count("── Résumé de la décision") == 2
    assert "Heures d'insertion : 360 h" in result.output
    assert load_profile(target).profile.insertion.rate == Decimal("0.06")


def test_launch_date_defaults_to_today(runner, tmp_path, monkeypatch):
    from drafter.cli.main import Settings

    monkeypatch.setattr(Settings, "today", lambda self: TODAY)
    text = script(
        buyer(),
        market("Espaces verts", "2027-EV", nature="2", date=""),
        facilitator(),
        single_lot("300000", "espaces_verts"),
        auto_insertion(),
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "Date de lancement de la consultation (JJ/MM/AAAA) [25/11/2026] : " in result.output
    assert load_profile(target).profile.market.launch_date == TODAY


def test_aucun_above_the_threshold_is_sent_back_to_the_insertion_choices(runner, tmp_path):
    # below the threshold « aucun » needs no exception; raising the amount makes the engine refuse it
    first = ["aucun", ""]  # no exception asked, no structures
    raise_amount = ["2", "4", "n", "450000", "", ""]  # modifier → lots → lot unique, 450 000 €
    back = ["", "", "1", "Achat sur catalogue, livraison unique.", ""]  # insertion (proposed), aucun kept
    text = script(
        buyer(),
        market("Postes informatiques", "2027-INFO", nature="3", months="12"),
        facilitator(None),
        single_lot("100000", "fournitures", services=False),
        first,
        raise_amount,
        back,
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    assert "seuil européen : 140 000 € HT → condition sociale non obligatoire" in result.output
    assert (
        "  - insertion.dispositif : le marché est soumis à la condition sociale obligatoire (art. L2112-2-1) : "
        "le dispositif « aucun » ne la satisfait pas."
    ) in result.output
    assert "  5. Choix d'insertion  ← proposé" in result.output
    profile = load_profile(target).profile
    assert profile.market.estimate == Decimal(450000)
    assert profile.insertion.exception.justification == "Achat sur catalogue, livraison unique."
    assert analyse(target, today=TODAY).decision.obligation_sociale


def test_a_reference_is_proposed_from_the_year_the_buyer_and_the_object(runner, tmp_path, monkeypatch):
    from drafter.app.settings import Settings

    monkeypatch.setattr(Settings, "today", lambda self: TODAY)
    text = script(
        buyer(),
        market("Entretien des espaces verts", "", nature="2"),
        facilitator(),
        single_lot("300000", "espaces_verts"),
        auto_insertion(),
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "Référence du marché (sert au nom du dossier de sortie) [2026-PT-ENTRETIEN] : " in result.output
    assert load_profile(target).profile.market.reference == "2026-PT-ENTRETIEN"


def test_long_lines_wrap_between_words_in_a_terminal_only():
    from drafter.wizard.prompter import wrapped

    line = "    - Réserver ce lot à des SIAE, entreprises adaptées ou ESAT, ce qui satisfait aussi l'obligation."
    assert wrapped(line, None) == line
    assert wrapped(line, 50).split("\n") == [
        "    - Réserver ce lot à des SIAE, entreprises",
        "      adaptées ou ESAT, ce qui satisfait aussi",
        "      l'obligation.",
    ]


def test_a_training_condition_asks_the_training_hours(runner, tmp_path):
    # services, 300 000 € : condition de formation (plan de progrès) → heures de formation par salarié
    text = script(
        buyer(),
        market("Nettoyage des locaux", "2027-NET-FORM", nature="2"),
        facilitator(),
        single_lot("300000", "nettoyage_proprete"),
        ["", "condition_formation", "abc", "14", ""],
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert (
        "Condition de formation (plan de progrès) : heures de formation par salarié affecté au marché et "
        "par année d'exécution : "
    ) in result.output
    settings = load_profile(target).profile.insertion
    assert settings.mechanism is Mechanism.TRAINING and settings.training_hours == Decimal(14)


def test_an_insertion_market_lot_asks_its_support_activity(runner, tmp_path):
    lot = ["n", "310000", "espaces_verts", "", "o", "Entretien des berges : débroussaillage", "6", "9000"]
    text = script(
        buyer(),
        market("Insertion par l'entretien des berges", "2027-BERGES", nature="2"),
        facilitator(),
        lot,
        ["", "", "", "n", "", ""],
        SAVE,
        NO_DOCUMENTS,
    )
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    drafted = load_profile(target).profile.market
    assert drafted.support_activity == "Entretien des berges : débroussaillage"
    assert drafted.insertion_positions == 6 and drafted.support_hours == Decimal(9000)


def test_the_facilitator_is_chosen_in_the_directory(runner, tmp_path):
    directory = tmp_path / "annuaire.yaml"
    directory.write_text(
        "structures:\n"
        "  - nom: PLIE de Nîmes\n    type: plie\n    adresse: 3 rue Colbert, 30000 Nîmes\n    departements: [30]\n"
        "    facilitateurs:\n      - {nom: Karim Haddad, courriel: k.haddad@plie.exemple.fr, telephone: 04 66 00 00 00}\n"
        "  - nom: Toulouse Métropole Emploi\n    type: mde\n    adresse: 1 place Saint-Sernin, 31000 Toulouse\n"
        "    departements: [31, 81]\n    facilitateurs:\n"
        "      - {nom: Sophie Laurent, courriel: clauses.sociales@tme.exemple.fr, telephone: 05 61 00 00 00}\n",
        encoding="utf-8")
    # the market is in the Tarn (81): TME's facilitator comes first; her details are the proposed answers
    text = script(buyer(), market("Espaces verts", "2027-EV", nature="2"), ["o", "1", "", "", "", "", "", ""],
                  single_lot("300000", "espaces_verts"), auto_insertion(), SAVE, NO_DOCUMENTS)
    target = tmp_path / "profil.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target), "--annuaire", str(directory)], input=text)
    assert result.exit_code == 0, result.output
    assert "Facilitateur de l'annuaire :\n  1. Sophie Laurent (Toulouse Métropole Emploi)\n  2. Karim Haddad (PLIE de Nîmes)" \
        in result.output
    facilitator = load_profile(target).profile.facilitator
    assert (facilitator.name, facilitator.organisation, facilitator.address, facilitator.email) == (
        "Sophie Laurent", "Toulouse Métropole Emploi", "1 place Saint-Sernin, 31000 Toulouse",
        "clauses.sociales@tme.exemple.fr")


def test_menus_accept_the_names_buyers_use(runner, tmp_path):
    # nature « Services », form « Marché ordinaire », procedure « MAPA » typed as words, not numbers
    text = script(buyer(), market("Espaces verts", "2027-EV", nature="Services", form="marché ordinaire",
                                  procedure="MAPA"), facilitator(),
                  single_lot("300000", "espaces_verts"), auto_insertion(), SAVE, NO_DOCUMENTS)
    result, target = run_new(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    drafted = load_profile(target).profile.market
    assert (drafted.nature, drafted.form, drafted.procedure) == (Nature.SERVICES, Form.ORDINARY, Procedure.ADAPTED)
