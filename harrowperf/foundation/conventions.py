"""Council conventions (RAG bands, colours, thresholds, rule lengths): the TOML files in conventions/, typed.

Every setting lives in one of the files ``harrowperf/conventions/*.toml`` (benchmark, budget,
groups, rag, reports, spc, target_gap). :func:`settings` reads all of them once and returns one
frozen :class:`Settings`; code reads a setting by attribute::

    from harrowperf.foundation.conventions import settings
    settings().rag.bands.hg_from          # 0.05
    settings().spc.rules.shift_length     # 7
    settings().rag.colours["HG"]          # "00B050": colours per RAG code are data, a read-only mapping

The classes below say which tables and keys each file has and what type each value is. A key
that is unknown (a typo), missing or of the wrong type fails when the files are read, with a
:class:`SettingsError` naming the file, the table and the key. Nothing can be changed after
loading (frozen dataclasses, tuples, read-only mappings); a function that accepts overrides
(``rag.assess(bands=...)``, ``budget.variance_rag(thresholds=...)``) builds a changed copy with
:func:`with_overrides`.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from numbers import Integral, Real
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from harrowperf.foundation.errors import ParameterError, SettingsError

FILES = ("actions", "benchmark", "budget", "groups", "rag", "reports", "spc", "target_gap")


@dataclass(frozen=True)
class Keys:
    """Marks a mapping whose keys are fixed (RAG codes, SPC point types): exactly these, no more, no fewer."""

    names: tuple[str, ...]


def _keyed(*names: str) -> Keys:
    return Keys(names)


RAG_CODES = ("HG", "LG", "G", "A", "LR", "HR", "R")
Polarity = Literal["higher", "lower", ""]


# ---------------------------------------------------------------------------------------------
# rag.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagBands:
    """The five-point scale's edges on the relative deviation d (positive = better than target)."""

    hg_from: float
    lg_from: float
    amber_above: float
    lr_from: float

    def __post_init__(self) -> None:
        values = [self.hg_from, self.lg_from, self.amber_above, self.lr_from]
        if not all(high > low for high, low in zip(values, values[1:], strict=False)):
            raise ValueError("RAG bands must satisfy hg_from > lg_from > amber_above > lr_from; got "
                             + ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self)))


@dataclass(frozen=True)
class RagCode:
    label: str
    group: Literal["green", "amber", "red"]


@dataclass(frozen=True)
class FillMatching:
    """How a cell fill colour is read as a RAG code (hue bands in degrees, HLS lightness and saturation)."""

    min_saturation: float
    red_hues: tuple[tuple[float, float], ...]
    amber_hues: tuple[tuple[float, float], ...]
    green_hues: tuple[tuple[float, float], ...]
    light_green_from: float
    light_red_from: float


@dataclass(frozen=True)
class RagSettings:
    bands: RagBands
    codes: Annotated[Mapping[str, RagCode], _keyed(*RAG_CODES)]
    colours: Annotated[Mapping[str, str], _keyed(*RAG_CODES)]
    chart_colours: Annotated[Mapping[str, str], _keyed(*RAG_CODES, "missing")]
    fill_matching: FillMatching

    @property
    def groups(self) -> dict[str, str]:
        """RAG code -> colour group: ``{"HG": "green", ..., "A": "amber", ..., "R": "red"}``."""
        return {code: entry.group for code, entry in self.codes.items()}


# ---------------------------------------------------------------------------------------------
# target_gap.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    annual_target_quarter: int
    deviation_decimals: int
    exact_units: tuple[str, ...]
    month_in_quarter: Literal["last", "latest reported"]


@dataclass(frozen=True)
class Exceptions:
    groups: tuple[Literal["green", "amber", "red"], ...]
    max_age_quarters: int


@dataclass(frozen=True)
class GapSummary:
    worst_gaps: int
    recent_quarters: int


@dataclass(frozen=True)
class GapCharts:
    gap_axis_limit: float
    label_characters: int
    gap_chart_measures: int
    heatmap_measures: int
    target_chart_measures: int
    target_chart_history: int


@dataclass(frozen=True)
class TargetGapSettings:
    assessment: Assessment
    exceptions: Exceptions
    summary: GapSummary
    charts: GapCharts


# ---------------------------------------------------------------------------------------------
# spc.toml
# ---------------------------------------------------------------------------------------------

SPC_RULES = ("outside_limits", "trend", "two_of_three", "shift")
SPC_POINT_TYPES = ("common_cause", "special_cause_improvement", "special_cause_concern",
                   "special_cause_neutral_high", "special_cause_neutral_low")


