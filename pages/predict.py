"""Step page (placeholder until its issue lands)."""

from ui.router import ensure_router

ensure_router()

from ui.placeholder import coming_next

coming_next("predict")
