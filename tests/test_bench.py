"""`bench/run.py` on a handful of requests: the benchmark itself keeps working."""

import json
import shutil
import subprocess
import sys

from django.conf import settings

from tests.conftest import free_port


def test_a_small_benchmark_runs_and_its_counts_agree(tmp_path):
    # Sizes that run every phase (48 divides into its rounds), not sizes that measure anything.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--requests",
            "48",
            "--connections",
            "4",
            "--port",
            str(free_port()),
            "--small",
            "10",
            "--large",
            "200",
            "--read-seconds",
            "1",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "correctness: {'accepted': 60" in result.stdout
    written = result.stdout.strip().splitlines()[-1].removeprefix("written to ")
    report = json.loads((settings.BASE_DIR / written).read_text())
    (settings.BASE_DIR / written).unlink()
    assert report["correctness"]["ok"] is True
    assert report["sign"]["statuses"] == {"302": 48}
    assert report["baseline"]["requests"] == 48
    assert report["page_large"]["statuses"] == {"200": 24}
    assert report["queue"]["left"] == 0  # the worker sent every e-mail
    assert report["mail"]["sent"] == 60  # and the mail server received them
    # The read phases through wrk where it is installed (`make test` installs it).
    if shutil.which("wrk"):
        assert report["baseline_wrk"]["client"] == "wrk"
        cached = report["page_cached"]  # through nginx's micro-cache
        assert cached["client"] == "wrk"
        assert cached["requests"] > 24 and cached["statuses"]["other"] == 0
        assert "baseline_wrk" in result.stdout
    else:
        assert report["page_cached"]["statuses"] == {"200": 24}
    assert report["correctness"]["cached_count_seen_after_s"] is not None
    assert report["size"]["signatures"] == {"small": 10, "large": 200}
