"""What the notebooks share: run migtrace, read its rows into pandas, find the sample traces.

Debian has no pyarrow, so the notebooks never open a trace's Arrow files: every number comes from
`migtrace sql TRACE "QUERY" --format csv` (or a command's `--format json`), run from the repository
root. `bin/migtrace` is the command unless the environment variable MIGTRACE holds another one (the
test that executes the notebooks points it at the build's classes).
"""

import atexit
import io
import json
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd


def _find_root():
    """The repository root: the first directory, from here upwards, that holds bin/migtrace."""
    for d in [Path.cwd(), *Path.cwd().parents]:
        if (d / "bin" / "migtrace").is_file():
            return d
    raise FileNotFoundError(f"bin/migtrace not found in {Path.cwd()} or above: run the notebook from the repository")


ROOT = _find_root()
SAMPLES = ROOT / "sample-traces"

# DuckDB files (--db) and traces recorded when a sample is missing; removed when the kernel exits.
_work = Path(tempfile.mkdtemp(prefix="migtrace-notebook-"))
atexit.register(shutil.rmtree, _work, ignore_errors=True)
_dbs = {}


class MigtraceError(RuntimeError):
    """migtrace exited with a status the caller did not expect; the message holds its stderr."""


def command():
    """The migtrace command line, as a list."""
    override = os.environ.get("MIGTRACE")
    return shlex.split(override) if override else [str(ROOT / "bin" / "migtrace")]


def run(*args, ok=(0,)):
    """Runs `migtrace ARGS...` from the repository root and returns its standard output.

    ok: the exit statuses that are not errors. 1 means "ran and found something" (a migration that
    did not converge, divergences, violations): pass ok=(0, 1) where that is an answer.
    """
    args = [str(a) for a in args]
    p = subprocess.run(command() + args, cwd=ROOT, capture_output=True, text=True)
    if p.returncode not in ok:
        raise MigtraceError(f"migtrace {' '.join(args)} exited with {p.returncode}:\n{p.stderr.strip()}")
    return p.stdout


def run_json(*args, ok=(0, 1)):
    """Runs a command with --format json and returns the parsed document."""
    return json.loads(run(*args, "--format", "json", ok=ok))


def sample(name):
    """The sample trace sample-traces/NAME; when it is missing, the built-in scenario NAME recorded
    into a temporary directory (the same trace: the simulation is deterministic for a seed)."""
    committed = SAMPLES / name
    if (committed / "manifest.json").is_file():
        return committed
    recorded = _work / "traces" / name
    if not (recorded / "manifest.json").is_file():
        recorded.parent.mkdir(parents=True, exist_ok=True)
        run("record", "--scenario", name, "-o", recorded)
    return recorded


def sql(trace, query):
    """The rows of one query over TRACE as a DataFrame (empty CSV cells become NaN).

    The trace is loaded into DuckDB once per notebook (--db), later queries reuse it.
    """
    trace = Path(trace)
    db = _dbs.setdefault(trace.resolve(), _work / f"trace{len(_dbs)}.duckdb")
    return pd.read_csv(io.StringIO(run("sql", trace, query, "--format", "csv", "--db", db)))


MIB = 1024 * 1024
