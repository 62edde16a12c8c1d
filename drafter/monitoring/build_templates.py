"""Build the monitoring's Word templates from their readable sources (``templates/*.txt``).

Uses the markup and house style of ``tools/build_templates.py`` (run from a source checkout):
``python -m drafter.monitoring.build_templates [--check]``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).with_name("templates")
TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_templates.py"


def _builder():
    spec = importlib.util.spec_from_file_location("drafter_build_templates", TOOL)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{TOOL} introuvable : lancez depuis une copie des sources de drafter.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(tool, source: Path) -> bytes:
    """The .docx of one source; French typography is applied by the shared builder (``french_static``)."""
    return tool.build(source)


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    tool = _builder()
    stale = []
    for source in sorted(HERE.glob("*.txt")):
        target = source.with_suffix(".docx")
        data = build(tool, source)
        if check:
            if not target.exists() or tool.parts(target.read_bytes()) != tool.parts(data):
                stale.append(target.name)
            continue
        target.write_bytes(data)
        print(f"{target.name} ({len(data) // 1024} Kio)")
    if stale:
        print("Modèles à régénérer : " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
