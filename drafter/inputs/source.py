"""Safe YAML reading with positions.

The only place where YAML text becomes Python data. It enforces the limits of SPEC §7
(size, alias expansion, nesting), keeps floats exact (``Decimal``), refuses duplicate
keys, and records the line and column of every key and value so that any later error
can point at ``fichier:ligne:colonne``.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import yaml

from drafter.domain import fmt
from drafter.errors import Problem, ProfileError, shown
from drafter.inputs.yaml_text import (
    NON_PRINTABLE,
    XML_FORBIDDEN,
    codepoint,
    line_column,
    yaml_problem_fr,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_DEPTH = 64
MAX_EVENTS = 500_000  # ≈ 250 000 keys and values: 5 000 lots of 20 fields fit

_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in
                        ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))

PathKey = tuple[str | int, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml when available) whose floats are exact decimals."""


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text  # .inf / .nan: left as text, validation reports it
    return value if value.is_finite() else text


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return str(node.value)  # e.g. 2027-13-01: left as text, validation reports it


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more than 4 300 digits: kept exact, the number parser bounds it
        text = str(node.value).replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return text


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class Located(Protocol):
    """What validation needs of an input: its name, its data and a way to locate a problem in it
    (:class:`Source` for YAML, ``SheetSource`` for spreadsheet rows)."""

    path: str
    data: dict[str, Any]

    def problem(self, loc: PathKey, message: str, *, key: bool = False) -> Problem: ...


@dataclass
class Source:
    """Parsed YAML data plus where each path sits in the file."""

    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of a path, or of its nearest existing parent."""
        table = self.key_positions if key else self.positions
        probe = tuple(loc)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (None, None))

    def problem(self, loc: PathKey, message: str, *, key: bool = False) -> Problem:
        """A Problem located at ``loc`` in this file."""
        line, column = self.locate(loc, key=key)
        return Problem(message, self.path, line, column, format_path(loc) or None)


def format_path(loc: PathKey) -> str:
    """``("lots", 0, "montant_estime_ht")`` → ``lots[1].montant_estime_ht`` (lots counted from 1)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fail(path: str, message: str, line: int | None = None, column: int | None = None) -> ProfileError:
    return ProfileError(Problem(message, path, line, column))


