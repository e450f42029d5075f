"""Dependencies: pyproject.toml and environment.yml agree, floors are what CI tests, the lock is installed."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version

import yaml
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

LOCK = ROOT / "constraints.txt"


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]]


def _locked() -> dict[str, Version]:
    pins = {}
    for line in LOCK.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[canonicalize_name(name)] = Version(pinned.strip())
    return pins


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_and_pyproject_name_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]} | {
        _name(r) for r in project["optional-dependencies"]["dev"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {_name(d) for d in _environment_requirements(environment)} - {"python", "pip"}
    assert conda_names == pip_names


def _environment_requirements(environment: dict) -> list[str]:
    """The conda packages of environment.yml and those it installs from PyPI (its `pip:` list, less `-e .`)."""
    listed = [d for d in environment["dependencies"] if isinstance(d, str)]
    from_pypi = [d for d in environment["dependencies"] if isinstance(d, dict) for d in d.get("pip", [])]
    return listed + [d for d in from_pypi if not d.startswith("-")]


def test_runtime_packages_are_the_design_card_and_more():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert {"pandas", "jupyterlab", "altair", "openpyxl", "papermill", "statsmodels"} <= names


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in readme and "make report" in readme


def test_environment_and_pyproject_give_each_package_the_same_range():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {canonicalize_name(_name(d)): str(Requirement(d).specifier) for d in _environment_requirements(environment)
             if _name(d) not in {"python", "pip"}}
    assert conda == {canonicalize_name(r.name): str(r.specifier) for r in _declared()}


def test_every_declared_package_is_locked_inside_its_range():
    locked = _locked()
    for requirement in _declared():
        pinned = locked.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} is not in constraints.txt; run `make lock`"
        assert requirement.specifier.contains(pinned, prereleases=True), (requirement, pinned)


def test_floors_are_the_versions_ci_tests():
    """A floor below the locked minor version would promise versions no test has run on."""
    locked = _locked()
    for requirement in _declared():
        floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        assert floors, f"{requirement.name} has no floor"
        tested = locked[canonicalize_name(requirement.name)]
        assert floors[0].release[:2] == tested.release[:2], (
            f"{requirement.name}: the floor is {floors[0]} but CI tests {tested}; raise the floor")


def test_readers_and_renderers_have_a_ceiling_on_the_next_major():
    ceilings = {r.name: [s for s in r.specifier if s.operator == "<"] for r in _declared()}
    for name in ("openpyxl", "nbconvert", "pandera"):
        assert ceilings[name], f"{name} has no ceiling"


def test_this_environment_has_the_locked_versions():
    """`make setup` installs from constraints.txt, so the suite runs on exactly what the reports use."""
    different = {}
    for name, pinned in _locked().items():
        try:
            installed = Version(version(name))
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            different[name] = f"{installed} installed, {pinned} locked"
    assert different == {}, "run `make setup` to install the locked versions"


def test_make_setup_installs_from_the_lock_and_make_lock_renews_it():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -c $(LOCK) -e '.[dev]'" in makefile
    assert "LOCK   := constraints.txt" in makefile and "\nlock:" in makefile
    assert "make lock" in (ROOT / "README.md").read_text()
