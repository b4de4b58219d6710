"""`.ci/find-python`, which `make install` uses to pick an interpreter by itself."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "find-python"


def _fake_python(directory: Path, name: str, version: str) -> None:
    """A stand-in interpreter that claims ``version`` the way the script asks."""
    path = directory / name
    major, minor = version.split(".")
    path.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = "-c" ] && exit $([ {minor} -ge 12 ] && [ {major} -ge 3 ] && echo 0 || echo 1)\n'
        f"echo Python {version}\n"
    )
    path.chmod(0o755)


def _run(path_dirs: list[Path], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        env={"PATH": ":".join(str(d) for d in path_dirs), **env},
        check=False,
    )


def test_it_prints_the_interpreter_it_found(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    result = _run([bin_dir, Path("/usr/bin"), Path("/bin")], PYTHON=sys.executable)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == sys.executable


def test_it_skips_an_old_python_and_explains_what_is_missing(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_python(bin_dir, "python3", "3.11")
    for tool in ("grep", "sort", "dirname"):
        (bin_dir / tool).symlink_to(f"/usr/bin/{tool}")
    result = _run([bin_dir])
    assert result.returncode == 1
    assert "no Python 3.12 or newer" in result.stderr
    assert str(bin_dir / "python3") in result.stderr
    assert "PYTHON=" in result.stderr
