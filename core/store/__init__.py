"""Repositories: the only code that reads and writes the project database."""
