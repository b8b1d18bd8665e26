"""Every benchmark script still runs, at a small size (CI keeps timed assertions out: the figures
at full size are in docs/benchmarks.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMALL_RUNS = {
    "insert_bench.py": ["--small"],
    "open_bench.py": ["--reads", "2000", "--opens", "5"],
    "signin_bench.py": ["--runs", "1"],
    "demo_bench.py": ["--reads", "60", "--workers", "1"],
    "demo_startup_bench.py": ["--reads", "40", "--platform", "offscreen"],
    "import_bench.py": ["--rows", "3000"],
    "audit_bench.py": ["--small"],
    "viewer_bench.py": ["--small"],
    "search_bench.py": ["--small"],
    "purpose_bench.py": [],
    "verify_bench.py": ["--small"],
    "purge_bench.py": ["--small"],
    "oversight_bench.py": ["--small"],
    "package_bench.py": ["--small", "--verify-runs", "1"],
    "extract_bench.py": ["--small"],
    "health_bench.py": ["--small", "--runs", "1"],
    "views_bench.py": ["--small"],
    "analysis_places_bench.py": ["--small"],
    "analysis_travel_bench.py": ["--small"],
    "log_archive_bench.py": ["--small"],
    "page_size_bench.py": ["--small"],
    "convert_bench.py": ["--small"],
    "corrections_bench.py": ["--small"],
    "search_cache_bench.py": ["--small"],
}

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_every_benchmark_has_a_small_run() -> None:
    scripts = {p.name for p in (ROOT / "benchmarks").glob("*_bench.py")}
    assert scripts == set(SMALL_RUNS)


@pytest.mark.parametrize("script", sorted(SMALL_RUNS))
def test_benchmark_runs_small(script: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ALPR_DESKTOP_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *SMALL_RUNS[script]],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert out.returncode == 0, f"{script} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    assert out.stdout.strip(), f"{script} printed nothing"


def _postgres_missing() -> str | None:
    """Why the PostgreSQL comparison cannot run here, or None when it can."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed"
    if not shutil.which("initdb") and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL's server programs are not installed"
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres account (initdb refuses root)"
    return None


def test_search_against_postgres_runs_small(tmp_path: Path) -> None:
    """Issue 20's side-by-side benchmark: both engines built and searched, at CI size."""
    why = _postgres_missing()
    if why and os.environ.get("ALPR_REQUIRE_POSTGRES") == "1":  # the README's test command
        pytest.fail(f"PostgreSQL is required here: {why}")
    if why:
        pytest.skip(why)
    env = {**os.environ, "ALPR_DESKTOP_HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_vs_postgres.py"), "--small",
         "--warm-files", "--runs", "2"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert out.returncode == 0, f"failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    for kind in ("exact", "wildcard", "substring", "fuzzy"):
        assert f"\n{kind}" in out.stdout
    assert '"postgres"' in out.stdout and '"encrypted"' in out.stdout
    assert "of the engines' files into the OS cache" in out.stdout
    assert "2 runs: p50 ratio per run" in out.stdout
    for figure in ("encrypted ÷ postgres (figure: ≤ 1.0)", "encrypted ÷ plain (figure: ≤ 1.5)"):
        assert figure in out.stdout

    # --alone: each engine with the OS cache to itself, in turn, the first rotating by run
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_vs_postgres.py"), "--small",
         "--alone", "--runs", "2", "--no-plain"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert out.returncode == 0, f"failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    firsts = [line.split()[0] for line in out.stdout.splitlines()
              if line.endswith("of the others' files dropped from the OS cache")]
    assert firsts == ["encrypted", "postgres", "postgres", "encrypted"]
    assert "encrypted ÷ postgres (figure: ≤ 1.0)" in out.stdout


def test_search_growth_between_two_sizes_runs_small(tmp_path: Path) -> None:
    """The 100M ÷ 10M figure's summary, in one invocation, on two small stores."""
    env = {**os.environ, "ALPR_DESKTOP_HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_vs_postgres.py"), "--reads", "20000",
         "--reads", "40000", "--embedded-only", "--no-plain", "--queries", "4", "--runs", "2"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert out.returncode == 0, f"failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    tail = out.stdout.split("40,000 ÷ 20,000 reads, encrypted p50 per run")[1]
    for kind in ("exact", "wildcard", "substring", "fuzzy"):
        assert f"    {kind}" in tail and "of 2)" in tail


def test_search_cache_connections_in_turn_runs_small(tmp_path: Path) -> None:
    """search_cache_bench's second measure: connections in turn, each with its faults."""
    env = {**os.environ, "ALPR_DESKTOP_HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_cache_bench.py"), "--small",
         "--connections", "2"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert out.returncode == 0, f"failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    lines = [ln for ln in out.stdout.splitlines() if ln.lstrip().startswith("connection ")]
    assert [ln.split(":")[0].strip() for ln in lines] == ["connection 1", "connection 2"]
    assert all("minor faults" in ln and "system CPU" in ln for ln in lines)
