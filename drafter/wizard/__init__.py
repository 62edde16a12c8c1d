"""The interactive wizard (``drafter new``), a front end over the application layer."""
