"""Step page (placeholder until its issue lands)."""

from ui.placeholder import coming_next

coming_next("business")
