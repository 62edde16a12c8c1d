"""Application layer: settings and the use cases (analyse, generate, bulk) that every front end calls."""
