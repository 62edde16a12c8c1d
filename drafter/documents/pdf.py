"""``--pdf``: convert the generated documents with LibreOffice, in one batched call.

LibreOffice exits with 0 even when it cannot read a file (tech-notes §3.3), so every PDF is
checked: it must exist and hold text (read back with ``pdftotext`` when installed). The
``MS Word 2007 XML`` input filter stops LibreOffice from importing a broken .docx as plain
text; a private profile keeps parallel runs apart.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from drafter.errors import DrafterError, RenderError

TIMEOUT_SECONDS = 600


class PdfUnavailable(DrafterError):
    """``--pdf`` asked on a machine without LibreOffice: a usage error (exit 2), nothing written."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require() -> str:
    """The LibreOffice command, or a French error before anything is written."""
    command = soffice()
    if command is None:
        raise PdfUnavailable(
            "--pdf : LibreOffice est introuvable (commande « soffice »). Installez-le (paquet "
            "libreoffice-writer) ou relancez sans --pdf. Aucun fichier n'a été écrit."
        )
    return command


def pdf_text(path: Path) -> str | None:
    """The text of a PDF via ``pdftotext``, or None when pdftotext is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, timeout=120, check=False)
    return done.stdout.decode("utf-8", "replace")


def convert(documents: list[Path], outdir: Path) -> list[Path]:
    """Convert ``documents`` to PDF in ``outdir`` (one soffice call); raise RenderError on any failure."""
    command = require()
    with tempfile.TemporaryDirectory(prefix="drafter-lo-") as profile:
        args = [
            command,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--infilter=MS Word 2007 XML",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(d) for d in documents),
        ]
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(
                f"--pdf : LibreOffice n'a pas terminé la conversion en {TIMEOUT_SECONDS} secondes."
            ) from None
    pdfs: list[Path] = []
    failed: list[str] = []
    for document in documents:
        pdf = outdir / (document.stem + ".pdf")
        text = pdf_text(pdf) if pdf.is_file() else None
        ok = pdf.is_file() and pdf.stat().st_size > 0 and (text is None or text.strip())
        if ok:
            pdfs.append(pdf)
        else:
            failed.append(document.name)
    if failed:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RenderError(
            "--pdf : la conversion par LibreOffice a échoué pour "
            + ", ".join(failed)
            + (f" ({' / '.join(detail)})" if detail else "")
            + "."
        )
    return pdfs
