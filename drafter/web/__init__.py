"""Front end for a future web page (nothing yet): it will import ``drafter.app`` and below, like ``cli``."""
