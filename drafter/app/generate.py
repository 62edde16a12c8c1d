"""``drafter generate`` as a use case: one analysed market → its documents.

Three steps, each usable alone: :func:`plan` (which documents, from the template context),
:func:`render` (each planned document to .docx bytes), :func:`assemble` (PDF conversions,
summary workbook, manifest) give a :class:`Bundle` held in memory (file name → bytes), which
:func:`generate` writes atomically into ``out_dir/<slug>/`` (:mod:`drafter.documents.output`).
A future web page would serve the same bundle.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from drafter.app.analyse import Analysis
from drafter.documents import output
from drafter.documents import pdf as pdf_tools
from drafter.documents.comments import annotator
from drafter.documents.plan import Planned, plan
from drafter.documents.render import render_document
from drafter.documents.templates_set import BUNDLED, TEMPLATES, check_template, template_paths
from drafter.documents.workbook import lot_rows, workbook_bytes
from drafter.domain import fmt
from drafter.domain.naming import safe_name
from drafter.domain.profile import Mechanism
from drafter.errors import OutputError
from drafter.present.context import Context, build_context, lots_list
from drafter.present.explain import decision_json, dumps_bytes

SUMMARY = "synthese.xlsx"
DEFAULT_OUTPUT = "output"
MANIFEST = "manifest.json"
REVIEW_DIR = "relecture"  # --revue: the commented copies; the pieces beside the manifest stay clean
CLEAN, REVIEW = "propre", "relecture"


class TemplateSetError(OutputError):
    """Edited templates (``--modeles``) use variables the context does not provide (exit 2)."""


@dataclass(frozen=True)
class GeneratedDocument:
    """One written file; ``copie`` says whether it is the clean piece (``propre``: to publish or
    paste) or its commented review copy (``relecture``, in ``relecture/``)."""

    type: str
    fichier: str
    lots: tuple[int, ...]
    format: str
    copie: str = CLEAN

    def as_json(self) -> dict:
        return {
            "type": self.type,
            "fichier": self.fichier,
            "lots": list(self.lots),
            "format": self.format,
            "copie": self.copie,
        }


@dataclass(frozen=True)
class Bundle:
    """Every file of one market, in memory: ``files`` (name → bytes, manifest last) and the
    documents the manifest lists."""

    files: dict[str, bytes]
    documents: tuple[GeneratedDocument, ...]


@dataclass(frozen=True)
class GenerationResult:
    """What was written; ``no_clause`` holds, when no lot keeps a clause (only the note is
    written), the reason of each lot, for the front ends to say why."""

    folder: Path
    documents: tuple[GeneratedDocument, ...]
    no_clause: tuple[str, ...] = ()


def no_clause_reasons(analysis: Analysis) -> tuple[str, ...]:
    """The last step of each lot's trail when no lot has a social mechanism (else empty)."""
    lots = analysis.decision.lots
    if any(lot.dispositif is not Mechanism.NONE for lot in lots):
        return ()
    several = len(lots) > 1
    return tuple(
        (f"lot n° {lot.numero} : " if several else "") + (lot.trace[-1].texte if lot.trace else "") for lot in lots
    )


def output_folder(out_dir: str | Path, analysis: Analysis) -> Path:
    """``out_dir/<slug of the market reference>``: one safe path component, never outside ``out_dir``."""
    return Path(out_dir) / safe_name(analysis.profile.market.reference)


def checked_templates(templates_dir: str | Path | None) -> dict[str, Path]:
    """The templates to use; edited ones (``--modeles``) are checked first, so a bad set writes nothing."""
    paths = template_paths(templates_dir)
    findings = [
        f for name, path in paths.items() if path.parent != BUNDLED for f in check_template(path, TEMPLATES[name])
    ]
    if findings:
        raise TemplateSetError([f.problem(templates_dir or "") for f in findings])
    return paths


def render(ctx: Context, planned: list[Planned], templates: Mapping[str, Path]) -> dict[str, bytes]:
    """Each planned document rendered to .docx bytes (with ``--revue`` comments when the context has notes)."""
    annotate = annotator(ctx.notes)
    return {
        doc.fichier: render_document(templates[doc.template], ctx.for_document(**doc.extra), annotate=annotate)
        for doc in planned
    }


