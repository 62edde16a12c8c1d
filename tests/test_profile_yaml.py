"""The commented YAML writer: examples round-trip, comments, safe names, atomic writes."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from drafter.errors import OutputError
from drafter.inputs.loading import load_profile, validate_profile
from drafter.inputs.profile_yaml import profile_to_yaml, scalar, slugify, write_atomic
from drafter.inputs.source import parse_yaml

from .conftest import EXAMPLES, example_names


@pytest.mark.parametrize("name", example_names())
def test_examples_round_trip(name):
    profile = load_profile(EXAMPLES / name).profile
    text = profile_to_yaml(profile)
    again = validate_profile(parse_yaml(text.encode("utf-8"), name)).profile
    assert again == profile
    assert profile_to_yaml(again) == text


def test_keys_in_the_order_of_the_examples_with_french_comments():
    text = profile_to_yaml(load_profile(EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml").profile,
                           sector_labels={"nettoyage_proprete": "Nettoyage, propreté"})
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert keys == ["version", "acheteur", "marche", "facilitateur", "insertion", "lots"]
    assert "# Acheteur public : qui achète et qui signe les pièces du marché." in text
    assert "  categorie: etat  # etat | autre_pouvoir_adjudicateur | entite_adjudicatrice" in text
    assert "    secteur: nettoyage_proprete  # Nettoyage, propreté" in text
    assert "  - numero: 2\n    intitule: \"Hérault\"" in text
    lot = text[text.index("  - numero: 1"):text.index("  - numero: 2")]
    assert lot.index("intitule") < lot.index("montant_estime_ht") < lot.index("montant_minimum_ht") \
        < lot.index("secteur")


def test_texts_are_quoted_and_escaped():
    assert scalar('Dupont & Fils "SARL" {{ x }}\n# pas un commentaire') == \
        '"Dupont & Fils \\"SARL\\" {{ x }}\\n# pas un commentaire"'
    assert scalar(Decimal("480000.50")) == "480000.5"
    assert scalar(Decimal("1E+5")) == "100000"
    assert scalar(True) == "true"


def test_odd_texts_survive_the_round_trip():
    profile = load_profile(EXAMPLES / "mapa-petits-travaux.yaml").profile
    odd = "L'État : « 50 % » — {{ jinja }} & <b> # pas un commentaire\\ yes"
    changed = profile.model_copy(update={"buyer": profile.buyer.model_copy(update={"name": odd})})
    again = validate_profile(parse_yaml(profile_to_yaml(changed).encode("utf-8"), "x")).profile
    assert again.buyer.name == odd


@pytest.mark.parametrize(("reference", "slug"), [
    ("2027-PREF31-004", "2027-pref31-004"),
    ("Marché n°12 / Lot « été »", "marche-n12-lot-ete"),
    ("../../etc/passwd", "etc-passwd"),
    ("…", "profil"),
])
def test_slugify(reference, slug):
    assert slugify(reference) == slug
    assert len(slugify("x" * 500)) == 80


def test_write_atomic_never_replaces_without_overwrite(tmp_path):
    target = tmp_path / "sub" / "profil.yaml"
    write_atomic(target, "version: 1\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "version: 1\n"
    with pytest.raises(OutputError, match="existe déjà"):
        write_atomic(target, "autre\n", overwrite=False)
    write_atomic(target, "autre\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "autre\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["profil.yaml"]


def test_write_atomic_cleans_up_when_interrupted(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "profil.yaml", "version: 1\n", overwrite=False)
    assert list(tmp_path.iterdir()) == []