@dataclass(frozen=True)
class SpcLimits:
    sigma_factor: float
    near_limit_fraction: float
    screening_factor: float
    screen_outliers: bool


@dataclass(frozen=True)
class SpcSeries:
    minimum_points: int
    minimum_fix_points: int


@dataclass(frozen=True)
class SpcRules:
    shift_length: int
    trend_length: int
    two_of_three_window: int
    two_of_three_count: int
    two_of_three_mode: Literal["nhsr", "mdc_2023"]
    precedence: tuple[Literal[SPC_RULES], ...]  # type: ignore[valid-type]


@dataclass(frozen=True)
class Icon:
    code: str
    label: str


@dataclass(frozen=True)
class DirectionLabels:
    improving: str
    declining: str
    no_change: str


@dataclass(frozen=True)
class Direction:
    compare: Literal["auto", "previous", "year"]
    no_change_tolerance: float
    labels: DirectionLabels


@dataclass(frozen=True)
class ForecastSettings:
    confidence_level: float
    significance: float
    minimum_trend_points: int
    minimum_forecast_points: int
    trend_points: int
    seasonal_points: int
    seasonal_periods: int
    initial_states: Literal["estimated", "heuristic"]


@dataclass(frozen=True)
class SpcReport:
    attention: tuple[Literal["concern", "improvement", "failing"], ...]
    detail_charts: int
    small_multiple_panels: int
    named_in_summary: int


@dataclass(frozen=True)
class SpcSettings:
    limits: SpcLimits
    series: SpcSeries
    rules: SpcRules
    rule_labels: Annotated[Mapping[str, str], _keyed(*SPC_RULES)]
    point_types: Annotated[Mapping[str, str], _keyed(*SPC_POINT_TYPES)]
    variation: Annotated[Mapping[str, str], _keyed(
        "common_cause", "improvement", "concern", "neutral", "not_enough_points")]
    variation_icons: Annotated[Mapping[str, Icon], _keyed(
        "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
        "neutral_high", "neutral_low")]
    assurance: Annotated[Mapping[str, Icon], _keyed("consistently_meets", "consistently_fails", "hit_and_miss")]
    status: Annotated[Mapping[str, str], _keyed(
        "ok", "short", "too_few_points", "no_variation", "screened_to_zero", "no_data")]
    colours: Annotated[Mapping[str, str], _keyed(
        *SPC_POINT_TYPES, "value_line", "mean_line", "limits", "target", "forecast")]
    report: SpcReport
    direction: Direction
    forecast: ForecastSettings


# ---------------------------------------------------------------------------------------------
# budget.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetStatus:
    illustrative_words: tuple[str, ...]
    whole_council: str


@dataclass(frozen=True)
class BudgetUnit:
    name: str
    pattern: str
    scale: float


@dataclass(frozen=True)
class Amounts:
    qualifiers: tuple[str, ...]
    nil_words: tuple[str, ...]
    balanced_words: tuple[str, ...]


@dataclass(frozen=True)
class Totals:
    labels: tuple[str, ...]
    allow_rounding: bool


@dataclass(frozen=True)
class LineType:
    pattern: str
    line_type: str
    unit: str = ""  # overrides the column's unit for this line ("" = keep the column's unit)


@dataclass(frozen=True)
class Layout:
    requires: tuple[str, ...]


@dataclass(frozen=True)
class BridgeLabels:
    start: str
    rebase: str
    unexplained: str
    end: str


@dataclass(frozen=True)
class Bridge:
    base_type: str
    movement_order: tuple[str, ...]
    labels: BridgeLabels


@dataclass(frozen=True)
class VarianceDirections:
    over: str
    under: str
    on: str


@dataclass(frozen=True)
class VarianceRag:
    amber_pct: float
    amber_gbp: float
    red_pct: float
    red_gbp: float
    combine: Literal["lower", "higher"]
    underspend: str
    labels: Annotated[Mapping[str, str], _keyed("G", "A", "R")]
    direction_labels: VarianceDirections


@dataclass(frozen=True)
class BudgetChartColours:
    start_end: str
    increase: str
    decrease: str
    unexplained: str
    gap: str
    cumulative: str
    plan: str
    scenario: str


