"""Prefect flows: the package's stages wrapped as tasks, scheduled and observed."""
