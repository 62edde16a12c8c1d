"""The contract between the context and the templates: every variable used is provided, every
variable provided is documented, the bundled .docx are built from their committed wording."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docxtpl import DocxTemplate

from drafter.documents.plan import plan
from drafter.documents.render import ENV
from drafter.documents.templates_set import BUNDLED, bundled, check_template
from drafter.present.context import build_context
from drafter.present.variables import TEMPLATES, Var
from drafter.present.variables_table import markdown

from .document_helpers import EXAMPLE_NAMES, analysis_of, hostile_profile

ROOT = Path(__file__).resolve().parent.parent


def shape_errors(value: Any, var: Var, path: str) -> list[str]:
    """Differences between a context value and its documented variable (recursively)."""
    if value is None:
        return [] if var.optional else [f"{path} : vide mais non marqué « peut être vide »"]
    if var.kind == "booleen":
        return [] if isinstance(value, bool) else [f"{path} : booléen attendu, lu {type(value).__name__}"]
    if var.kind == "texte":
        return [] if isinstance(value, str) else [f"{path} : texte attendu, lu {type(value).__name__}"]
    if var.kind == "liste":
        if not isinstance(value, list):
            return [f"{path} : liste attendue"]
        return [e for i, item in enumerate(value) for e in shape_errors(item, var.item, f"{path}[{i}]")]
    if not isinstance(value, dict):
        return [f"{path} : objet attendu"]
    errors = [f"{path}.{k} : non documentée" for k in value if k not in var.fields]
    errors += [f"{path}.{k} : documentée mais absente" for k in var.fields if k not in value]
    for key, sub in var.fields.items():
        if key in value:
            errors += shape_errors(value[key], sub, f"{path}.{key}")
    return errors


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("revue", [False, True])
def test_context_matches_documented_variables(name, revue):
    ctx = build_context(analysis_of(name), revue=revue)
    for doc in plan(ctx):
        variables = ctx.for_document(**doc.extra)
        spec = TEMPLATES[doc.template]
        assert sorted(variables) == sorted(spec.variables()), doc.fichier
        errors = [e for key, var in spec.variables().items() for e in shape_errors(variables[key], var, key)]
        assert errors == [], (doc.fichier, errors[:10])


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_variable_used_is_provided(name):
    """docxtpl's own analysis: nothing a template uses is missing from the context it gets."""
    ctx = build_context(analysis_of(name))
    for doc in plan(ctx):
        template = DocxTemplate(str(bundled()[doc.template]))
        missing = template.get_undeclared_template_variables(jinja_env=ENV, context=ctx.for_document(**doc.extra))
        assert missing == set(), (doc.fichier, missing)


def test_hostile_context_matches_documented_variables(tmp_path):
    from drafter.app.analyse import analyse

    from .conftest import TODAY
    ctx = build_context(analyse(hostile_profile(tmp_path), today=TODAY), revue=True)
    for doc in plan(ctx):
        spec = TEMPLATES[doc.template]
        variables = ctx.for_document(**doc.extra)
        assert [e for k, v in spec.variables().items() for e in shape_errors(variables[k], v, k)] == []


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_bundled_templates_pass_the_check(name):
    assert check_template(BUNDLED / TEMPLATES[name].file, TEMPLATES[name]) == []


def test_every_bundled_template_exists_and_nothing_else():
    assert sorted(p.name for p in BUNDLED.glob("*.docx")) == sorted(s.file for s in TEMPLATES.values())


def test_readme_documents_every_template_and_variable():
    readme = (ROOT / "clause_templates" / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme, "clause_templates/README.md : régénérer la table (python -m drafter.variables)"
    for spec in TEMPLATES.values():
        assert f"`{spec.file}`" in readme


def test_committed_templates_are_built_from_their_sources():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_templates.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
