"""bash scripts/start, run twice around an admin edit, keeps that edit (a real subprocess)."""

import os
import subprocess

import pytest

from tests.conftest import ROOT

SHOW_MST = (
    "from interventies.models import Interventie as I; "
    "from richtlijnen.models import ContentVersion as V; "
    "print(I.objects.get(code='MST').age_min, V.objects.count())"
)


def run(args, env):
    return subprocess.run(  # noqa: S603 - our own script and manage.py
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="scripts/start is the SQLite quick start; once is enough",
)
def test_starting_twice_keeps_an_admin_edit(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}",
        "RICHTSNOER_SETUP_ONLY": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    first = run(["bash", "scripts/start"], env)
    assert first.returncode == 0, first.stderr
    edit = "from interventies.models import Interventie as I; m = I.objects.get(code='MST'); "
    edit += "m.age_min = 11; m.save()"
    assert run([python, "manage.py", "shell", "-c", edit], env).returncode == 0

    second = run(["bash", "scripts/start"], env)
    assert second.returncode == 0, second.stderr
    assert "interventie MST: gewijzigd" in second.stderr
    assert "concept in beheer blijft zoals het is" in second.stderr
    shown = run([python, "manage.py", "shell", "-c", SHOW_MST], env)
    # The edit is kept, and nothing was published.
    assert shown.stdout.splitlines()[-1].split() == ["11", "1"]
