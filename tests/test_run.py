"""The quarterly run: parameter checks, injection, failure handling, swap-in publishing and index pages."""

from __future__ import annotations

import io
import json
import os
import re

import nbformat
import pytest
from conftest import KERNEL, ROOT, _ensure_kernel
from throwaway_notebooks import (
    MEASURE_WITH_MARKUP,
    code,
    good_notebook,
    make_project,
    markdown,
    run_in,
    slow_notebook,
    write_notebook,
)

from harrowperf.foundation.errors import ParameterError, RunError
from harrowperf.foundation.reads import READS_VARIABLE
from harrowperf.pipeline.cli import main
from harrowperf.pipeline.run import (
    check_kernel,
    convert_parameter,
    plan_run,
    previous_quarter,
    publish_executed,
    quarter_slug,
    reads_file,
    run_quarter,
    select_notebooks,
)

QUARTER = "Q2 2016/17"
SLUG = "2016-17-Q2"


# --- checks made before anything runs (no kernel needed) -----------------------------------------


def test_quarter_slug_sorts_in_time_order():
    assert quarter_slug("Q2 2016/17") == "2016-17-Q2"
    assert quarter_slug("Q4 2016/17") == "2016-17-Q4"
    assert quarter_slug("Q1 2017/18") == "2017-18-Q1"
    labels = ["Q1 2017/18", "Q4 2016/17", "Q2 2016/17", "Q3 1999/00"]
    assert sorted(map(quarter_slug, labels)) == ["1999-00-Q3", "2016-17-Q2", "2016-17-Q4", "2017-18-Q1"]


@pytest.mark.parametrize(("today", "quarter"), [
    ("2016-11-15", "Q2 2016/17"),     # Oct-Dec is Q3, so Q2 (Jul-Sep) has just ended
    ("2016-10-01", "Q2 2016/17"),
    ("2016-09-30", "Q1 2016/17"),
    ("2017-05-15", "Q4 2016/17"),     # April: the previous quarter is in the previous financial year
    ("2017-02-15T07:00:00+00:00", "Q3 2016/17"),
])
def test_previous_quarter_is_the_last_one_that_has_ended(today, quarter):
    assert previous_quarter(today) == quarter


def test_quarter_previous_is_accepted_by_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good"))
    assert plan_run("previous", None, "notebooks", {}).quarter == previous_quarter()


@pytest.mark.parametrize(("text", "default", "expected"), [
    ("5", 3, 5),
    ("2.5", 0.5, 2.5),
    ("7", 0.5, 7.0),
    ("yes", False, True),
    ("False", True, False),
    ("0", True, False),
    ("Harrow", "Brent", "Harrow"),
    ("12", "Brent", "12"),               # a text default keeps the text, even if it looks like a number
    ("[1, 2]", [3], [1, 2]),
    ("Harrow", None, "Harrow"),         # default None: a Python literal if it is one, else the text
    ("4", None, 4),
])
def test_convert_parameter_follows_the_type_of_the_default(text, default, expected):
    value = convert_parameter(text, default, name="x")
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("text", "default", "words"), [
    ("five", 3, "a whole number"),
    ("1.5", 3, "a whole number"),
    ("lots", 0.5, "a number"),
    ("maybe", False, "true or false"),
    ("7", [1], "a list"),
])
def test_convert_parameter_rejects_values_that_do_not_fit(text, default, words):
    with pytest.raises(ParameterError, match=words) as caught:
        convert_parameter(text, default, name="limit", notebook="trend.ipynb")
    assert "-p limit (in trend.ipynb)" in str(caught.value)


