"""Prefect flows: the package's stages wrapped as tasks, scheduled and observed."""

import os

# With no PREFECT_API_URL, Prefect starts a temporary local server; its first start migrates a
# fresh database and takes 30-40 s on a 2-core machine, past Prefect's 20 s default.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
