"""The settings loader: every conventions file loads into frozen objects, and a bad key fails at load."""

from __future__ import annotations

import dataclasses
import re
import shutil
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import harrowperf as hp
from harrowperf.foundation import conventions
from harrowperf.foundation.conventions import load_settings, settings, with_overrides
from harrowperf.foundation.errors import SettingsError

PACKAGE = Path(str(resources.files("harrowperf")))
SHIPPED = PACKAGE / "conventions"

# Keys kept for the analyst reading the file, not read by the code.
FOR_ANALYSTS = {("GroupSettings", "source")}
# Keys of issue 17's inferred action status, read by the analysis still to land.
STILL_TO_LAND = {("ActionsSettings", "inferred")}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped conventions to break."""
    copy = tmp_path / "conventions"
    shutil.copytree(SHIPPED, copy)
    return copy


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / f"{name}.toml"
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}.toml"
    path.write_text(text.replace(old, new), "utf-8")


def test_every_file_loads_into_its_typed_table():
    loaded = settings()
    assert sorted(f.name for f in dataclasses.fields(loaded)) == sorted(conventions.FILES)
    assert sorted(p.stem for p in SHIPPED.glob("*.toml")) == sorted(conventions.FILES)
    assert loaded.rag.bands == conventions.RagBands(hg_from=0.05, lg_from=0.0, amber_above=-0.05, lr_from=-0.10)
    assert loaded.rag.colours["HG"] == "00B050"
    assert loaded.rag.groups["LR"] == "red"
    assert loaded.spc.rules.shift_length == 7 and loaded.spc.rules.two_of_three_mode == "nhsr"
    assert loaded.spc.variation_icons["improvement_high"].code == "H+"
    assert loaded.budget.units[0].scale == 1_000_000.0
    assert loaded.budget.line_types[0] == conventions.LineType("^repriced base budget", "base_budget", "")
    assert loaded.benchmark.dfe_nccis.measures[0].denominator == "Cohort_DJFavg"
    assert loaded.benchmark.dfe_nccis.measures[5].denominator == ""  # optional key, absent in the file
    assert loaded.groups["london_boroughs"].kind == "members"
    assert len(loaded.groups["london_boroughs"].members) == 32
    assert loaded.groups["region"].kind == "column"
    assert loaded.reports.reports.toc_levels == (2, 3)
    assert loaded.target_gap.summary.worst_gaps == 5
    assert load_settings(SHIPPED) == loaded
    assert settings() is loaded  # read once


@pytest.mark.parametrize(("name", "old", "new", "table", "key"), [
    ("rag", "hg_from = 0.05", "hg_form = 0.05", "bands", "hg_form"),
    ("spc", "shift_length = 7", "shift_lenght = 7", "rules", "shift_lenght"),
    ("spc", "[rule_labels]", "[rule_label]", "", "rule_label"),
    ("reports", 'publisher = "London', 'publsher = "London', "site", "publsher"),
    ("budget", 'line_type = "base_budget"', 'linetype = "base_budget"', "line_types[1]", "linetype"),
    ("benchmark", '{ code = "ASC1", name', '{ cod = "ASC1", name', "oflog.measures[1]", "cod"),
    ("groups", 'label = "London boroughs"', 'lable = "London boroughs"', "london_boroughs", "lable"),
    ("rag", 'HG = "#009E73"', 'HGG = "#009E73"', "chart_colours", "HGG"),
    ("target_gap", "worst_gaps = 5", "worst_gaps = 5\nbest_gaps = 5", "summary", "best_gaps"),
])
def test_a_typo_in_a_key_fails_at_load_naming_file_table_and_key(folder, name, old, new, table, key):
    edit(folder, name, old, new)
    with pytest.raises(SettingsError) as raised:
        load_settings(folder)
    error = raised.value
    assert (error.file, error.table, error.key) == (f"conventions/{name}.toml", table, key)
    assert f"conventions/{name}.toml" in str(error) and repr(key) in str(error)
    assert isinstance(error, hp.HarrowperfError)


@pytest.mark.parametrize(("name", "old", "table", "key"), [
    ("rag", "lr_from = -0.10\n", "bands", "lr_from"),
    ("spc", 'no_data = "No values"\n', "status", "no_data"),
    ("groups", 'noun = "London boroughs"\n', "london_boroughs", "noun"),
])
def test_a_missing_key_fails_at_load(folder, name, old, table, key):
    edit(folder, name, old, "")
    with pytest.raises(SettingsError) as raised:
        load_settings(folder)
    assert (raised.value.file, raised.value.table, raised.value.key) == (f"conventions/{name}.toml", table, key)
    assert "missing" in str(raised.value)


@pytest.mark.parametrize(("name", "old", "new", "table", "key", "words"), [
    ("rag", "hg_from = 0.05", 'hg_from = "high"', "bands", "hg_from", "a number"),
    ("spc", "shift_length = 7", "shift_length = 7.5", "rules", "shift_length", "a whole number"),
    ("spc", "shift_length = 7", "shift_length = true", "rules", "shift_length", "a whole number"),
    ("spc", "screen_outliers = true", 'screen_outliers = "yes"', "limits", "screen_outliers", "true or false"),
    ("spc", 'two_of_three_mode = "nhsr"', 'two_of_three_mode = "mdc"', "rules", "two_of_three_mode", "one of"),
    ("reports", "toc_levels = [2, 3]", 'toc_levels = [2, "h3"]', "reports", "toc_levels[2]", "a whole number"),
    ("reports", "toc_levels = [2, 3]", "toc_levels = 2", "reports", "toc_levels", "a list"),
    ("budget", 'combine = "lower"', 'combine = "lowest"', "variance_rag", "combine", "one of"),
    ("spc", 'labels = { improving = "Improving", declining = "Declining", no_change = "No change" }',
     'labels = "Improving"', "direction", "labels", "a table"),
    ("rag", "red_hues = [[0, 15], [340, 360]]", "red_hues = [[0, 15, 20]]", "fill_matching", "red_hues[1]",
     "2 values"),
])
def test_a_value_of_the_wrong_type_fails_at_load(folder, name, old, new, table, key, words):
    edit(folder, name, old, new)
    with pytest.raises(SettingsError, match=words) as raised:
        load_settings(folder)
    assert (raised.value.file, raised.value.table, raised.value.key) == (f"conventions/{name}.toml", table, key)


def test_bands_out_of_order_fail_at_load_naming_the_table(folder):
    edit(folder, "rag", "lg_from = 0.0", "lg_from = 0.2")
    with pytest.raises(SettingsError, match=r"conventions/rag\.toml: table \[bands\]: RAG bands must satisfy"):
        load_settings(folder)


def test_a_file_that_is_not_toml_or_is_missing_is_named(folder):
    edit(folder, "target_gap", "[summary]", "[summary")
    with pytest.raises(SettingsError, match=r"conventions/target_gap\.toml: top level: not valid TOML"):
        load_settings(folder)
    (folder / "target_gap.toml").unlink()
    with pytest.raises(SettingsError, match=r"conventions/target_gap\.toml: top level: the file is missing"):
        load_settings(folder)


def test_the_settings_cannot_be_changed():
    loaded = settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.rag.bands.hg_from = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        loaded.rag.colours["HG"] = "000000"  # type: ignore[index]
    with pytest.raises(TypeError):
        loaded.groups["london_boroughs"] = loaded.groups["region"]  # type: ignore[index]
    assert isinstance(loaded.budget.line_types, tuple) and isinstance(loaded.reports.reports.toc_levels, tuple)
    assert settings().rag.bands.hg_from == 0.05


def test_overrides_give_a_checked_copy_and_leave_the_settings_alone():
    bands = settings().rag.bands
    wider = with_overrides(bands, {"hg_from": 0.1}, what="RAG band")
    assert wider == dataclasses.replace(bands, hg_from=0.1) and bands.hg_from == 0.05
    assert with_overrides(bands, None, what="RAG band") is bands
    with pytest.raises(hp.ParameterError, match="unknown RAG band 'green_from'; the RAG bands are hg_from"):
        with_overrides(bands, {"green_from": 0.1}, what="RAG band")
    with pytest.raises(hp.ParameterError, match="hg_from > lg_from"):
        with_overrides(bands, {"hg_from": -0.2}, what="RAG band")
    with pytest.raises(hp.ParameterError, match="threshold 'combine' should be one of 'lower', 'higher'"):
        with_overrides(settings().budget.variance_rag, {"combine": "middle"}, what="threshold")
    with pytest.raises(hp.ParameterError, match="threshold 'red_pct' should be a number, not '5'"):
        with_overrides(settings().budget.variance_rag, {"red_pct": "5"}, what="threshold")
    assert with_overrides(bands, {"hg_from": np.float64(0.2)}, what="RAG band").hg_from == 0.2


def _schema_fields(kind: type, seen: set[type]) -> list[tuple[str, str]]:
    """(class name, field name) of every key the TOML files can hold, walking the typed tables."""
    if kind in seen:
        return []
    seen.add(kind)
    out = []
    for name, hint in typing.get_type_hints(kind, include_extras=True).items():
        out.append((kind.__name__, name))
        for inner in _inner_types(hint):
            out.extend(_schema_fields(inner, seen))
    return out


def _inner_types(hint: object) -> list[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]  # type: ignore[list-item]
    return [t for arg in typing.get_args(hint) for t in _inner_types(arg)]


def test_every_key_is_read_by_the_library_or_kept_for_analysts():
    """A key no code reads is dead: remove it from the TOML file and from the schema."""
    code = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")]  # the page templates read [site]
    library = "\n".join(path.read_text("utf-8") for path in code if path != PACKAGE / "foundation" / "conventions.py")
    keys = [(owner, name) for owner, name in _schema_fields(conventions.Settings, set())
            if owner != "Settings" and (owner, name) not in FOR_ANALYSTS | STILL_TO_LAND]
    assert len(keys) > 100
    unused = [f"{owner}.{name}" for owner, name in keys if not re.search(rf"\.{name}\b", library)]
    assert unused == []
    for owner, name in FOR_ANALYSTS:
        assert any(f.name == name for f in dataclasses.fields(getattr(conventions, owner)))


def test_fixed_key_mappings_are_read_only_mappings():
    loaded = settings()
    for mapping in (loaded.rag.codes, loaded.spc.point_types, loaded.budget.area_kinds, loaded.groups):
        assert isinstance(mapping, Mapping) and not isinstance(mapping, dict)