@dataclass(frozen=True)
class BudgetSettings:
    status: BudgetStatus
    units: tuple[BudgetUnit, ...]
    amounts: Amounts
    totals: Totals
    line_types: tuple[LineType, ...]
    area_kinds: Annotated[Mapping[str, tuple[str, ...]], _keyed("total", "funding", "corporate", "capital", "council")]
    layouts: Annotated[Mapping[str, Layout], _keyed("published_figures", "monitoring", "change_analysis",
                                                      "funding_sources")]
    bridge: Bridge
    variance_rag: VarianceRag
    mtfs: Mapping[str, tuple[str, ...]]  # MTFS table column -> the line types that feed it
    chart_colours: BudgetChartColours


# ---------------------------------------------------------------------------------------------
# benchmark.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    tie_method: Literal["average", "min", "max", "first", "dense"]
    quartiles: int


@dataclass(frozen=True)
class PolarityWords:
    higher: str
    lower: str
    in_range: str
    none: str


@dataclass(frozen=True)
class Suppression:
    markers: Mapping[str, str]  # marker printed instead of a number -> its meaning


@dataclass(frozen=True)
class BenchmarkChartColours:
    council: str
    others: str
    median: str
    quartile_bands: tuple[str, ...]


@dataclass(frozen=True)
class DfeMeasure:
    column: str
    id: str
    name: str
    polarity: Polarity
    unit: str
    denominator: str = ""


@dataclass(frozen=True)
class DfeNccis:
    placeholder_names: tuple[str, ...]
    measures: tuple[DfeMeasure, ...]


@dataclass(frozen=True)
class OflogMeasure:
    code: str
    name: str
    unit: str


@dataclass(frozen=True)
class Oflog:
    rank_order: Mapping[str, Polarity]
    measures: tuple[OflogMeasure, ...]


@dataclass(frozen=True)
class Lgbf:
    ranking_type: Mapping[str, Literal["higher", "lower", "in_range"]]
    units: Mapping[str, str]
    already_percentage_points: tuple[str, ...]


@dataclass(frozen=True)
class TraffordMeasure:
    indicator: str
    measure: str
    id: str
    name: str
    polarity: Polarity
    unit: str
    period_kind: Literal["calendar", "academic", "financial"]


@dataclass(frozen=True)
class Trafford:
    measures: tuple[TraffordMeasure, ...]


@dataclass(frozen=True)
class ScorecardLink:
    source: str       # a comparative dataset: dfe_nccis, oflog, lgbf, trafford
    measure: str      # its measure_id
    group: str        # the comparator group to rank among
    match: Literal["same", "related"]
    note: str = ""    # how a related measure differs from the scorecard's


@dataclass(frozen=True)
class BenchmarkSettings:
    ranking: Ranking
    polarity_words: PolarityWords
    quartile_words: Mapping[str, str]  # "1" (best quarter) .. "4"
    suppression: Suppression
    chart_colours: BenchmarkChartColours
    dfe_nccis: DfeNccis
    oflog: Oflog
    lgbf: Lgbf
    trafford: Trafford
    scorecard_links: Mapping[str, ScorecardLink]  # scorecard measure_id -> the public measure benchmarking it


# ---------------------------------------------------------------------------------------------
# groups.toml: one table per comparator group, defined by members, code prefixes, a file or a column
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass(frozen=True)
class GroupSettings:
    label: str
    noun: str
    description: str
    source: str = ""  # where the list comes from, for the analyst checking it
    members: tuple[Area, ...] = ()
    code_prefixes: tuple[str, ...] = ()
    file: str = ""
    include: tuple[Area, ...] = ()
    column: str = ""
    sources: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """How the group is defined: "column", "file", "members" or "code prefixes"."""
        return ("column" if self.column else "file" if self.file
                else "members" if self.members else "code prefixes")


# ---------------------------------------------------------------------------------------------
# reports.toml
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    publisher: str
    title: str
    language: str


@dataclass(frozen=True)
class RunSettings:
    kernel: str
    notebooks_dir: str
    explore_only: tuple[str, ...]
    cell_timeout_seconds: int
    kernel_start_timeout_seconds: int


@dataclass(frozen=True)
class ReportPages:
    max_page_megabytes: float
    chart_table_max_rows: int
    toc_levels: tuple[int, ...]


# The roles the sheet preview colours: those the scorecard reader gives a cell, and "unread".
PREVIEW_ROLES = ("title", "header", "measure", "polarity", "target", "actual", "rag", "qualifier", "footnote",
                 "unparsed", "unread")


@dataclass(frozen=True)
class RoleStyle:
    colour: str
    label: str


