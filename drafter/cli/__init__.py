"""Command-line front end (click, French help and messages)."""
