"""The fast renderer gives the same parts as plain docxtpl (pinned 0.20.2), for many contexts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from drafter.documents import fastrender


def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def build_template(path: Path, *, core_title: str = "Article {{ lot.numero }}") -> Path:
    """A template exercising what clause templates use: runs, loops, conditions, tables, header."""
    document = docx.Document()
    document.core_properties.title = core_title
    document.core_properties.author = "drafter"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Marché {{ marche.reference }} — lot {{ lot.numero }}"
    section.footer.paragraphs[0].text = "Page de pied fixe"
    document.add_heading("Article {{ lot.numero }} – {{ lot.intitule }}", level=1)
    p = document.add_paragraph("Acheteur : ")
    p.add_run("{{ acheteur }}").bold = True
    p.add_run(", heures dues : ")
    p.add_run("{{ lot.heures }}").italic = True
    document.add_paragraph("{%p for ob in lot.obligations %}")
    document.add_paragraph("{{ ob }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if lot.reserve %}")
    document.add_paragraph("Marché réservé (L2113-13).")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Condition d'exécution (L2112-2).")
    document.add_paragraph("{%p endif %}")
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "Lot", "Heures"
    table.cell(1, 0).text = "{%tr for l in lignes %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ l.lot }}", "{{ l.heures }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("Observations : {{ note }}")
    document.save(path)
    return path


def context(n: int) -> dict:
    return {
        "marche": {"reference": f"2027-REF-{n}"},
        "acheteur": "Préfecture & <consorts> \"l'État\"",
        "lot": {"numero": n, "intitule": f"Lot {{{{ injection }}}} n° {n}", "heures": 150 + n,
                "obligations": [f"Obligation {i}" for i in range(n % 4 + 1)], "reserve": n % 2 == 0},
        "lignes": [{"lot": i, "heures": i * 10} for i in range(1, n % 5 + 2)],
        "note": "première ligne\nseconde ligne\tavec tabulation" if n % 3 == 0 else "aucune",
    }


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def plain_parts(path: Path, ctx: dict) -> dict[str, bytes]:
    buffer = io.BytesIO()
    fastrender.plain_render(path, ctx, env(), buffer)
    return parts_of(buffer.getvalue())


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return build_template(tmp_path / "modele.docx")


def test_same_parts_as_plain_docxtpl(template: Path) -> None:
    fast = fastrender.FastTemplate(template, env())
    assert fast._splice is not None  # the byte-splicing path is the one compared below
    for n in range(1, 8):
        ctx = context(n)
        assert fast.render_parts(ctx) == plain_parts(template, ctx), f"context {n}"


def test_same_text_and_values_escaped(template: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    fastrender.FastTemplate(template, env()).render_to(context(3), out)
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Acheteur : Préfecture & <consorts> \"l'État\"" in text
    assert "Article 3 – Lot {{ injection }} n° 3" in text
    assert "Condition d'exécution (L2112-2)." in text and "réservé" not in text
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == [
        "Obligation 0", "Obligation 1", "Obligation 2", "Obligation 3"]
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == [
        ["Lot", "Heures"], ["1", "10"], ["2", "20"], ["3", "30"], ["4", "40"]]
    assert document.sections[0].header.paragraphs[0].text == "Marché 2027-REF-3 — lot 3"
    assert document.core_properties.title == "Article 3"
    assert "{{" not in document.element.xml.replace("{{ injection }}", "")


def test_static_core_properties_and_reproducible_bytes(tmp_path: Path) -> None:
    path = build_template(tmp_path / "fixe.docx", core_title="Titre fixe")
    fast = fastrender.FastTemplate(path, env())
    assert fast.render_parts(context(2)) == plain_parts(path, context(2))
    assert fast.render_bytes(context(2)) == fast.render_bytes(context(2))
    assert zipfile.ZipFile(io.BytesIO(fast.render_bytes(context(2)))).testzip() is None


def test_cached_per_process_and_reloaded_when_edited(template: Path) -> None:
    environment = env()
    first = fastrender.get_template(template, environment)
    assert fastrender.get_template(template, environment) is first
    build_template(template, core_title="Autre {{ lot.numero }}")
    second = fastrender.get_template(template, environment)
    assert second is not first
    assert parts_of(second.render_bytes(context(1)))["docProps/core.xml"].count(b"Autre 1") == 1


def test_missing_variable_raises_with_docx_context(template: Path) -> None:
    fast = fastrender.FastTemplate(template, env())
    ctx = context(1)
    del ctx["note"]
    with pytest.raises(UndefinedError) as info:
        fast.render_bytes(ctx)
    assert any("Observations" in line for line in info.value.docx_context)


def with_footnote(template: Path, target: Path, text: bytes) -> Path:
    """A copy of ``template`` with a footnotes part holding ``text``."""
    source = zipfile.ZipFile(template)
    footnotes = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 b'<w:footnote w:id="1"><w:p><w:r><w:t>' + text + b'</w:t></w:r></w:p></w:footnote>'
                 b'</w:footnotes>')
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                    b'footnotes+xml"/></Types>')
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes.xml"/></Relationships>')
            out.writestr(info, data)
        out.writestr("word/footnotes.xml", footnotes)
    return target


def test_templated_footnotes_are_refused(tmp_path: Path, template: Path) -> None:
    with pytest.raises(fastrender.Unsupported):
        fastrender.FastTemplate(with_footnote(template, tmp_path / "notes.docx", b"{{ note }}"), env())


def test_static_footnotes_match_docxtpl(tmp_path: Path, template: Path) -> None:
    path = with_footnote(template, tmp_path / "notes.docx", "Source : décret n° 2026-1 &amp; arrêté".encode())
    fast = fastrender.FastTemplate(path, env())
    assert fast.render_parts(context(5)) == plain_parts(path, context(5))
    assert b"d\xc3\xa9cret" in fast.render_parts(context(5))["word/footnotes.xml"]


def test_render_file_with_annotation_matches_plain_docxtpl(template: Path, tmp_path: Path) -> None:
    def annotate(document) -> None:
        paragraph = document.paragraphs[1]
        document.add_comment(paragraph.runs, text="Base légale : L2112-2", author="drafter", initials="DR")

    environment = env()
    fastrender.render_file(template, context(4), tmp_path / "fast.docx", env=environment, annotate=annotate)
    plain = fastrender.DocxTemplate(str(template))
    plain.render(context(4), jinja_env=environment, autoescape=True)
    annotate(plain.docx)
    plain.save(str(tmp_path / "plain.docx"))
    fast_doc, plain_doc = docx.Document(tmp_path / "fast.docx"), docx.Document(tmp_path / "plain.docx")
    assert [p.text for p in fast_doc.paragraphs] == [p.text for p in plain_doc.paragraphs]
    assert [c.text for c in fast_doc.comments] == [c.text for c in plain_doc.comments] == ["Base légale : L2112-2"]


def test_render_file_falls_back_to_docxtpl_for_unsupported_templates(tmp_path: Path, template: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path, environment):
        raise fastrender.Unsupported("test")

    monkeypatch.setattr(fastrender, "get_template", refuse)
    target = tmp_path / "out.docx"
    fastrender.render_file(template, context(2), target, env=env())
    assert parts_of(target.read_bytes()) == plain_parts(template, context(2))


def test_bundled_templates_on_every_example_give_plain_docxtpl_parts(examples: Path) -> None:
    import datetime as dt

    from drafter.app.analyse import analyse
    from drafter.documents.plan import plan
    from drafter.documents.render import ENV
    from drafter.documents.templates_set import template_paths
    from drafter.present.context import build_context

    templates = template_paths(None)
    checked = 0
    for profile in sorted(examples.glob("*.yaml")):
        ctx = build_context(analyse(profile, today=dt.date(2026, 11, 25)), revue=True)
        for doc in plan(ctx):
            variables = ctx.for_document(**doc.extra)
            fast = fastrender.get_template(templates[doc.template], ENV)
            assert fast._splice is not None
            buffer = io.BytesIO()
            fastrender.plain_render(templates[doc.template], variables, ENV, buffer)
            assert fast.render_parts(variables) == parts_of(buffer.getvalue()), (profile.name, doc.fichier)
            checked += 1
    assert checked >= 30  # every planned document of every example


@pytest.mark.parametrize(("columns", "header"), [(1, True), (5, True), (1, False), (3, False)])
def test_table_grid_fixes_match_docxtpl(tmp_path: Path, columns: int, header: bool) -> None:
    """Column loops ({%tc %}) make docxtpl widen or narrow the table grid: same result."""
    document = docx.Document()
    table = document.add_table(rows=2 if header else 1, cols=3)
    if header:
        table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "A", "B", "C"
    row = table.rows[-1].cells
    row[0].text, row[1].text, row[2].text = "{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"
    document.add_paragraph("Fin")
    path = tmp_path / "colonnes.docx"
    document.save(path)
    ctx = {"cols": [f"col {i}" for i in range(columns)]}
    fast = fastrender.FastTemplate(path, env()).render_parts(ctx)
    assert fast == plain_parts(path, ctx)
    grid = fast["word/document.xml"].count(b"<w:gridCol ")
    assert grid == (max(3, columns) if header else columns)


def test_table_checks_are_decided_once_per_template(tmp_path: Path, template: Path) -> None:
    """No {%tc %}, uniform tables with a row always rendered: no per-document table checks
    (every bundled template); a column loop, or a table made only of looped rows, keeps them."""
    from drafter.documents.render import ENV
    from drafter.documents.templates_set import template_paths

    assert fastrender.FastTemplate(template, env())._fix_tables is False
    assert {name: fastrender.get_template(path, ENV)._fix_tables
            for name, path in template_paths(None).items()} == dict.fromkeys(template_paths(None), False)
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for l in lignes %}"
    table.cell(1, 0).text, table.cell(1, 1).text = "{{ l.lot }}", "{{ l.heures }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    looped = tmp_path / "boucle.docx"
    document.save(looped)
    fast = fastrender.FastTemplate(looped, env())
    assert fast._fix_tables is True
    for lines in ([], [{"lot": 1, "heures": 10}]):
        assert fast.render_parts({"lignes": lines}) == plain_parts(looped, {"lignes": lines})
    assert b"<w:gridCol" not in fast.render_parts({"lignes": []})["word/document.xml"]
