"""preview: an HTML view of what the reader understood, safe for any text in the sheet."""

from workbooks import simple_scorecard

from harrowperf.read.preview import ROLE_STYLES, preview


def test_preview_colours_cells_by_role_and_escapes_text(tmp_path):
    path = simple_scorecard(tmp_path / "p.xlsx", [["1 <script>alert(1)</script>", "Higher", "10%", "about half",
                                                   "HG", "10%", "11%", "HG"]])
    markup = preview(path, "Business")._repr_html_()
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    unparsed_colour = ROLE_STYLES["unparsed"][0]
    assert "title='D6: unparsed - the actual text is not understood" in markup
    assert f"background:{unparsed_colour};" in markup
    assert f"background:{ROLE_STYLES['actual'][0]};" in markup
    assert f"background:{ROLE_STYLES['header'][0]};" in markup


def test_preview_saves_a_standalone_page(tmp_path):
    path = simple_scorecard(tmp_path / "p.xlsx")
    preview(path, "Business").save(tmp_path / "p.html")
    assert (tmp_path / "p.html").read_text().startswith("<!doctype html>")
