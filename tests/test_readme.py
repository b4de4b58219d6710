"""The README stays true: its configuration table names every setting the environment can set."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_read_by_settings_is_documented():
    settings_source = (ROOT / "playground" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    assert {"PLAYGROUND_SIGNUP", "DATABASE_URL", "REDIS_URL"} <= read
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert missing == [], f"README.md's configuration table does not mention {missing}"


def test_the_readme_shows_the_two_commands_and_its_screenshot_exists():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        assert (ROOT / image).is_file(), image
