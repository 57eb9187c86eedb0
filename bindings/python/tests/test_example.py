"""examples/python/web_request.py runs against a real pair and reads its own write."""

import os
import subprocess
import sys

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python", "web_request.py")


def test_web_request_example_reads_its_own_write(delayed_cluster):
    out = subprocess.run(
        [sys.executable, EXAMPLE, delayed_cluster.conninfo],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "primary" in out.stdout
