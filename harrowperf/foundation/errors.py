"""The library's own exceptions: every message names the file, sheet and cell it is about."""

from __future__ import annotations


class HarrowperfError(Exception):
    """Base class of every error harrowperf raises on purpose.

    ``file``, ``sheet`` and ``cell`` say where the problem is (any may be
    ``None`` when it does not apply); ``str(error)`` reads like
    ``scorecard.xlsx, sheet 'Business', cell B7: "Good =" value 'Maybe' ...``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        row: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.row = row
        super().__init__(self._full_message())

    def _full_message(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.cell:
            where.append(f"cell {self.cell}")
        if self.row is not None:
            where.append(f"row {self.row}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ScorecardError(HarrowperfError):
    """A scorecard workbook cannot be read as a scorecard."""


class BudgetError(HarrowperfError):
    """A budget workbook cannot be read as a budget."""


class ActionsError(HarrowperfError):
    """An action-plan workbook cannot be read as an action plan."""


class BenchmarkError(HarrowperfError):
    """A comparative dataset does not match the format expected of its source."""


class LongFileError(HarrowperfError):
    """A long history file (one row per indicator per period) cannot be read through its mapping.

    ``mapping`` is the mapping file (or shipped mapping) used and ``column`` the column of the data file
    it is about (either may be ``None``); ``str(error)`` reads like ``pis.csv (mapping pis.mapping.toml):
    column 'Value' named as actual in [columns] is not in the file; its columns are ...``.
    """

    def __init__(self, message: str, *, file: str | None = None, mapping: str | None = None,
                 column: str | None = None, sheet: str | None = None, cell: str | None = None) -> None:
        self.mapping = mapping
        self.column = column
        where = f"{file} (mapping {mapping})" if file and mapping else (file or (f"mapping {mapping}" if mapping
                                                                             else None))
        super().__init__(message, file=where, sheet=sheet, cell=cell)
        self.file = file


class AmbiguousPeriodError(HarrowperfError, ValueError):
    """A period written so that it names two periods ("2010-11": the financial year 2010/11 or November 2010).

    Raised by :func:`harrowperf.foundation.periods.parse_period` when no frequency says which; ``text`` is the
    period as written. Readers that know the cell turn it into a finding naming the cell.
    """

    def __init__(self, message: str, *, text: str, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None) -> None:
        self.text = text
        super().__init__(message, file=file, sheet=sheet, cell=cell)


class ParameterError(HarrowperfError):
    """A notebook or run was given a parameter it does not accept."""


class RunError(HarrowperfError):
    """A notebook failed during the quarterly run."""


class SettingsError(HarrowperfError):
    """A file in harrowperf/conventions/ has an unknown, missing or wrongly typed setting.

    ``table`` is the dotted table path inside the file ("" for the file's top level), ``key`` the
    key in it and ``reason`` what is wrong; ``str(error)`` reads like ``conventions/rag.toml: table
    [bands], key 'hg_form': unknown setting (a typo?); ...``.
    """

    def __init__(self, reason: str, *, file: str | None = None, table: str = "", key: str = "") -> None:
        self.table = table
        self.key = key
        self.reason = reason
        where = f"table [{table}]" if table else "top level"
        super().__init__(f"{where}, key {key!r}: {reason}" if key else f"{where}: {reason}", file=file)
