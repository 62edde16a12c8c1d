"""``drafter generate`` as a library function: one analysed market → its folder of documents.

:func:`generate` is what the CLI, the wizard and bulk mode call. Everything is written in a
temporary folder next to the target, then moved into place in one rename: a failure leaves
nothing behind, and an existing folder is replaced only with ``force`` (SPEC §7).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from drafter.app.analyse import Analysis
from drafter.documents import pdf as pdf_tools
from drafter.documents.comments import annotator
from drafter.documents.plan import plan
from drafter.documents.render import render_document
from drafter.documents.templates_set import BUNDLED, TEMPLATES, check_template, template_paths
from drafter.documents.workbook import lot_rows, write_synthese
from drafter.domain.naming import safe_name
from drafter.errors import OutputError
from drafter.present.context import Context, build_context
from drafter.present.explain import decision_json, dumps


class TemplateSetError(OutputError):
    """Edited templates (``--modeles``) use variables the context does not provide (exit 2)."""


@dataclass(frozen=True)
class GeneratedDocument:
    type: str
    fichier: str
    lots: tuple[int, ...]
    format: str

    def as_json(self) -> dict:
        return {"type": self.type, "fichier": self.fichier, "lots": list(self.lots), "format": self.format}


@dataclass(frozen=True)
class GenerationResult:
    folder: Path
    documents: tuple[GeneratedDocument, ...]


def output_folder(out_dir: str | Path, analysis: Analysis) -> Path:
    """``out_dir/<slug of the market reference>``: one safe path component, never outside ``out_dir``."""
    return Path(out_dir) / safe_name(analysis.profile.market.reference)


def checked_templates(templates_dir: str | Path | None) -> dict[str, Path]:
    """The templates to use; edited ones (``--modeles``) are checked first, so a bad set writes nothing."""
    paths = template_paths(templates_dir)
    findings = [f for name, path in paths.items() if path.parent != BUNDLED
                for f in check_template(path, TEMPLATES[name])]
    if findings:
        raise TemplateSetError([f.problem(templates_dir or "") for f in findings])
    return paths


def generate(analysis: Analysis, out_dir: str | Path = "output", *, revue: bool = False, force: bool = False,
             pdf: bool = False, templates_dir: str | Path | None = None,
             templates: dict[str, Path] | None = None, context: Context | None = None,
             rendered: Mapping[str, Path] | None = None) -> GenerationResult:
    """Write every document of ``analysis`` into ``out_dir/<slug>/`` (see the module docstring).

    Bulk mode passes what it already has: the checked ``templates``, the market's ``context``
    and the documents its worker processes ``rendered`` (file name → staged file), which are
    moved into place instead of being rendered again.
    """
    target = output_folder(out_dir, analysis)
    if target.exists() and not (force and target.is_dir()):
        what = "Le dossier" if target.is_dir() else "Le chemin"
        hint = "ajoutez --force pour le remplacer" if target.is_dir() else "ce n'est pas un dossier : choisissez un autre -o"
        raise OutputError(f"{what} « {target} » existe déjà : {hint}. Rien n'a été écrit.")
    if pdf:
        pdf_tools.require()
    templates = templates if templates is not None else checked_templates(templates_dir)
    ctx = context if context is not None else build_context(analysis, revue=revue)
    annotate = annotator(ctx.notes)
    rendered = rendered or {}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"impossible d'écrire dans « {target.parent} » : {exc.strerror or exc}.") from None
    try:
        documents = []
        for doc in plan(ctx):
            staged = rendered.get(doc.fichier)
            if staged is not None and staged.is_file():
                os.replace(staged, work / doc.fichier)
            else:
                render_document(templates[doc.template], ctx.for_document(**doc.extra), work / doc.fichier,
                                annotate=annotate)
            documents.append(GeneratedDocument(doc.type, doc.fichier, doc.lots, "docx"))
        if pdf:
            for pdf_file, doc in zip(pdf_tools.convert([work / d.fichier for d in documents], work), list(documents)):
                documents.append(GeneratedDocument(doc.type, pdf_file.name, doc.lots, "pdf"))
        lots = tuple(lot.numero for lot in analysis.decision.lots)
        if len(lots) > 1:
            write_synthese(lot_rows(analysis), work / "synthese.xlsx", title=analysis.profile.market.reference)
            documents.append(GeneratedDocument("synthese", "synthese.xlsx", lots, "xlsx"))
        manifest = decision_json(analysis.decision, analysis.profile)
        manifest["documents"] = [d.as_json() for d in documents]
        (work / "manifest.json").write_text(dumps(manifest), encoding="utf-8")
        _move_into_place(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return GenerationResult(target, tuple(documents))


def _move_into_place(work: Path, target: Path) -> None:
    """Replace ``target`` by ``work`` with renames only (the old folder is removed last)."""
    if not target.exists():
        work.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        work.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)

