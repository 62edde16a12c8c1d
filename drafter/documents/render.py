"""The only place documents are rendered: one Jinja environment, one small render function.

Every render goes through :func:`render_document`: load the template, render it with a
context, optionally annotate the rendered document (``--revue`` comments), return the bytes.
The fast path (:mod:`drafter.documents.fastrender`) patches and compiles each template once
per process, so every caller (generate, bulk workers) benefits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from drafter.documents import fastrender
from drafter.documents.sandbox import make_env
from drafter.errors import RenderError

ENV = make_env()


class TemplateLimitError(RenderError):
    """An edited template exceeds the resource bounds of the sandbox: bad input (exit 2)."""

    exit_code = 2


def template_error(template: Path, exc: TemplateError) -> RenderError:
    """A French message naming the template and the text around the faulty tag."""
    around = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
    message = f"modèle « {template.name} » : {exc.message or exc}"
    if around:
        message += f" (texte autour : « {around[:300]} »)"
    kind = TemplateLimitError if isinstance(exc, SecurityError) else RenderError
    return kind(message + ". Corrigez le modèle (drafter templates check) puis relancez.")


def render_document(template: Path, context: dict[str, Any], *, env: SandboxedEnvironment = ENV,
                    annotate: Callable[[DocxDocument], None] | None = None) -> bytes:
    """Render ``template`` with ``context``, annotate it if asked; the .docx bytes.

    Goes through :func:`drafter.documents.fastrender.render`: same parts as plain docxtpl, with
    the template patched and compiled once per process (tech-notes §2.5).
    """
    try:
        return fastrender.render(template, context, env=env, annotate=annotate)
    except TemplateError as exc:
        raise template_error(template, exc) from exc
