"""bench/fault_delivery.py still runs and still finds nothing duplicated or lost (a small run)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_fault_injection_script_reports_no_duplicates_and_nothing_lost():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "fault_delivery.py"), "--channels", "12",
                          "--kills", "2", "--seed", "7"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    lines = [line for line in out.stdout.splitlines() if "faults injected" in line]
    assert len(lines) == 2 and all("duplicates 0, lost 0" in line for line in lines), out.stdout
