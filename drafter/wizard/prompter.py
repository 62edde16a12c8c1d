"""Prompt helpers for ``drafter new``: one question, one validated answer, asked again on error.

Answers are read through click's prompt function (``click.termui.visible_prompt_func``), so
the wizard runs the same in a terminal, with piped input and under ``CliRunner``. End of
input raises ``EOFError`` and Ctrl-C ``KeyboardInterrupt``; the command turns both into a
French message (see :mod:`drafter.cli_wizard`).

Field values are validated with the profile models themselves (:func:`field_parser`), and
rejected answers show the very message ``drafter check`` prints for the same value.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

import click
from click import termui
from pydantic import BaseModel, TypeAdapter, ValidationError

from drafter.domain.parsing import CHOICES, choice_key, parse_choice
from drafter.errors import shown
from drafter.inputs.loading import translate
from drafter.inputs.source import Source

CLEAR = "-"
_YES = {"o", "oui", "y", "yes"}
_NO = {"n", "non", "no"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def width() -> int | None:
    """The terminal's width (40 to 100 columns); ``None`` (no wrapping) when the output is not a terminal."""
    if not sys.stdout.isatty():
        return None
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))


def wrapped(line: str, columns: int | None) -> str:
    """A line cut between words; continuation lines keep the line's indentation (two more under a bullet)."""
    if columns is None or len(line) <= columns:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    more = "  " if indent or line.lstrip().startswith(("- ", "– ", "• ")) or re.match(r"\s*\d+\. ", line) else ""
    return textwrap.fill(line, columns, subsequent_indent=indent + more, break_long_words=False,
                         break_on_hyphens=False)


class Invalid(ValueError):
    """An answer that cannot be accepted; the text is the French reason."""


@dataclass(frozen=True)
class Option:
    """One entry of a numbered list: the value stored and the French label shown."""

    value: Any
    label: str


class Prompter:
    """Asks questions on the terminal (or piped input) and returns validated answers."""

    def say(self, text: str = "") -> None:
        """Print ``text``, long lines wrapped between words at the terminal's width."""
        click.echo("\n".join(wrapped(line, width()) for line in text.split("\n")))

    def title(self, text: str) -> None:
        self.say()
        self.say(f"── {text} " + "─" * max(3, 60 - len(text)))

    def error(self, message: str) -> None:
        self.say(f"  Erreur : {message}")

    def read(self, prompt: str) -> str:
        lines = wrapped(prompt, width()).split("\n")
        for line in lines[:-1]:
            click.echo(line)
        return termui.visible_prompt_func(lines[-1] + (" " if prompt.endswith(" ") else "")).strip()

    def ask(self, question: str, parse: Callable[[str], Any], *, current: Any = None,
            show: Callable[[Any], str] = str, required: bool = True, hint: str | None = None,
            check: Callable[[Any], str | None] | None = None) -> Any:
        """Ask until the answer parses (and passes ``check``).

        Enter keeps ``current``; for an optional question without a current value it
        returns ``None``; « - » clears an optional value.
        """
        suffix = ""
        if current is not None:
            suffix = f" [{show(current)}]"
            if not required:
                suffix += f" (« {CLEAR} » pour effacer)"
        elif hint:
            suffix = f" ({hint})"
        elif not required:
            suffix = " (facultatif : Entrée pour passer)"
        while True:
            raw = self.read(f"{question}{suffix} : ")
            if raw == "":
                if current is not None or not required:
                    value = current
                else:
                    self.error("réponse obligatoire : ce champ ne peut pas rester vide.")
                    continue
            elif raw == CLEAR and not required:
                value = None
            else:
                try:
                    value = parse(raw)
                except Invalid as exc:
                    self.error(str(exc))
                    continue
            problem = check(value) if check is not None else None
            if problem:
                self.error(problem)
                continue
            return value

    def confirm(self, question: str, default: bool) -> bool:
        """A yes/no question; Enter gives ``default``."""
        marks = "O/n" if default else "o/N"
        while True:
            raw = self.read(f"{question} ({marks}) : ").lower()
            if raw == "":
                return default
            if raw in _YES:
                return True
            if raw in _NO:
                return False
            self.error(f"répondez par oui (o) ou non (n) (valeur lue : « {shown(raw)} »)")

    def choose(self, question: str, options: Sequence[Option], current: Any = None, *,
               extra: Option | None = None, note: str | None = None) -> Any:
        """A numbered list (1…n, and 0 for ``extra``); the number or the value itself is accepted."""
        menu = Menu(options, extra, current)
        self.say(f"{question} :")
        for line in menu.lines():
            self.say(line)
        if note:
            self.say(f"  {note}")
        while True:
            raw = self.read("Votre choix" + (f" [{menu.default}]" if menu.default is not None else "") + " : ")
            found = menu.pick(raw)
            if found is not None:
                return found.value
            self.error(menu.invalid(raw))


