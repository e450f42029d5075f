"""preview: an HTML view of what the reader understood, safe for any text in the sheet."""

from openpyxl.utils import get_column_letter
from workbooks import simple_scorecard

from harrowperf.foundation.conventions import settings
from harrowperf.read.preview import preview


def test_preview_colours_cells_by_role_and_escapes_text(tmp_path):
    path = simple_scorecard(tmp_path / "p.xlsx", [["1 <script>alert(1)</script>", "Higher", "10%", "about half",
                                                   "HG", "10%", "11%", "HG"]])
    markup = preview(path, "Business")._repr_html_()
    colours = {role: style.colour for role, style in settings().reports.preview.roles.items()}
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    unparsed_colour = colours["unparsed"]
    assert "title='D6: unparsed - the actual text is not understood" in markup
    assert f"background:{unparsed_colour};" in markup
    assert f"background:{colours['actual']};" in markup
    assert f"background:{colours['header']};" in markup


def test_preview_saves_a_standalone_page(tmp_path):
    path = simple_scorecard(tmp_path / "p.xlsx")
    preview(path, "Business").save(tmp_path / "p.html")
    assert (tmp_path / "p.html").read_text().startswith("<!doctype html>")


def test_every_role_the_reader_gives_has_a_preview_colour():
    from conftest import RAW

    from harrowperf.foundation.conventions import PREVIEW_ROLES
    from harrowperf.read.scorecard import read_scorecard

    roles = set()
    for path in sorted((RAW / "scorecards").glob("*.xlsx")):
        roles |= set(read_scorecard(path).layout["role"])
    assert {"header", "measure", "polarity", "target", "actual", "rag"} <= roles
    assert roles <= set(PREVIEW_ROLES)


def test_a_stray_cell_far_away_is_shown_after_one_line_per_empty_run(tmp_path):
    """A cell at XFD1048576 below a small table: the preview shows the table, one line for the empty rows
    and one header for the empty columns, and the stray cell; before, it built 17 billion table cells."""
    from openpyxl import load_workbook

    path = simple_scorecard(tmp_path / "p.xlsx")
    workbook = load_workbook(path)
    last_row, last_col = workbook["Business"].max_row, workbook["Business"].max_column
    workbook["Business"]["XFD1048576"] = "stray <b>"
    workbook.save(path)
    markup = preview(path, "Business")._repr_html_()
    assert f"rows {last_row + 1:,} to 1,048,575 are empty" in markup
    assert markup.count("are empty") == 2  # one run of rows, one of columns
    assert "title='columns " + get_column_letter(last_col + 1) + " to XFC are empty'" in markup
    assert "<th>XFD</th>" in markup and "<th>1048576</th>" in markup and "stray &lt;b&gt;" in markup
    assert len(markup) < 50_000


def test_rows_beyond_the_limit_are_counted_not_shown(tmp_path):
    from openpyxl import load_workbook

    path = simple_scorecard(tmp_path / "p.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Business"]
    first = sheet.max_row + 1
    limit = settings().reports.preview.max_rows
    for row in range(first, limit + 6):  # the table's rows plus these: 5 more than the limit in all
        sheet.cell(row, 1, f"note {row}")
    workbook.save(path)
    used = [cells[0].row for cells in sheet.iter_rows() if any(cell.value is not None for cell in cells)]
    markup = preview(path, "Business")._repr_html_()
    assert f">note {used[limit - 1]}<" in markup and f">note {used[limit]}<" not in markup
    assert f"{len(used) - limit} more rows with content are not shown (the preview shows {limit:,})" in markup