@dataclass(frozen=True)
class PreviewSettings:
    empty_run: int  # more empty rows or columns than this in a row are shown as one "empty" line
    max_rows: int  # rows with content shown at most; the rest are counted under the table
    max_columns: int  # the same for columns
    roles: Annotated[Mapping[str, RoleStyle], _keyed(*PREVIEW_ROLES)]


@dataclass(frozen=True)
class ReportsSettings:
    site: Site
    run: RunSettings
    reports: ReportPages
    preview: PreviewSettings


# ---------------------------------------------------------------------------------------------
# actions.toml
# ---------------------------------------------------------------------------------------------


# The action statuses a frame may hold (foundation/schema.py ACTION_STATUSES); actions.toml names them.
ACTION_STATUS_NAMES = ("complete", "on track", "at risk", "off track", "not started", "no status")


@dataclass(frozen=True)
class ActionStatus:
    scale: tuple[str, ...]  # best first
    words: Mapping[str, tuple[str, ...]]  # status -> the words that mean it
    rag_groups: Mapping[str, str]  # colour group of a RAG code or fill -> status

    def __post_init__(self) -> None:
        if tuple(self.scale) != ACTION_STATUS_NAMES:
            raise ValueError(f"the status scale must be {list(ACTION_STATUS_NAMES)} (the actions frame's contract); "
                             f"got {list(self.scale)}")
        unknown = sorted((set(self.words) | set(self.rag_groups.values())) - set(ACTION_STATUS_NAMES))
        if unknown:
            raise ValueError(f"statuses not on the scale: {unknown}")


@dataclass(frozen=True)
class ActionsChart:
    # status -> the key of rag.toml [chart_colours] it is drawn in (one palette for every chart)
    colours: Annotated[Mapping[str, str], _keyed(*ACTION_STATUS_NAMES)]


@dataclass(frozen=True)
class DueYears:
    earliest_year: int  # a due date outside these years is a typing slip, not a date
    latest_year: int


@dataclass(frozen=True)
class ActionsSettings:
    status: ActionStatus
    chart: ActionsChart
    due: DueYears
    layout: Annotated[Mapping[str, tuple[str, ...]], _keyed(
        "theme", "objective", "action", "lead", "due", "status", "progress", "quarter", "measure", "heading",
        "commentary")]
    inferred: Mapping[str, tuple[str, ...]]  # status -> words in progress text that suggest it


# ---------------------------------------------------------------------------------------------
# All of them, and the loader
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Every convention, one attribute per file in ``harrowperf/conventions/``."""

    actions: ActionsSettings
    benchmark: BenchmarkSettings
    budget: BudgetSettings
    groups: Mapping[str, GroupSettings]
    rag: RagSettings
    reports: ReportsSettings
    spc: SpcSettings
    target_gap: TargetGapSettings


@cache
def settings() -> Settings:
    """The conventions shipped with the package (read and checked once, then cached)."""
    return load_settings(resources.files("harrowperf") / "conventions")


def load_settings(folder: str | Path | Traversable) -> Settings:
    """Read and check the TOML files of ``folder``; :class:`SettingsError` names any bad key."""
    folder = Path(folder) if isinstance(folder, str) else folder
    hints = get_type_hints(Settings, include_extras=True)
    parsed = {}
    for name in FILES:
        file = f"conventions/{name}.toml"
        try:
            data = tomllib.loads((folder / f"{name}.toml").read_text("utf-8"))
        except FileNotFoundError:
            raise SettingsError("the file is missing", file=file) from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"not valid TOML: {error}", file=file) from None
        parsed[name] = _convert(hints[name], data, _Place(file, ""))
    return Settings(**parsed)


Section = TypeVar("Section")
Table = TypeVar("Table")


def read_toml(text: str, *, file: str) -> dict[str, Any]:
    """A TOML document as a dict; :class:`SettingsError` naming ``file`` when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"not valid TOML: {error}", file=file) from None


def load_table(kind: type[Table], data: str | Mapping[str, Any], *, file: str) -> Table:
    """One TOML document (text, or already parsed) read into the frozen dataclass ``kind``, checked as the
    settings files are.

    For settings kept outside ``conventions/`` (such as the mapping of a long history file, read by
    :mod:`harrowperf.read.long`). ``file`` names the document in errors: an unknown, missing or wrongly
    typed key raises :class:`SettingsError` naming the file, the table and the key.
    """
    parsed = read_toml(data, file=file) if isinstance(data, str) else dict(data)
    return _convert(kind, parsed, _Place(file, ""))