@dataclass(frozen=True)
class Menu:
    """The options of one numbered question: how they are shown and which one an answer picks."""

    options: Sequence[Option]
    extra: Option | None
    current: Any

    @property
    def width(self) -> int:
        return len(str(len(self.options)))

    def numbered(self) -> list[tuple[int, Option]]:
        pairs = list(enumerate(self.options, 1))
        return pairs + ([(0, self.extra)] if self.extra is not None else [])

    def lines(self) -> list[str]:
        return [f"  {number:>{self.width}}. {option.label}{self._mark(option)}" for number, option in self.numbered()]

    def _mark(self, option: Option) -> str:
        return "  ← proposé" if self.current is not None and option.value == self.current else ""

    @property
    def default(self) -> int | None:
        if self.current is None:
            return None
        return next((number for number, option in self.numbered() if option.value == self.current), None)

    def pick(self, raw: str) -> Option | None:
        """The option an answer designates: Enter (the proposal), its number, or its value."""
        if raw == "":
            return dict(self.numbered()).get(self.default) if self.default is not None else None
        if raw.isdigit():
            return dict(self.numbered()).get(int(raw))
        exact = next((o for o in self.options if isinstance(o.value, str) and str(o.value) == raw), None)
        return exact or self._by_name(raw)

    def _by_name(self, raw: str) -> Option | None:
        """An option named as buyers say it: « MAPA », « appel d'offres ouvert », its label."""
        values = {str(o.value): o for o in self.options if isinstance(o.value, str)}
        for kind in CHOICES:
            code = parse_choice(kind, raw)
            if isinstance(code, str) and code in values:
                return values[code]
        key = choice_key(raw)
        return next((o for o in self.options if choice_key(o.label) == key), None)

    def invalid(self, raw: str) -> str:
        values = [str(o.value) for o in self.options if isinstance(o.value, str)]
        low = 0 if self.extra is not None else 1
        listed = all(isinstance(o.value, Enum) for o in self.options) and len(self.options) <= 10
        allowed = f" ou l'une des valeurs : {', '.join(values)}" if listed else ""
        return (f"choix invalide : tapez un numéro de {low} à {len(self.options)}{allowed} "
                f"(valeur lue : « {shown(raw) if raw else 'vide'} »)")


# --- parsers built on the profile models ------------------------------------------------

_ANSWER = Source("<réponse>", None)


@cache
def _adapter(model: type[BaseModel], alias: str) -> TypeAdapter:
    for field in model.model_fields.values():
        if field.alias == alias:
            return TypeAdapter(field.rebuild_annotation())
    raise KeyError(alias)


def validate_value(model: type[BaseModel], alias: str, raw: Any) -> Any:
    """The value of field ``alias`` of ``model`` read from ``raw``, or Invalid with check's message."""
    try:
        return _adapter(model, alias).validate_python(raw)
    except ValidationError as exc:
        raise Invalid(translate(exc, _ANSWER)[0].message) from None


def field_parser(model: type[BaseModel], alias: str) -> Callable[[str], Any]:
    """A parser for one profile field, validating exactly as ``drafter check`` does."""
    return lambda raw: validate_value(model, alias, raw)


def date_parser(model: type[BaseModel], alias: str) -> Callable[[str], dt.date]:
    """``JJ/MM/AAAA`` as buyers write it, or ISO ``AAAA-MM-JJ`` (``20270115`` would otherwise be read
    as a timestamp)."""

    def parse(raw: str) -> dt.date:
        french = _DATE_FR.fullmatch(raw)
        if french:
            day, month, year = (int(part) for part in french.groups())
            try:
                raw = dt.date(year, month, day).isoformat()
            except ValueError:
                raise Invalid(f"cette date n'existe pas (valeur lue : « {shown(raw)} »)") from None
        elif not _DATE.fullmatch(raw):
            raise Invalid("doit être une date au format JJ/MM/AAAA (ex. 15/01/2027) ou AAAA-MM-JJ "
                          f"(valeur lue : « {shown(raw)} »)")
        return validate_value(model, alias, raw)

    return parse


def list_parser(model: type[BaseModel], alias: str) -> Callable[[str], list]:
    """A comma-separated list (CPV codes), each item validated as in a profile."""

    def parse(raw: str) -> list:
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return validate_value(model, alias, items)

    return parse


def text(raw: str) -> str:
    return raw


def question_of(model: type[BaseModel], alias: str) -> str:
    """The field's French description, used as the question (without « (facultatif) »)."""
    for field in model.model_fields.values():
        if field.alias == alias:
            return (field.description or alias).removesuffix(" (facultatif)")
    raise KeyError(alias)


def is_required(model: type[BaseModel], alias: str) -> bool:
    return any(f.alias == alias and f.is_required() for f in model.model_fields.values())