def test_plan_injects_only_the_parameters_each_notebook_declares(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good", "chart"))
    plan = plan_run("q2 2016-17", None, "notebooks", {"limit": "9"})
    assert plan.quarter == QUARTER and plan.slug == SLUG
    assert [p.name for p in plan.notebooks] == ["chart.ipynb", "good.ipynb"]
    assert plan.parameters["good"] == {"quarter": QUARTER, "clean_dir": "data/clean", "limit": 9}
    assert plan.parameters["chart"] == {"quarter": QUARTER}   # no clean_dir, no limit: not declared


def test_plan_rejects_a_parameter_no_notebook_declares_and_lists_those_declared(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good", "chart"))
    with pytest.raises(ParameterError) as caught:
        plan_run(QUARTER, None, "notebooks", {"limt": "9"})
    message = str(caught.value)
    assert "-p limt" in message
    assert "clean_dir, fail, limit, quarter" in message


@pytest.mark.parametrize(("name", "option"), [("quarter", "--quarter"), ("clean_dir", "--clean")])
def test_plan_refuses_p_for_what_the_run_sets_itself(tmp_path, monkeypatch, name, option):
    monkeypatch.chdir(make_project(tmp_path, "good"))
    with pytest.raises(ParameterError, match=option):
        plan_run(QUARTER, None, "notebooks", {name: "x"})


def test_plan_rejects_a_bad_quarter(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good"))
    with pytest.raises(ParameterError, match="'Q5 2016/17' is not a financial quarter"):
        plan_run("Q5 2016/17", None, "notebooks", {})


def test_select_notebooks_by_name_file_name_or_path_and_names_the_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good", "chart", "failing"))
    write_notebook(tmp_path / "notebooks" / "_draft.ipynb", [code("pass")])
    assert [p.stem for p in select_notebooks(None, "notebooks")] == ["chart", "failing", "good"]
    chosen = select_notebooks(["good", "chart.ipynb", "notebooks/failing.ipynb", "good"], "notebooks")
    assert [p.stem for p in chosen] == ["good", "chart", "failing"]
    with pytest.raises(ParameterError, match="'trnd' was not found .* chart, failing, good"):
        select_notebooks(["trnd"], "notebooks")


def test_check_kernel_names_the_fix_when_the_kernel_is_missing():
    with pytest.raises(RunError, match="ipykernel install --sys-prefix --name no-such-kernel"):
        check_kernel("no-such-kernel")


def test_cli_unknown_parameter_exits_2_before_running_anything(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_project(tmp_path, "good"))
    code_ = main(["run", "--quarter", QUARTER, "-p", "nope", "1", "--out", "reports"])
    assert code_ == 2
    assert "-p nope" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_unreadable_raw_data_stops_the_run_and_keeps_reports(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, "good"))
    (tmp_path / "data" / "raw" / "scorecards").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "raw" / "scorecards" / "broken.xlsx").write_bytes(b"not a workbook")
    stream = io.StringIO()
    assert run_quarter(QUARTER, stream=stream) == 1
    assert "could not be read, so no notebook was run" in stream.getvalue()
    assert "broken.xlsx" in stream.getvalue()
    assert not (tmp_path / "reports" / SLUG).exists()


# --- full runs on the harrowperf kernel -----------------------------------------------------------


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """good + chart + failing, two at a time, with -p limit 7."""
    _ensure_kernel()
    root = make_project(tmp_path_factory.mktemp("project"), "good", "chart", "failing")
    code_, log = run_in(root, QUARTER, jobs=2, parameters={"limit": "7"})
    return root, code_, log


@pytest.mark.notebook
def test_a_failed_notebook_makes_the_exit_code_1_and_is_named_with_its_cell(first_run):
    _, code_, log = first_run
    assert code_ == 1
    assert ('error: notebooks/failing.ipynb failed at cell 6 (In [4]), section "Broken part": '
            "ValueError: deliberate failure in Q2 2016/17") in log
    assert "line 2: raise ValueError('deliberate failure in ' + quarter)" in log
    assert "1 of 3 notebook(s) failed" in log


@pytest.mark.notebook
def test_every_notebook_leaves_an_executed_notebook_and_a_page(first_run):
    root, _, _ = first_run
    folder = root / "reports" / SLUG
    assert sorted(p.name for p in folder.iterdir()) == [
        "chart.html", "chart.ipynb", "explore.html", "failing.html", "failing.ipynb", "good.html", "good.ipynb",
        "index.html", "run.json"]
    failed = nbformat.read(folder / "failing.ipynb", as_version=4)
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors[0].evalue == "deliberate failure in Q2 2016/17"
    page = (folder / "failing.html").read_text()
    assert "This report did not finish" in page
    assert "deliberate failure in Q2 2016/17" in page
    assert "fine so far" in page and "never printed" not in page


@pytest.mark.notebook
def test_parameters_reach_the_notebook_converted_and_only_where_declared(first_run):
    root, _, _ = first_run
    folder = root / "reports" / SLUG
    good = nbformat.read(folder / "good.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in good.cells for o in c.get("outputs", []))
    assert "quarter=Q2 2016/17 limit=7 type=int" in printed
    # kernels start in the folder the run was started from (shown as "." once paths are scrubbed)
    assert "cwd=.\n" in printed
    assert "rfc3987_syntax skipped=True" in printed        # the kernel start-up line ran
    assert good.metadata.papermill.parameters == {"quarter": QUARTER, "clean_dir": "data/clean", "limit": 7}
    chart = nbformat.read(folder / "chart.ipynb", as_version=4)
    assert chart.metadata.papermill.parameters == {"quarter": QUARTER}
    record = json.loads((folder / "run.json").read_text())
    assert record["parameters"] == {"limit": "7"}
    assert {e["name"]: e["status"] for e in record["notebooks"]} == {
        "chart": "ok", "failing": "failed", "good": "ok"}


@pytest.mark.notebook
def test_each_notebook_runs_in_a_process_of_its_own(first_run):
    root, _, _ = first_run
    folder = root / "reports" / SLUG
    parents = set()
    for name in ("good", "failing"):
        executed = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        parents.add(int(re.search(r"kernel parent=(\d+)", printed).group(1)))
    # Each kernel was started by its notebook's own process, not by the run's (this test's) process.
    assert len(parents) == 2 and os.getpid() not in parents


@pytest.mark.notebook
def test_pages_have_no_code_no_script_and_no_local_paths(first_run):
    root, _, _ = first_run
    folder = root / "reports" / SLUG
    for page in folder.glob("*.html"):
        text = page.read_text()
        if page.name != "explore.html":  # the explorer is live by design (tests/test_explore_page.py)
            assert "<script" not in text.lower(), page.name
        assert str(root) not in text and str(ROOT) not in text and os.path.expanduser("~") + "/" not in text
    assert 'href="explore.html"' in (folder / "index.html").read_text()
    chart = (folder / "chart.html").read_text()
    assert "import altair" not in chart and "hp.notebook.setup" not in chart
    assert chart.count("<svg") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart and MEASURE_WITH_MARKUP not in chart
    assert "a warning for analysts only" not in chart
    for notebook in folder.glob("*.ipynb"):
        assert str(root) not in notebook.read_text(), notebook.name


@pytest.mark.notebook
def test_the_quarter_index_links_every_report_with_status(first_run):
    root, _, _ = first_run
    index = (root / "reports" / SLUG / "index.html").read_text()
    for name, title in [("good", "Good report"), ("chart", "Chart report"), ("failing", "Failing report")]:
        assert f'<a href="{name}.html">{title}</a>' in index
        assert f'<a href="{name}.ipynb"><code>{name}.ipynb</code></a>' in index
    assert "Failed</span>: ValueError: deliberate failure in Q2 2016/17" in index
    assert "3 reports; 1 did not finish" in index
    assert "One bar per measure." in index          # the notebook's introduction
    site = (root / "reports" / "index.html").read_text()
    assert f'<a href="{SLUG}/index.html">Q2 2016/17</a>' in site


@pytest.mark.notebook
def test_progress_lines_and_summary_table_when_not_a_terminal(first_run):
    _, _, log = first_run
    for name in ("good", "chart", "failing"):
        assert f"{name}: started" in log
    assert "Notebook  Status  Cells" in log
    assert "note: chart printed 1 warning(s)" in log
    assert "reports: reports/2016-17-Q2/index.html" in log


@pytest.mark.notebook
def test_a_failed_run_never_replaces_the_last_good_report(tmp_path, monkeypatch):
    _ensure_kernel()
    monkeypatch.chdir(make_project(tmp_path, "good"))
    folder, failed_folder = tmp_path / "reports" / SLUG, tmp_path / "reports" / f"{SLUG}.failed"
    assert run_quarter(QUARTER, stream=io.StringIO()) == 0
    good_page = (folder / "good.html").read_bytes()

    stream = io.StringIO()
    assert run_quarter(QUARTER, parameters={"fail": "true"}, stream=stream) == 1
    assert (folder / "good.html").read_bytes() == good_page
    assert "RuntimeError: asked to fail" in (failed_folder / "good.html").read_text()
    assert f"reports: reports/{SLUG}.failed/index.html" in stream.getvalue()
    assert "The last good reports for Q2 2016/17 are unchanged" in (failed_folder / "index.html").read_text()
    assert "failed and did not replace\nthese reports" in (folder / "index.html").read_text()
    assert f'href="{SLUG}.failed/index.html"' in (tmp_path / "reports" / "index.html").read_text()
    assert not list((tmp_path / "reports").glob(".*partial"))

    assert run_quarter(QUARTER, stream=io.StringIO()) == 0      # a good run clears the failed one
    assert not failed_folder.exists()
    assert "failed and did not replace" not in (folder / "index.html").read_text()


@pytest.mark.notebook
def test_running_some_notebooks_keeps_the_reports_of_the_others(tmp_path, monkeypatch):
    _ensure_kernel()
    monkeypatch.chdir(make_project(tmp_path, "good"))
    good_notebook(tmp_path / "notebooks" / "second.ipynb")
    log = io.StringIO()
    assert run_quarter(QUARTER, jobs=2, stream=log) == 0, log.getvalue()
    folder = tmp_path / "reports" / SLUG
    second_page = (folder / "second.html").read_bytes()
    assert run_quarter(QUARTER, notebooks=["good"], parameters={"limit": "4"}, stream=io.StringIO()) == 0
    assert (folder / "second.html").read_bytes() == second_page
    record = json.loads((folder / "run.json").read_text())
    assert [e["name"] for e in record["notebooks"]] == ["good", "second"]
    assert '<a href="second.html">' in (folder / "index.html").read_text()
    (tmp_path / "notebooks" / "second.ipynb").unlink()          # a notebook retired from the suite
    assert run_quarter(QUARTER, notebooks=["good"], stream=io.StringIO()) == 0
    assert not (folder / "second.html").exists()
    assert '<a href="second.html">' not in (folder / "index.html").read_text()


@pytest.mark.notebook
def test_a_cell_that_runs_too_long_is_stopped_and_reported(tmp_path, monkeypatch):
    _ensure_kernel()
    root = make_project(tmp_path)
    slow_notebook(root / "notebooks" / "slow.ipynb", seconds=60)
    monkeypatch.chdir(root)
    stream = io.StringIO()
    assert run_quarter(QUARTER, cell_timeout=2, stream=stream) == 1
    assert "notebooks/slow.ipynb failed at cell 4" in stream.getvalue()
    assert 'section "Waiting"' in stream.getvalue()
    assert "stopped after running for 2 s" in stream.getvalue()
    assert "This report did not finish" in (root / "reports" / SLUG / "slow.html").read_text()


@pytest.mark.notebook
def test_a_notebook_that_is_not_valid_json_is_named(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    (root / "notebooks" / "broken.ipynb").write_text("{not json", "utf-8")
    monkeypatch.chdir(root)
    with pytest.raises(RunError, match="broken.ipynb"):
        run_quarter(QUARTER, stream=io.StringIO())


@pytest.mark.notebook
def test_a_notebook_without_a_parameters_cell_runs_without_injection(tmp_path, monkeypatch):
    _ensure_kernel()
    root = make_project(tmp_path)
    write_notebook(root / "notebooks" / "plain.ipynb", [markdown("# Plain\n\nNo parameters."),
                                                       code("print('ran')")])
    monkeypatch.chdir(root)
    assert run_quarter(QUARTER, stream=io.StringIO()) == 0
    executed = nbformat.read(root / "reports" / SLUG / "plain.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters == {}
    assert "ran" in (root / "reports" / SLUG / "plain.html").read_text()


@pytest.mark.notebook
def test_published_folders_can_be_read_by_others(first_run):
    root, _, _ = first_run
    umask = os.umask(0)
    os.umask(umask)
    assert (root / "reports" / SLUG).stat().st_mode & 0o777 == 0o777 & ~umask


@pytest.mark.notebook
def test_the_real_notebooks_run_for_the_default_quarter_into_small_offline_pages(tmp_path, monkeypatch):
    _ensure_kernel()
    monkeypatch.chdir(ROOT)
    out = tmp_path / "reports"
    stream = io.StringIO()
    code_ = run_quarter(QUARTER, out_dir=out, raw_dir=ROOT / "data" / "raw", clean_dir=tmp_path / "clean",
                        jobs=2, stream=stream)
    assert code_ == 0, stream.getvalue()
    folder = out / SLUG
    notebooks = [p.stem for p in select_notebooks(None, ROOT / "notebooks")]  # every report notebook
    assert "target_gap" in notebooks and "explore" not in notebooks
    record = json.loads((folder / "run.json").read_text())
    assert [e["name"] for e in record["notebooks"]] == notebooks
    assert record["data_files"] and all(len(sha) == 64 for sha in record["data_files"].values())
    for name in notebooks:
        page = (folder / f"{name}.html").read_text()
        assert len(page.encode()) < 5 * 1024 * 1024, name
        assert page.count('<figure class="hp-chart"') >= 1 and 'class="hp-chart hp-chart-error"' not in page, name
        assert "<script" not in page.lower() and str(ROOT) not in page, name
        assert 'id="run-details"' in page and 'class="hp-toc"' in page, name


@pytest.mark.notebook
def test_notebooks_executed_elsewhere_are_published_the_same_way(tmp_path, monkeypatch):
    # What the Airflow DAG does: PapermillOperator per notebook, then publish_executed.
    import papermill

    _ensure_kernel()
    root = make_project(tmp_path, "good", "failing")
    monkeypatch.chdir(root)
    from harrowperf.pipeline.clean import clean

    clean("data/raw", "data/clean", stream=None)  # the DAG's first task: the quarter is checked against it
    executed = root / "executed"
    executed.mkdir()
    for name, parameters in [("good", {"quarter": QUARTER, "limit": 5}), ("failing", {"quarter": QUARTER})]:
        if name == "good":   # as the Airflow DAG does: the kernel lists the files it reads
            reads_file(executed, name).write_text("", "utf-8")
            monkeypatch.setenv(READS_VARIABLE, str(reads_file(executed, name)))
        else:
            monkeypatch.delenv(READS_VARIABLE, raising=False)
        try:
            papermill.execute_notebook(f"notebooks/{name}.ipynb", str(executed / f"{name}.ipynb"),
                                       parameters=parameters, kernel_name="harrowperf", progress_bar=False)
        except papermill.PapermillExecutionError:
            pass
    stream = io.StringIO()
    assert publish_executed(QUARTER, executed, stream=stream) == 1
    folder = root / "reports" / SLUG
    assert "notebooks/failing.ipynb failed at cell 6" in stream.getvalue()
    record = json.loads((folder / "run.json").read_text())
    assert {e["name"]: e["status"] for e in record["notebooks"]} == {"failing": "failed", "good": "ok"}
    good = nbformat.read(folder / "good.ipynb", as_version=4)
    assert good.metadata.harrowperf["parameters"]["limit"] == 5
    assert good.metadata.harrowperf["parameters"]["fail"] is False       # the notebook's default
    assert "This report did not finish" in (folder / "failing.html").read_text()
    assert '<a href="good.html">Good report</a>' in (folder / "index.html").read_text()
    # good's reads were recorded (none); failing's were not, so its page lists the raw files as before
    assert "This page read no data files." in (folder / "good.html").read_text()
    failing_details = (folder / "failing.html").read_text().split('id="run-details"')[1]
    assert "data/raw/scorecards/synthetic_scorecard_2016-17_q2.xlsx" in failing_details


@pytest.mark.notebook
def test_each_page_lists_only_the_files_it_read_with_the_workbooks_behind_them(tmp_path, monkeypatch):
    import hashlib
    import html as html_module

    _ensure_kernel()
    root = make_project(tmp_path, "good")
    write_notebook(root / "notebooks" / "reader.ipynb", [
        markdown("# Reader\n\nReads the clean scorecard."),
        code('quarter = "Q2 2016/17"\nclean_dir = "data/clean"', "parameters"),
        code('import harrowperf as hp\nparams = hp.notebook.setup("reader", quarter=quarter, clean_dir=clean_dir)\n'
             'frame = hp.notebook.load_scorecard(params.clean_dir)\nprint(len(frame))'),
    ])
    monkeypatch.chdir(root)
    assert run_quarter(QUARTER, stream=io.StringIO()) == 0
    folder = root / "reports" / SLUG

    def sha(path):
        return hashlib.sha256((root / path).read_bytes()).hexdigest()

    def listed(name):
        page = (folder / f"{name}.html").read_text()
        details = page[page.index('id="run-details"'):]
        return details, [tuple(html_module.unescape(cell) for cell in row) for row in re.findall(
            r"<tr><td><code>([^<]*)</code></td><td>([^<]*)</td><td class=\"hp-checksum\">([0-9a-f]{64})</td></tr>",
            details)]

    workbook = "data/raw/scorecards/synthetic_scorecard_2016-17_q2.xlsx"
    _, rows = listed("reader")
    assert rows == [("data/clean/scorecard.parquet", "read by this page", sha("data/clean/scorecard.parquet")),
                    (workbook, "used to make scorecard.parquet", sha(workbook)),
                    ("data/measures.csv", "used to make scorecard.parquet", sha("data/measures.csv"))]
    details, rows = listed("good")   # its setup checks clean_dir exists, but it reads no file
    assert rows == [] and "This page read no data files." in details and workbook not in details
    assert not list(folder.glob(".*reads*")) and not list(folder.glob("*.jsonl"))
    record = json.loads((folder / "run.json").read_text())
    assert record["data_files"] == {workbook: sha(workbook)}   # the quarter's index lists what clean read


@pytest.mark.notebook
def test_a_notebook_process_that_dies_fails_its_report_and_the_others_still_run(tmp_path, monkeypatch):
    _ensure_kernel()
    root = make_project(tmp_path, "good")
    # the kernel kills the process that drives it, as the out-of-memory killer would
    write_notebook(root / "notebooks" / "killed.ipynb", [
        markdown("# Killed report"), markdown("## Before"), code("x = 1"), markdown("## The end"),
        code("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")])
    monkeypatch.chdir(root)
    stream = io.StringIO()
    assert run_quarter(QUARTER, jobs=1, stream=stream) == 1
    said = stream.getvalue()
    assert 'notebooks/killed.ipynb failed at cell 5, section "The end": its notebook process stopped abruptly' \
        in said
    assert "Traceback" not in said
    assert "This report did not finish" in (root / "reports" / SLUG / "killed.html").read_text()
    record = json.loads((root / "reports" / SLUG / "run.json").read_text())
    status = {entry["name"]: entry["status"] for entry in record["notebooks"]}
    assert status == {"good": "ok", "killed": "failed"}


@pytest.mark.notebook
def test_a_finished_kernel_is_shut_down_without_an_interrupt_but_a_running_one_can_be_interrupted(tmp_path):
    """jupyter_client interrupts a kernel before shutting it down, and ipykernel then logs "ERROR |
    KeyboardInterrupt caught in kernel" into the quarterly run's log; the run's kernels skip that."""
    import asyncio
    import signal

    from harrowperf.pipeline.run import _kernel_manager

    _ensure_kernel()
    sent: list[int] = []

    class Watched(_kernel_manager(tmp_path)):
        async def _async_signal_kernel(self, signum: int) -> None:
            sent.append(signum)
            await super()._async_signal_kernel(signum)

    async def start_interrupt_and_shut_down() -> list[int]:
        manager = Watched(kernel_name=KERNEL)
        await manager.start_kernel()
        await manager.interrupt_kernel()  # what nbclient does to a cell that runs too long
        during_run = list(sent)
        await manager.shutdown_kernel()
        assert not await manager.is_alive()
        return during_run

    during_run = asyncio.run(start_interrupt_and_shut_down())
    assert during_run == [signal.SIGINT]
    assert sent == [signal.SIGINT]  # none more at shutdown
