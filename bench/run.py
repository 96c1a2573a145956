"""Run every benchmark in bench/ (make bench)."""

import argparse
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()

for script in sorted(HERE.glob("bench_*.py")):
    print(f"== {script.name}")
    sys.argv = [str(script)]
    runpy.run_path(str(script), run_name="__main__")
    print()
