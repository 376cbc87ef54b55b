"""httpx is loaded as a library only: its command-line client's dependencies stay unloaded."""

from __future__ import annotations

import subprocess
import sys


def test_the_http_client_loads_no_command_line_client() -> None:
    probe = (
        "import sys\n"
        "from stancewatch.ingest import HttpClient\n"
        "from stancewatch.settings import Settings\n"
        "HttpClient(Settings()).close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'click', 'rich', 'pygments'}))\n"
        "print('httpx' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["[]", "True"]
