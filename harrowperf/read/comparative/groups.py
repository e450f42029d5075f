"""Comparator groups: the councils a council is ranked against (conventions/groups.toml, data/groups.csv)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harrowperf.foundation.conventions import GroupSettings, settings
from harrowperf.foundation.errors import BenchmarkError
from harrowperf.foundation.project import project_file
from harrowperf.read.comparative import contract
from harrowperf.read.comparative.sources import DEFAULT_DATA_DIR

DEFAULT_USER_FILE = Path("data/groups.csv")  # in the project folder (foundation.project)
_GSS_SHAPED = re.compile(r"^[A-Z]\d{2,}")


@dataclass(frozen=True)
class Group:
    """A set of areas to rank a council against.

    ``members`` (area codes) or ``prefixes`` (GSS code prefixes) say who is in it; ``names`` maps
    member codes to names where the definition gives them; ``noun`` finishes a sentence such as
    "ranks 5th of 32 London boroughs".
    """

    key: str
    label: str
    noun: str
    description: str = ""
    members: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict, compare=False)

    def select(self, codes: pd.Series) -> pd.Series:
        """True where an area code belongs to the group (vectorised)."""
        codes = codes.astype("string")
        inside = codes.isin(self.members) if self.members else codes.str.startswith(self.prefixes)
        return inside.fillna(False).astype(bool)

    def missing_from(self, frame: pd.DataFrame) -> list[str]:
        """Member codes the frame has no row for (an explicit member list only), e.g. a renamed council."""
        present = set(frame["area_code"].dropna())
        return sorted(self.members - present)


def comparator_group(name: str | Group | Iterable[str], *, data_dir: str | Path = DEFAULT_DATA_DIR,
                     user_file: str | Path | None = DEFAULT_USER_FILE) -> Group:
    """Build a comparator group by name.

    ``name`` is a key of ``conventions/groups.toml`` ("london_boroughs", "english_councils",
    "cipfa_trafford", ...), a column group "<key>:<value>" ("region:London",
    "lgbf_family:Most Deprived"), a group in the user file ``data/groups.csv``, a :class:`Group`,
    or a list of area codes. Unknown names raise :class:`BenchmarkError` listing the known ones.
    """
    if isinstance(name, Group):
        return name
    if not isinstance(name, str):
        codes = frozenset(str(code) for code in name)
        return Group("chosen", "chosen councils", "chosen councils", members=codes)
    configured = settings().groups
    data_dir = Path(data_dir)
    if ":" in name:
        key, value = (part.strip() for part in name.split(":", 1))
        if key in configured and configured[key].column:
            return _column_group(key, value, configured[key], data_dir)
    elif name in configured and not configured[name].column:
        return _configured_group(name, configured[name], data_dir)
    user = _user_groups(user_file)
    if name in user:
        return user[name]
    known = [k for k, v in configured.items() if not v.column] + list(user)
    columns = [f"{k}:<value>" for k, v in configured.items() if v.column]
    raise BenchmarkError(f"no comparator group {name!r}; known groups: {', '.join(known)}; "
                         f"or by the source's column: {', '.join(columns)}")


def _configured_group(key: str, spec: GroupSettings, data_dir: Path) -> Group:
    names = {area.code: area.name for area in spec.members + spec.include}
    members = set(names)
    if spec.file:
        from harrowperf.read.comparative.trafford import read_cipfa_neighbours

        listed = read_cipfa_neighbours(data_dir / spec.file)
        names.update(dict(zip(listed["area_code"], listed["area_name"], strict=True)))
        members |= set(listed["area_code"])
    return Group(key, spec.label, spec.noun, spec.description, frozenset(members), spec.code_prefixes, names)


def _column_group(key: str, value: str, spec: GroupSettings, data_dir: Path) -> Group:
    from harrowperf.read.comparative.sources import area_attributes

    tables = [area_attributes(source, data_dir) for source in spec.sources]
    areas = pd.concat(tables, ignore_index=True)
    areas = areas[areas["attribute"] == spec.column]
    if spec.code_prefixes:
        areas = areas[areas["area_code"].astype(str).str.startswith(spec.code_prefixes)]
    chosen = areas[areas["value"].astype(str).str.casefold() == value.casefold()]
    if chosen.empty:
        values = ", ".join(sorted(areas["value"].dropna().astype(str).unique()))
        raise BenchmarkError(f"no areas with {spec.column} {value!r} in {', '.join(spec.sources)}; "
                             f"the values there are: {values}")
    shown = chosen["value"].iloc[0]
    names = dict(zip(chosen["area_code"], chosen["area_name"], strict=True))
    return Group(f"{key}:{shown}", spec.label.format(value=shown), spec.noun.format(value=shown),
                 spec.description, frozenset(chosen["area_code"]), (), names)


def _user_groups(user_file: str | Path | None) -> dict[str, Group]:
    if user_file is None:
        return {}
    path = project_file(DEFAULT_USER_FILE) if Path(user_file) == DEFAULT_USER_FILE else Path(user_file)
    if not path.is_file():
        return {}
    raw = contract.read_csv(path, ["group", "label", "area_code"], format_name="comparator-group list")
    header = pd.read_csv(path, nrows=0).columns
    optional = [c for c in ("noun", "area_name") if c in header]
    extra = (pd.read_csv(path, usecols=optional, keep_default_na=False) if optional
             else pd.DataFrame(index=raw.index))
    rows = contract.record_numbers(raw)
    code = raw["area_code"].astype("string").str.strip()
    for position, (group, text) in enumerate(zip(raw["group"], code, strict=True)):
        if pd.isna(group) or str(group).strip() == "":
            raise BenchmarkError("a row has no group name", file=path.name, row=int(rows[position]))
        if pd.isna(text) or text == "" or (_GSS_SHAPED.match(text) and not contract._GSS_CODE.match(text)):
            raise BenchmarkError(f"unknown area code {text!r} for group {group!r}: expected a GSS code "
                                 "such as 'E09000015' (or an LGBF council name)", file=path.name,
                                 row=int(rows[position]))
    groups = {}
    for key, rows_of in raw.assign(area_code=code).groupby("group", sort=False):
        names = {}
        if "area_name" in extra:
            names = dict(zip(rows_of["area_code"], extra.loc[rows_of.index, "area_name"], strict=True))
        noun = extra.loc[rows_of.index, "noun"].iloc[0] if "noun" in extra else ""
        label = str(rows_of["label"].iloc[0])
        groups[str(key)] = Group(str(key), label, noun or label, f"user-defined group in {path}",
                                 frozenset(rows_of["area_code"]), (), names)
    return groups


def list_groups(*, user_file: str | Path | None = DEFAULT_USER_FILE) -> pd.DataFrame:
    """Every named group: key, label, how it is defined (members, code prefixes, file, column, user)."""
    rows = []
    for key, spec in settings().groups.items():
        shown = f"{key}:<value>" if spec.kind == "column" else key
        rows.append({"group": shown, "label": spec.label.replace("{value}", "<value>"), "defined_by": spec.kind,
                     "description": " ".join(spec.description.split())})
    for key, group in _user_groups(user_file).items():
        rows.append({"group": key, "label": group.label, "defined_by": "user file",
                     "description": group.description})
    return pd.DataFrame(rows)
