"""tools.run executes a notebook in a profile and writes its outputs back."""

import nbformat
import pytest

from tools import run


def test_execute_writes_outputs_and_times_the_run(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# tiny"),
        nbformat.v4.new_code_cell("import os\nprint(os.environ['COURSE_PROFILE'])"),
        nbformat.v4.new_code_cell("6 * 7"),
    ])
    nbformat.write(nb, path)
    lines = []
    seconds = run.execute(path, "quick", log=lines.append)
    done = nbformat.read(path, as_version=4)
    assert done.cells[1].outputs[0]["text"] == "quick\n"
    assert done.cells[2].outputs[0]["data"]["text/plain"] == "42"
    assert 0 < seconds < 120 and lines == []  # no cell took over 10 s


def test_a_failing_notebook_is_not_overwritten(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), path)
    before = path.read_text()
    assert run.main([str(path), "--profile", "quick"]) == 1
    assert path.read_text() == before
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_main_rejects_what_is_not_a_notebook(tmp_path):
    with pytest.raises(SystemExit):
        run.main([str(tmp_path / "missing.ipynb")])
