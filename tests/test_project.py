"""foundation.project: the project folder is found from where a kernel or command starts, whatever the install."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from harrowperf.foundation.project import project_file, project_root

ROOT = Path(__file__).resolve().parents[1]


def test_project_root_is_the_nearest_folder_with_pyproject_and_notebooks(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "clean").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert project_root(tmp_path / "notebooks") == tmp_path
    assert project_root(tmp_path / "data" / "clean") == tmp_path
    assert project_root(tmp_path.parent) != tmp_path
    (tmp_path / "data" / "pyproject.toml").write_text("")     # no notebooks/ beside it: not a project
    assert project_root(tmp_path / "data") == tmp_path


def test_project_file_falls_back_to_the_source_checkout_then_to_the_path_as_given(tmp_path):
    # An editable install (this test suite's): the checkout holding the package is the project.
    assert project_file("data/measures.csv", start=tmp_path) == ROOT / "data" / "measures.csv"


def test_a_non_editable_install_finds_the_catalogue_and_groups_in_the_project_folder(tmp_path):
    """The package copied away from the project, as `pip install .` puts it in site-packages."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "harrowperf", site / "harrowperf",
                    ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "council"
    (project / "notebooks").mkdir(parents=True)
    (project / "data").mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copy(ROOT / "data" / "measures.csv", project / "data")
    shutil.copy(ROOT / "data" / "groups.csv", project / "data")
    script = ("import json, harrowperf\n"
              "from harrowperf.read import catalogue\n"
              "from harrowperf.read.comparative import comparator_group\n"
              "print(json.dumps({'package': harrowperf.__file__, 'measures': len(catalogue.load()),\n"
              "                  'group': len(comparator_group('west_london_alliance').members)}))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = {}
    for start in (project, project / "notebooks"):     # the run, and JupyterLab's kernel
        result = subprocess.run([sys.executable, "-c", script], cwd=start, env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        found[start.name] = json.loads(result.stdout)
    with open(ROOT / "data" / "measures.csv", encoding="utf-8", newline="") as file:
        measures = list(csv.DictReader(file))
    with open(ROOT / "data" / "groups.csv", encoding="utf-8", newline="") as file:
        members = [row for row in csv.DictReader(file) if row["group"] == "west_london_alliance"]
    for answer in found.values():
        assert answer["package"] == str(site / "harrowperf" / "__init__.py")
        assert answer["measures"] == len(measures)
        assert answer["group"] == len(members) > 0
