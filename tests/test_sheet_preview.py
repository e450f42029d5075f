"""preview: an HTML view of what the reader understood, safe for any text in the sheet."""

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
