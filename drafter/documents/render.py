"""The only place documents are rendered: one Jinja environment, one small render function.

Every render goes through :func:`render_document`: load the template, render it with a
context, optionally annotate the rendered document (``--revue`` comments), save. Keep it
that way: bulk mode caches compiled templates by replacing the body of this function
(see :mod:`drafter.fastrender`), and every caller benefits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from drafter.documents import fastrender
from drafter.errors import RenderError


def make_env() -> SandboxedEnvironment:
    """Sandboxed (profile values are data), strict (a misspelt variable is an error, never a
    blank in a legal clause), autoescaped (``& <`` would otherwise truncate the document)."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


ENV = make_env()


def template_error(template: Path, exc: TemplateError) -> RenderError:
    """A French message naming the template and the text around the faulty tag."""
    around = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
    message = f"modèle « {template.name} » : {exc.message or exc}"
    if around:
        message += f" (texte autour : « {around[:300]} »)"
    return RenderError(message + ". Corrigez le modèle (drafter templates check) puis relancez.")


def render_document(template: Path, context: dict[str, Any], target: Path, *,
                    env: SandboxedEnvironment = ENV,
                    annotate: Callable[[DocxDocument], None] | None = None) -> None:
    """Load ``template``, render it with ``context``, annotate it if asked, save it to ``target``.

    Goes through :func:`drafter.fastrender.render_file`: same parts as plain docxtpl, with the
    template patched and compiled once per process (tech-notes §2.5).
    """
    try:
        fastrender.render_file(template, context, target, env=env, annotate=annotate)
    except TemplateError as exc:
        raise template_error(template, exc) from exc
