"""Presentation: the decision in French — explain text and JSON, the template context, review notes."""
