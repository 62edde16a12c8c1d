"""Where templates come from (bundled or ``--modeles``) and how an edited set is checked.

The bundled templates are package data in ``drafter/templates/``. ``--modeles DOSSIER``
overrides them file by file: a template present in the folder replaces the bundled one of
the same name, the others stay bundled. :func:`check_template` reads a template as
docxtpl will render it and reports, with the surrounding text, every variable or field the
context does not provide (:mod:`drafter.variables`) and every Jinja syntax error.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from drafter.documents.render import ENV, render_document
from drafter.errors import Problem, RenderError
from drafter.inputs.archive import TEMPLATE, archive_problem
from drafter.present.variables import TEMPLATES, TemplateSpec, Var

BUNDLED = Path(__file__).resolve().parent / "templates"


def bundled() -> dict[str, Path]:
    return {name: BUNDLED / spec.file for name, spec in TEMPLATES.items()}


def template_paths(modeles: str | Path | None) -> dict[str, Path]:
    """The template of each kind: from ``modeles`` when the folder has it, else bundled."""
    paths = bundled()
    if modeles:
        for name, spec in TEMPLATES.items():
            candidate = Path(modeles) / spec.file
            if candidate.is_file():
                paths[name] = candidate
    return paths


@dataclass(frozen=True)
class Finding:
    template: str
    message: str

    def problem(self, folder: str | Path) -> Problem:
        """The finding as a located French problem (``DOSSIER/modele.docx — …``)."""
        return Problem(self.message, file=str(Path(folder) / self.template))


def template_source(path: Path) -> list[tuple[str, str]]:
    """(part, patched XML) of every templated part, as docxtpl renders them."""
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    parts = [("corps", tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts += [(str(part.partname), tpl.get_part_xml(part)) for _, part in tpl.get_headers_footers(uri)]
    return [(label, re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))) for label, xml in parts]


def _text(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip()


class _Checker:
    """Walks a Jinja syntax tree, resolving names and fields against the variables."""

    def __init__(self, variables: dict[str, Var], lines: list[str]):
        self.variables = variables
        self.lines = lines
        self.unknown: dict[str, int] = {}

    def report(self, name: str, lineno: int) -> None:
        self.unknown.setdefault(name, lineno)

    def resolve(self, node: nodes.Node, scope: dict[str, Var | None]) -> tuple[str, Var | None] | None:
        """(dotted name, variable) of a Name/Getattr/Getitem chain; None when not a chain."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return node.name, scope[node.name]
            if node.name in self.variables:
                return node.name, self.variables[node.name]
            self.report(node.name, node.lineno)
            return node.name, None
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.visit(node.arg, scope)
            base = self.resolve(node.node, scope)
            if base is None:
                self.visit(node.node, scope)
                return None
            name, var = base
            if var is None:
                return name, None
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if var.kind == "liste" and isinstance(key, int):
                return f"{name}[{key}]", var.item
            if var.kind == "objet" and key in var.fields:
                return f"{name}.{key}", var.fields[key]
            self.report(f"{name}.{key}", node.lineno)
            return f"{name}.{key}", None
        return None

    def visit(self, node: nodes.Node, scope: dict[str, Var | None]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            resolved = self.resolve(node.iter, scope)
            item = resolved[1].item if resolved and resolved[1] is not None and resolved[1].kind == "liste" else None
            inner = dict(scope, loop=None)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            else:  # unpacking: names of unknown shape
                inner.update((target.name, None) for target in node.target.find_all(nodes.Name))
            for child in node.body + node.else_:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return
        if isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            for target in node.target.find_all(nodes.Name):
                scope[target.name] = None
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def findings(self, template: str, label: str) -> list[Finding]:
        out = []
        for name, lineno in self.unknown.items():
            around = _text(self.lines[lineno - 1]) if 0 < lineno <= len(self.lines) else ""
            where = f" ({label})" if label != "corps" else ""
            out.append(Finding(template, f"variable inconnue « {name} »{where}, dans le texte « {around[:200]} ». "
                                         "Variables disponibles : drafter templates export (fichier "
                                         "variables-des-modeles.md)."))
        return out


_FORBIDDEN = {
    nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}", nodes.Macro: "{% macro %}", nodes.CallBlock: "{% call %}",
}