def read_yaml(path: str | Path, *, what: str = "profil",
              max_items: dict[str, tuple[int, str]] | None = None) -> Source:
    """Read a YAML mapping from ``path`` with every check of SPEC §7, or raise ProfileError."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise _fail(name, f"fichier introuvable. Vérifiez le chemin du {what}.")
    if p.is_dir():
        raise _fail(name, f"c'est un dossier, pas un fichier de {what} YAML.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise _fail(
            name,
            f"fichier trop volumineux ({fmt.number(Decimal(size) / 1024 / 1024, 1)} Mo ; maximum 5 Mo). "
            "Découpez-le en plusieurs profils.",
        )
    raw = p.read_bytes()
    return parse_yaml(raw, name, what=what, max_items=max_items)


def parse_yaml(raw: bytes, name: str, *, what: str = "profil",
               max_items: dict[str, tuple[int, str]] | None = None) -> Source:
    """Parse YAML bytes (see :func:`read_yaml`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(
            name,
            f"le fichier n'est pas encodé en UTF-8 (octet 0x{raw[exc.start]:02x} illisible). "
            "Enregistrez-le en UTF-8 (dans votre éditeur : « Enregistrer sous… », encodage UTF-8).",
            line,
            column,
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise _fail(name, f"le fichier est vide : aucun {what} à lire.")
    _check_characters(text, name)
    source = _compose(text, name, what, max_items or {})
    if not isinstance(source.data, dict):
        raise _fail(
            name,
            f"le {what} doit être un ensemble de clés (« version: 1 », « acheteur: … »), "
            f"pas {_kind(source.data)}.",
            1,
            1,
        )
    return source


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building 100 000 nodes with the collector on is quadratic (7 s); the trees have no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compose(text: str, name: str, what: str, max_items: dict[str, tuple[int, str]]) -> Source:
    """YAML text → node tree (depth, size and tags checked) → Python data with positions."""
    with _gc_paused():
        return _compose_nodes(text, name, what, max_items)


def _compose_nodes(text: str, name: str, what: str, max_items: dict[str, tuple[int, str]]) -> Source:
    loader = _Loader(text)
    try:
        try:
            has_alias = _check_depth(loader, name)
            loader.dispose()
            loader = _Loader(text)
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            detail = yaml_problem_fr(exc.problem or "")
            hint = "" if detail.startswith(("séquence", "caractère d'échappement")) else (
                " Vérifiez l'indentation (espaces, pas de tabulations), les deux-points et les guillemets.")
            raise _fail(
                name,
                f"syntaxe YAML invalide : {detail}.{hint}",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            ) from None
        except yaml.YAMLError:
            raise _fail(name, "syntaxe YAML invalide : le fichier ne peut pas être lu comme du YAML.") from None
        if node is None:
            raise _fail(name, f"le fichier est vide : aucun {what} à lire.")
        _check_counts(node, name, max_items)
        if has_alias:  # without aliases the tree is no bigger than the file
            _check_expansion(node, name)
        source = Source(name, None)
        _walk(node, (), source, name)
        try:
            source.data = loader.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            raise _fail(
                name,
                "valeur YAML non reconnue.",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            ) from None
    finally:
        loader.dispose()
    return source


def _check_characters(text: str, name: str) -> None:
    """Refuse a control character written in the file itself, with its line and column."""
    found = NON_PRINTABLE.search(text)
    if found:
        raise _fail(name, f"caractère de contrôle interdit ({codepoint(found.group())}) : retirez-le "
                    "(il provient souvent d'un copier-coller).", *line_column(text, found.start()))


def _check_depth(loader: yaml.SafeLoader, name: str) -> bool:
    """Refuse nesting deeper than MAX_DEPTH from the event stream (before building any tree).

    Returns whether the file uses aliases (only then can expansion make it bigger than it is)."""
    depth, has_alias, count = 0, False, 0
    while loader.check_event():
        event = loader.get_event()
        count += 1
        if count > MAX_EVENTS:
            raise _fail(name, f"trop d'éléments dans le fichier (plus de {fmt.number(MAX_EVENTS // 2)} "
                        "clés et valeurs) : fichier refusé.", *_where(event))
        if isinstance(event, yaml.AliasEvent):
            has_alias = True
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _fail(name, f"structure YAML trop profondément imbriquée (plus de {MAX_DEPTH} "
                            "niveaux) : fichier refusé.", *_where(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return has_alias


def _where(event: yaml.Event) -> tuple[int | None, int | None]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, str):
        return "un texte"
    return "une valeur seule"


def _check_counts(root: yaml.Node, name: str, max_items: dict[str, tuple[int, str]]) -> None:
    """Refuse early a top-level list longer than allowed (before any costly work)."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        limit = max_items.get(str(getattr(key_node, "value", "")))
        if limit and isinstance(value_node, yaml.SequenceNode) and len(value_node.value) > limit[0]:
            raise _fail(name, f"{key_node.value} : " + limit[1].format(count=len(value_node.value)),
                        key_node.start_mark.line + 1, key_node.start_mark.column + 1)


def _check_expansion(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs and self-containing aliases: count nodes as aliases would expand them."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the current depth-first path: a child found here is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not done:
            open_nodes.add(id(node))
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise _fail(name, "alias (*nom) qui se contient lui-même : une ancre (&nom) ne peut pas "
                                "être utilisée à l'intérieur de sa propre valeur.",
                                node.start_mark.line + 1, node.start_mark.column + 1)
                if id(child) not in sizes:
                    stack.append((child, False))
            continue
        open_nodes.discard(id(node))
        total = 1 + sum(sizes.get(id(c), 0) for c in children)
        if total > MAX_NODES:
            raise _fail(
                name,
                "structure YAML trop volumineuse une fois les alias (&ancre / *alias) développés "
                f"(plus de {MAX_NODES:,} éléments) : fichier refusé.".replace(",", " "),
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        sizes[id(node)] = total


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_node(node: yaml.Node, name: str) -> None:
    """Only plain YAML values (no ``!!python/…`` or custom tags), and XML-compatible text."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _fail(name, f"étiquette YAML « {shown(tag, 60)} » non admise : seuls les textes, nombres, "
                    "dates, listes et rubriques sont admis.", line, column)
    if isinstance(node, yaml.ScalarNode):
        found = XML_FORBIDDEN.search(node.value)
        if found:
            raise _fail(name, f"caractère interdit ({codepoint(found.group())}) dans cette valeur : il ne "
                        "peut pas figurer dans un document Word ou un tableur ; retirez-le.", line, column)


def _walk(node: yaml.Node, loc: PathKey, source: Source, name: str) -> None:
    source.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    _check_node(node, name)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _fail(
                    name,
                    f"clé « {key} » en double (déjà définie ligne {first}) : gardez une seule "
                    "définition.",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            seen[key] = key_node
            _check_node(key_node, name)
            child = (*loc, key)
            source.key_positions[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            _walk(value_node, child, source, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), source, name)
