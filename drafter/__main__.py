"""``python -m drafter``."""

from drafter.cli.main import main

main()
