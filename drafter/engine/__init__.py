"""The decision engine: pure (no clock, no file), dated, explained step by step."""