def with_overrides(section: Section, overrides: Mapping[str, Any] | None, *, what: str) -> Section:
    """A copy of a settings table with some values replaced (``dataclasses.replace``), checked.

    ``what`` names the table in errors ("RAG band"). An unknown name, a value of the wrong type or
    values that break the table's rules raise :class:`ParameterError`.

    >>> with_overrides(settings().rag.bands, {"hg_from": 0.1}, what="RAG band").hg_from
    0.1
    """
    if not overrides:
        return section
    names = [f.name for f in fields(section)]  # type: ignore[arg-type]
    for name in overrides:
        if name not in names:
            raise ParameterError(f"unknown {what} {name!r}; the {what}s are {', '.join(names)}")
    hints = get_type_hints(type(section), include_extras=True)
    try:
        checked = {name: _convert(hints[name], value, _Place("", ""), name) for name, value in overrides.items()}
    except SettingsError as error:
        raise ParameterError(f"{what} {error.key!r} {error.reason}") from None
    try:
        return dataclasses.replace(section, **checked)  # type: ignore[type-var]
    except ValueError as error:
        raise ParameterError(str(error)) from None


@dataclass(frozen=True)
class _Place:
    """Where a value is: the file and the dotted table path inside it ("" = the file's top level)."""

    file: str
    table: str

    def inside(self, key: str) -> _Place:
        return _Place(self.file, f"{self.table}.{key}" if self.table else key)

    def fail(self, key: str, message: str) -> SettingsError:
        return SettingsError(message, file=self.file or None, table=self.table, key=key)


_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _convert(kind: Any, value: Any, place: _Place, key: str = "") -> Any:
    """``value`` (from TOML) checked against ``kind`` and made immutable; raise naming place and key."""
    origin = get_origin(kind)
    if origin is Annotated:
        base, *marks = get_args(kind)
        converted = _convert(base, value, place, key)
        for mark in marks:
            if isinstance(mark, Keys):
                _check_keys(converted, mark.names, place.inside(key) if key else place)
        return converted
    if dataclasses.is_dataclass(kind):
        table = place.inside(key) if key else place
        if not isinstance(value, dict):
            raise place.fail(key, f"should be a table, not {value!r}")
        return _table(kind, value, table)
    if origin is Mapping:
        _, item_kind = get_args(kind)
        if not isinstance(value, dict):
            raise place.fail(key, f"should be a table, not {value!r}")
        table = place.inside(key) if key else place
        return types.MappingProxyType({k: _convert(item_kind, v, table, k) for k, v in value.items()})
    if origin is tuple:
        items = get_args(kind)
        if not isinstance(value, list):
            raise place.fail(key, f"should be a list, not {value!r}")
        if len(items) == 2 and items[1] is Ellipsis:
            items = (items[0],) * len(value)
        elif len(items) != len(value):
            raise place.fail(key, f"should be a list of {len(items)} values, not {value!r}")
        return tuple(_convert(item, v, place, f"{key}[{i}]")
                     for i, (item, v) in enumerate(zip(items, value, strict=True), start=1))
    if origin is Literal:
        allowed = get_args(kind)
        if value not in allowed:
            raise place.fail(key, f"should be one of {', '.join(map(repr, allowed))}, not {value!r}")
        return value
    if kind in (int, float) and isinstance(value, Integral if kind is int else Real) and not isinstance(value, bool):
        return kind(value)  # numpy numbers too (overrides may come from a frame)
    if kind in (str, bool) and isinstance(value, kind):
        return value
    raise place.fail(key, f"should be {_WORDS.get(kind, kind)}, not {value!r}")


def _table(kind: type, value: dict[str, Any], place: _Place) -> Any:
    hints = get_type_hints(kind, include_extras=True)
    known = [f.name for f in fields(kind)]
    for key in value:
        if key not in known:
            raise place.fail(key, f"unknown setting (a typo?); this table's settings are {', '.join(known)}")
    required = [f.name for f in fields(kind)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    for key in required:
        if key not in value:
            raise place.fail(key, "missing")
    converted = {key: _convert(hints[key], item, place, key) for key, item in value.items()}
    try:
        return kind(**converted)
    except ValueError as error:
        raise SettingsError(str(error), file=place.file or None, table=place.table) from None


def _check_keys(mapping: Mapping[str, Any], names: tuple[str, ...], place: _Place) -> None:
    for key in mapping:
        if key not in names:
            raise place.fail(key, f"unknown key (a typo?); the keys are {', '.join(names)}")
    for key in names:
        if key not in mapping:
            raise place.fail(key, "missing")
