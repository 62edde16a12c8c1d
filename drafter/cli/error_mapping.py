"""How the command line ends: a user error gives its French message and exit code, a bug gives
one plain French sentence and exit 1; with ``--debug`` the original exception propagates
(click then prints its traceback). Used by :class:`drafter.cli.main.DrafterGroup`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

import click

from drafter.errors import DrafterError

T = TypeVar("T")

INTERRUPTED = "\nInterrompu : rien n'a été écrit."


def internal_error_message(exc: BaseException) -> str:
    """The sentence shown for an unexpected exception (a bug), without --debug."""
    return (f"Erreur interne de drafter ({type(exc).__name__} : {exc}). Relancez avec --debug "
            "pour le détail et signalez-la à l'équipe.")


def invoke_mapped(ctx: click.Context, invoke: Callable[[], T]) -> T | None:
    """Run ``invoke`` and map what it raises to a message and an exit code."""
    debug = bool(ctx.params.get("debug"))
    try:
        return invoke()
    except DrafterError as exc:
        if debug:
            raise
        click.echo(exc.render(), err=True)
        ctx.exit(exc.exit_code)
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        ctx.exit(0)
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        ctx.exit(130)
    except Exception as exc:  # a bug: say so plainly, keep the detail for --debug
        if debug:
            raise
        click.echo(internal_error_message(exc), err=True)
        ctx.exit(1)