def assemble(
    analysis: Analysis,
    planned: list[Planned],
    rendered: Mapping[str, bytes],
    *,
    pdf: bool = False,
    reviewed: Mapping[str, bytes] | None = None,
) -> Bundle:
    """The market's bundle: clean documents, their PDF (``pdf``), the commented copies
    (``reviewed``, written in ``relecture/``), the summary, the manifest."""
    files = dict(rendered)
    documents = [GeneratedDocument(doc.type, doc.fichier, doc.lots, "docx") for doc in planned]
    if pdf:
        for name, data, doc in _converted(files, list(documents)):
            files[name] = data
            documents.append(GeneratedDocument(doc.type, name, doc.lots, "pdf"))
    for piece in planned:
        if reviewed is None:
            break
        name = f"{REVIEW_DIR}/{piece.fichier}"
        files[name] = reviewed[piece.fichier]
        documents.append(GeneratedDocument(piece.type, name, piece.lots, "docx", REVIEW))
    lots = tuple(lot.numero for lot in analysis.decision.lots)
    if len(lots) > 1:
        created = dt.datetime.combine(analysis.decision.date_reference, dt.time())  # reproducible bytes
        files[SUMMARY] = workbook_bytes(lot_rows(analysis), title=analysis.profile.market.reference, created=created)
        documents.append(GeneratedDocument("synthese", SUMMARY, lots, "xlsx"))
    manifest = decision_json(analysis.decision, analysis.profile)
    manifest["documents"] = [d.as_json() for d in documents]
    files[MANIFEST] = dumps_bytes(manifest)
    return Bundle(files, tuple(documents))


def _converted(
    files: dict[str, bytes], documents: list[GeneratedDocument]
) -> list[tuple[str, bytes, GeneratedDocument]]:
    """PDF of every .docx, converted by LibreOffice in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as tmp:
        folder = Path(tmp)
        paths = []
        for doc in documents:
            (folder / doc.fichier).write_bytes(files[doc.fichier])
            paths.append(folder / doc.fichier)
        pdfs = pdf_tools.convert(paths, folder)
        return [(p.name, p.read_bytes(), doc) for p, doc in zip(pdfs, documents, strict=True)]


def build(
    analysis: Analysis,
    *,
    revue: bool = False,
    pdf: bool = False,
    templates: Mapping[str, Path],
    context: Context | None = None,
    rendered: Mapping[str, bytes] | None = None,
) -> Bundle:
    """plan → render → assemble; ``context`` and ``rendered`` let bulk pass what its workers made.

    With ``revue``, the rendered documents carry the review comments and become the copies of
    ``relecture/``; the clean pieces are rendered again from a context without review markers.
    """
    ctx = context if context is not None else build_context(analysis, revue=revue)
    planned = plan(ctx)
    done = dict(rendered or {})
    missing = [doc for doc in planned if doc.fichier not in done]
    done.update(render(ctx, missing, templates))
    first = {doc.fichier: done[doc.fichier] for doc in planned}
    if not (revue or ctx.notes):
        return assemble(analysis, planned, first, pdf=pdf)
    clean = render(build_context(analysis, revue=False), planned, templates)
    return assemble(analysis, planned, clean, pdf=pdf, reviewed=first)


def generate(
    analysis: Analysis,
    out_dir: str | Path = "output",
    *,
    revue: bool = False,
    force: bool = False,
    pdf: bool = False,
    templates_dir: str | Path | None = None,
    templates: Mapping[str, Path] | None = None,
    context: Context | None = None,
    rendered: Mapping[str, bytes] | None = None,
) -> GenerationResult:
    """Write every document of ``analysis`` into ``out_dir/<slug>/``; nothing is written on error."""
    target = output_folder(out_dir, analysis)
    output.check_target(target, force)
    if pdf:
        pdf_tools.require()
    templates = templates if templates is not None else checked_templates(templates_dir)
    bundle = build(analysis, revue=revue, pdf=pdf, templates=templates, context=context, rendered=rendered)
    output.write_folder(target, bundle.files, force=force)
    return GenerationResult(target, bundle.documents, no_clause_reasons(analysis))


def written_lines(result: GenerationResult, *, several: bool, elapsed: float) -> list[str]:
    """What every front end prints after a generation: the folder, then one line per file."""
    lines = [f"{len(result.documents)} pièce(s) écrite(s) dans {result.folder}/ en {fmt.seconds(elapsed)} s :"]
    if any(d.copie == REVIEW for d in result.documents):
        lines[0] = lines[0][:-2] + f" (pièces propres à diffuser ; copies commentées dans {REVIEW_DIR}/) :"
    for document in result.documents:
        lots = lots_list([str(n) for n in document.lots], sep=" ") if several else ""
        lines.append(f"  {document.fichier}" + (f" ({lots})" if lots else ""))
    lines.append(f"  {MANIFEST}")
    if result.no_clause:
        lines.append(
            "Aucune clause sociale n'est retenue : seule la note de calcul est écrite (ni article de CCAP "
            "ou de RC, ni engagement, ni convention). Motif :"
        )
        lines.extend(f"  {reason}" for reason in result.no_clause)
    return lines
