"""The Jinja sandbox every template renders in, with resource bounds (issue 11).

Jinja's ``SandboxedEnvironment`` stops attribute escapes but not resource exhaustion: an edited
template could write ``{{ 'a'*10**9 }}`` (2.9 GB) or ``{{ [0]*10**8 }}``. Here the operators that
build big values are intercepted (``*``, ``**``, ``+``; Jinja then no longer folds them at compile
time), each rendered part is streamed and bounded in size, and a render is bounded in time.
"""

from __future__ import annotations

import contextlib
import importlib
import operator
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import markupsafe
from jinja2 import StrictUndefined, Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from drafter.documents.superscript import ExposantsExtension, exposants
from drafter.domain import fmt

MAX_SEQUENCE = 1_000_000       # characters of a text, items of a list built by an operator
MAX_POWER_DIGITS = 1_000       # digits of a number built by ``**``
MAX_PART_CHARS = 250_000_000   # characters of one rendered XML part (5 000 lots: 70 M in the note de calcul)
RENDER_SECONDS = 120           # CPU seconds for one document (5 000 lots: a few seconds for the largest)

_OPS = {"*": operator.mul, "**": operator.pow, "+": operator.add}
_SEQUENCE = (str, list, tuple, bytes)
_DICT_NAMES = frozenset(dir(dict))


class BoundedEnvironment(SandboxedEnvironment):
    """Sandboxed, strict, autoescaped, and bounded (see module doc)."""

    intercepted_binops = frozenset(_OPS)

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif op == "+" and isinstance(left, _SEQUENCE) and isinstance(right, _SEQUENCE):
            if len(left) + len(right) > MAX_SEQUENCE:
                raise _too_big()
        elif op == "**" and _power_too_big(left, right):
            raise SecurityError(f"opération refusée : nombre de plus de {MAX_POWER_DIGITS} chiffres")
        return _OPS[op](left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``lot.nom`` on a plain dict without the failed ``getattr`` (an exception per access) the
        sandbox tries first: same result, a key lookup, unless the name is a dict method's."""
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _power_too_big(base: Any, exponent: Any) -> bool:
    if not (isinstance(base, int) and isinstance(exponent, int)) or exponent <= 0 or abs(base) <= 1:
        return False
    return exponent * abs(base).bit_length() > MAX_POWER_DIGITS * 3.33  # 3.33 bits per digit


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, _SEQUENCE) and isinstance(times, int) and len(sequence) * max(times, 0) > MAX_SEQUENCE:
        raise _too_big()


def _too_big() -> SecurityError:
    return SecurityError("opération refusée : elle construirait un texte ou une liste de plus de "
                         "1 000 000 éléments")


def make_env() -> BoundedEnvironment:
    """Sandboxed (profile values are data), strict (a misspelt variable is an error, never a
    blank in a legal clause), autoescaped (``& <`` would otherwise truncate the document), bounded;
    with « 1er » of every value in a run as a superscript (the ``ExposantsExtension`` of
    :mod:`drafter.documents.superscript`, and its explicit ``exposants`` filter of earlier templates)."""
    env = BoundedEnvironment(undefined=StrictUndefined, autoescape=True, extensions=[ExposantsExtension])
    env.filters["exposants"] = exposants
    return env


def render_bounded(template: Template, context: dict[str, Any]) -> str:
    """``template.render(context)``, streamed: refused beyond MAX_PART_CHARS or RENDER_SECONDS."""
    return "".join(generate_bounded(template, context))


def generate_bounded(template: Template, context: dict[str, Any]) -> Iterator[str]:
    """The chunks of ``template.generate(context)``, refused beyond MAX_PART_CHARS or RENDER_SECONDS
    (the deadline covers the whole iteration: consume it to the end or close it)."""
    size = 0
    with _deadline(RENDER_SECONDS):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_PART_CHARS:
                raise too_long()
            yield chunk


class LimitReached(SecurityError):
    """A render stopped by MAX_PART_CHARS or RENDER_SECONDS (rendering again would hit it again)."""


def too_long() -> SecurityError:
    """The refusal of a part longer than MAX_PART_CHARS."""
    return LimitReached(f"modèle refusé : le document produit dépasserait {fmt.number(MAX_PART_CHARS)} caractères")


def deadline() -> contextlib.AbstractContextManager[None]:
    """The RENDER_SECONDS bound around a render consumed by the caller."""
    return _deadline(RENDER_SECONDS)


def _escape_via_markup(text: str) -> str:  # pragma: no cover - a markupsafe without _escape_inner
    return str(escape(text))


# markupsafe's C escaping, without wrapping the result in a Markup object
_escape_inner: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escape_via_markup)


def _escaped(value: Any) -> Any:
    """What ``{{ value }}`` writes under autoescape: markupsafe's ``escape``, as a plain ``str`` for a
    plain ``str`` (a rendered template only joins its output; ``Markup`` objects cost their creation)."""
    if type(value) is str:
        return _escape_inner(value)
    return escape(value)


def fast_escape(template: Template) -> None:
    """Make a compiled template write escaped values as plain strings (same characters)."""
    namespace = template.root_render_func.__globals__
    if namespace.get("escape") is escape:
        namespace["escape"] = _escaped


class _Timeout(LimitReached):
    pass


class _deadline:  # noqa: N801 - used as a function, the context manager of the bound
    """Raise inside the render after ``seconds`` of CPU (a CPU timer: a loaded machine does not make a
    template fail). Main thread only: elsewhere, the size bounds only. A class rather than a
    generator and the C ``signal`` functions: it is entered for every rendered part."""

    __slots__ = ("seconds", "previous", "armed")

    def __init__(self, seconds: int):
        self.seconds = seconds
        self.previous: Any = None
        self.armed = False

    def __enter__(self) -> None:
        global _SECONDS
        if _SECONDS or _TIMER is None or threading.current_thread() is not threading.main_thread():
            return  # already inside a bounded render (a document bounds its parts together), or no timer
        _SECONDS = self.seconds
        self.previous = _TIMER.signal(signal.SIGPROF, _expired)
        self.armed = True
        _TIMER.setitimer(signal.ITIMER_PROF, self.seconds)

    def __exit__(self, *exc: object) -> None:
        global _SECONDS
        if self.armed:
            _TIMER.setitimer(signal.ITIMER_PROF, 0)
            _TIMER.signal(signal.SIGPROF, self.previous)
            self.armed, self.previous = False, None
            _SECONDS = 0


def _expired(signum: int, frame: Any) -> None:
    unit = "seconde" if _SECONDS <= 1 else "secondes"
    raise _Timeout(f"modèle refusé : le rendu du document dépasse {_SECONDS} {unit} (boucle trop longue ?)")


_SECONDS = 0  # the bound of the render in progress (0: none)
_TIMER: Any
try:  # the C functions under signal.signal (which converts enums on every call)
    _TIMER = importlib.import_module("_signal")
except ImportError:  # pragma: no cover - another Python
    _TIMER = signal
if not hasattr(_TIMER, "setitimer"):  # pragma: no cover - Windows
    _TIMER = None
