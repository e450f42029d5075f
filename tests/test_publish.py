"""Publishing a run: the quarter lock, swapping folders in, never replacing a good report."""

from __future__ import annotations

import json

import pytest

from harrowperf.foundation.errors import RunError
from harrowperf.pipeline.publish import FAILED_SUFFIX, QuarterLock, carry_over, publish, replace_dir, write_site_index

SLUG = "2016-17-Q2"


def test_a_second_run_of_the_same_quarter_is_refused_while_one_is_going_on(tmp_path):
    with QuarterLock(tmp_path, SLUG):
        with pytest.raises(RunError, match="another run of this quarter is in progress"):
            with QuarterLock(tmp_path, SLUG):
                pass
    assert not (tmp_path / f".{SLUG}.lock").exists()


def test_a_lock_left_by_a_dead_run_is_taken_over(tmp_path):
    (tmp_path / f".{SLUG}.lock").write_text("999999999\n")
    (tmp_path / f".{SLUG}.abc.partial").mkdir()          # staging left by the dead run
    with QuarterLock(tmp_path, SLUG):
        assert not (tmp_path / f".{SLUG}.abc.partial").exists()


def test_replace_dir_puts_the_new_folder_in_place_and_removes_the_old(tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a.html").write_text("new")
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "a.html").write_text("old")
    replace_dir(tmp_path / "new", tmp_path / "target")
    assert (tmp_path / "target" / "a.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def record(status, names=("trend",), quarter="Q2 2016/17"):
    return {"quarter": quarter, "slug": SLUG, "status": status, "finished": "2016-10-03T08:00:00+00:00",
            "version": "0.1.0", "notebooks": [
                {"name": n, "title": n.title(), "summary": "", "status": status, "html": f"{n}.html",
                 "ipynb": f"{n}.ipynb", "source": f"notebooks/{n}.ipynb", "failure":
                 None if status == "ok" else {"error": "ValueError: x"}} for n in names]}


def staged(tmp_path, name, run):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(run))
    (folder / "trend.html").write_text(name)
    return folder


def test_a_failed_run_goes_beside_a_good_report_and_a_good_run_replaces_both(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    assert publish(staged(tmp_path, "first", record("ok")), out, SLUG, record("ok")) == out / SLUG
    failed = publish(staged(tmp_path, "second", record("failed")), out, SLUG, record("failed"))
    assert failed == out / f"{SLUG}{FAILED_SUFFIX}"
    assert (out / SLUG / "trend.html").read_text() == "first"
    assert "failed and did not replace" in (out / SLUG / "index.html").read_text()
    assert publish(staged(tmp_path, "third", record("ok")), out, SLUG, record("ok")) == out / SLUG
    assert (out / SLUG / "trend.html").read_text() == "third"
    assert not failed.exists()


def test_a_failed_run_is_published_when_there_is_no_good_report_to_keep(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    assert publish(staged(tmp_path, "first", record("failed")), out, SLUG, record("failed")) == out / SLUG
    assert publish(staged(tmp_path, "second", record("failed")), out, SLUG, record("failed")) == out / SLUG
    assert (out / SLUG / "trend.html").read_text() == "second"


def test_the_site_index_lists_quarters_newest_first_from_their_run_records(tmp_path):
    out = tmp_path / "reports"
    for slug, quarter in [("2016-17-Q1", "Q1 2016/17"), ("2016-17-Q2", "Q2 2016/17"), ("2015-16-Q4", "Q4 2015/16")]:
        (out / slug).mkdir(parents=True)
        (out / slug / "run.json").write_text(json.dumps(record("ok", quarter=quarter)))
    (out / ".2016-17-Q3.x.partial").mkdir()          # a run in progress is not listed
    write_site_index(out)
    page = (out / "index.html").read_text()
    positions = [page.index(f'href="{slug}/index.html"') for slug in ("2016-17-Q2", "2016-17-Q1", "2015-16-Q4")]
    assert positions == sorted(positions)
    assert "Q3" not in page


def test_carry_over_keeps_reports_of_notebooks_that_still_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "trend.ipynb").write_text("{}")
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "run.json").write_text(json.dumps(record("ok", names=("trend", "retired", "running"))))
    for name in ("trend", "retired", "running"):
        (previous / f"{name}.html").write_text(name)
        (previous / f"{name}.ipynb").write_text("{}")
    (tmp_path / "notebooks" / "running.ipynb").write_text("{}")
    staging = tmp_path / "staging"
    staging.mkdir()
    kept = carry_over(previous, staging, {"running"})
    assert [e["name"] for e in kept] == ["trend"]
    assert sorted(p.name for p in staging.iterdir()) == ["trend.html", "trend.ipynb"]


def test_a_lock_file_that_cannot_be_read_counts_as_stale(tmp_path):
    (tmp_path / f".{SLUG}.lock").write_text("not a pid")
    with QuarterLock(tmp_path, SLUG):
        assert (tmp_path / f".{SLUG}.lock").read_text().strip().isdigit()
    with pytest.raises(RunError):
        with QuarterLock(tmp_path, SLUG), QuarterLock(tmp_path, SLUG):
            pass
