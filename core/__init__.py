"""ML Enablement Studio core: plain Python, no UI imports."""