def _forbidden(tree: nodes.Template) -> list[str]:
    """Tags a drafter template may not use: it is self-contained and its loops are plain."""
    found = [tag for kind, tag in _FORBIDDEN.items() if any(True for _ in tree.find_all(kind))]
    if any(loop.recursive for loop in tree.find_all(nodes.For)):
        found.append("{% for … recursive %}")
    return found


def _unreadable(path: Path) -> str | None:
    if path.is_symlink():
        return "lien symbolique : placez le fichier lui-même dans le dossier des modèles"
    problem = archive_problem(path, TEMPLATE, what="document Word (.docx)", required="word/document.xml")
    return problem


def check_template(path: Path, spec: TemplateSpec) -> list[Finding]:
    """Every problem of one template: unreadable file, Jinja syntax, unknown variables or fields,
    forbidden tags, then a trial render (what generate runs) within the sandbox's bounds."""
    problem = _unreadable(path)
    if problem:
        return [Finding(path.name, problem + ".")]
    try:
        sources = template_source(path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, etree.LxmlError):
        return [Finding(path.name, "fichier illisible comme document Word (.docx) : contenu XML invalide.")]
    findings: list[Finding] = []
    for label, xml in sources:
        lines = xml.splitlines()
        try:
            tree = ENV.parse(xml)
        except TemplateSyntaxError as exc:
            around = _text(lines[exc.lineno - 1]) if exc.lineno and exc.lineno <= len(lines) else ""
            findings.append(Finding(path.name, f"balise incorrecte : {exc.message}, dans le texte « {around[:200]} »."))
            continue
        findings += [Finding(path.name, f"balise {tag} non admise : un modèle drafter est autonome et n'utilise "
                                        "que des variables, des conditions et des boucles simples.")
                     for tag in _forbidden(tree)]
        checker = _Checker(spec.variables(), lines)
        checker.visit(tree, {})
        findings += checker.findings(path.name, label)
    return findings or _trial_render(path, spec)


def sample_context(spec: TemplateSpec) -> dict:
    """A context of the contract's shape (texts, yes, two items per list) for a trial render."""
    return {name: _sample(var) for name, var in spec.variables().items()}


def _sample(var: Var):
    if var.kind == "objet":
        return {name: _sample(field) for name, field in var.fields.items()}
    if var.kind == "liste":
        return [_sample(var.item), _sample(var.item)] if var.item is not None else []
    if var.kind == "booleen":
        return True
    return "texte d'exemple"


def _trial_render(path: Path, spec: TemplateSpec) -> list[Finding]:
    """Render as generate does, with a sample context: resource bounds and runtime errors show here."""
    try:
        render_document(path, sample_context(spec))
    except RenderError as exc:
        message = exc.problems[0].message.removeprefix(f"modèle « {path.name} » : ")
        return [Finding(path.name, message.removesuffix(" Corrigez le modèle (drafter templates check) puis "
                                                        "relancez."))]
    except RecursionError:
        return [Finding(path.name, "modèle refusé : imbrication trop profonde à l'exécution.")]
    return []


def check_folder(folder: Path) -> tuple[list[str], list[str], list[Finding]]:
    """(templates checked, unknown .docx ignored, findings) for an edited set."""
    checked, ignored, findings = [], [], []
    for path in sorted(folder.glob("*.docx")):
        spec = next((s for s in TEMPLATES.values() if s.file == path.name), None)
        if spec is None:
            ignored.append(path.name)
            continue
        checked.append(path.name)
        findings += check_template(path, spec)
    return checked, ignored, findings
