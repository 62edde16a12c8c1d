"""How the command line ends (``drafter.cli.error_mapping``): every kind of exception, with and
without ``--debug``: exact stderr, exact exit code. CliRunner never prints a traceback, so these
tests assert the exception object and the exit code, never the absence of the word « Traceback »."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from drafter.app.settings import Settings
from drafter.cli.main import cli
from drafter.errors import Problem, ProfileError, RenderError

from .conftest import EXAMPLES

PROFILE = str(EXAMPLES / "mapa-petits-travaux.yaml")


def failing_with(monkeypatch, exc: BaseException) -> None:
    def analyse(self, path, date=None):
        raise exc

    monkeypatch.setattr(Settings, "analyse", analyse)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_internal_error_is_one_french_sentence_exit_1(monkeypatch):
    failing_with(monkeypatch, KeyError("lots"))
    result = run("explain", PROFILE)
    assert result.exit_code == 1
    assert type(result.exception) is SystemExit
    assert result.stdout == ""
    assert result.stderr == ("Erreur interne de drafter (KeyError : 'lots'). Relancez avec --debug pour le détail "
                             "et signalez-la à l'équipe.\n")


def test_internal_error_with_debug_is_the_original_exception(monkeypatch):
    original = ValueError("valeur inattendue")
    failing_with(monkeypatch, original)
    result = run("--debug", "explain", PROFILE)
    assert result.exception is original
    assert result.exit_code == 1
    assert result.output == ""


def test_user_error_without_debug_is_its_message_and_exit_code(monkeypatch):
    failing_with(monkeypatch, ProfileError([Problem("premier problème", "p.yaml", 3, 7, "marche.objet"),
                                            Problem("second problème")]))
    result = run("explain", PROFILE)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "p.yaml:3:7 — marche.objet : premier problème\nsecond problème\n"


def test_render_error_exits_1(monkeypatch):
    failing_with(monkeypatch, RenderError("modèle « x.docx » : panne."))
    result = run("explain", PROFILE)
    assert result.exit_code == 1
    assert result.stderr == "modèle « x.docx » : panne.\n"


def test_user_error_with_debug_is_the_original_exception(monkeypatch):
    original = RenderError("modèle « x.docx » : panne.")
    failing_with(monkeypatch, original)
    result = run("--debug", "explain", PROFILE)
    assert result.exception is original
    assert result.output == ""


def test_keyboard_interrupt_exits_130_saying_nothing_was_written(monkeypatch):
    failing_with(monkeypatch, KeyboardInterrupt())
    result = run("explain", PROFILE)
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == "\nInterrompu : rien n'a été écrit.\n"


def test_broken_pipe_is_not_an_error(monkeypatch):
    failing_with(monkeypatch, BrokenPipeError())
    result = run("explain", PROFILE)
    assert result.exit_code == 0
    assert result.output == ""


@pytest.mark.parametrize("exc, code, stderr", [
    (click.UsageError("option --x inconnue"), 2, "Erreur : option --x inconnue\n"),
    (click.ClickException("problème click"), 1, "Erreur : problème click\n"),
    (click.Abort(), 1, "Interrompu.\n"),
    (click.exceptions.Exit(3), 3, ""),
])
def test_click_exceptions_keep_their_own_handling(monkeypatch, exc, code, stderr):
    failing_with(monkeypatch, exc)
    result = run("explain", PROFILE)
    assert result.exit_code == code
    assert result.stderr.endswith(stderr)
    assert "Erreur interne" not in result.stderr


def test_a_successful_command_returns_normally():
    result = run("explain", PROFILE, "--json")
    assert result.exit_code == 0
    assert result.exception is None
    assert result.stdout.startswith("{")
