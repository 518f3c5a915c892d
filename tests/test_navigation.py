"""Every notebook links to the previous one, the index and the next one (tools.navigation).

The links are written by `make nav` (`python -m tools.navigation`); this test fails when
a notebook was added, renamed or edited without running it again, and checks that the
script is idempotent and that every link points to a notebook that exists.
"""

import re
import shutil

import nbformat
import pytest

from tools import navigation as nav

LINK = re.compile(r"\]\(([^)]+)\)")


def test_committed_notebooks_are_up_to_date():
    stale = [p.name for p in nav.planned_changes()]
    assert not stale, f"run `make nav`: these files lack current navigation links: {stale}"


def test_every_notebook_has_links_top_and_bottom_that_resolve():
    names = nav.notebook_names()
    assert len(names) >= 9 and names[0].startswith("01_")
    for name in names:
        nb = nbformat.read(nav.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        first, last = nb.cells[0], nb.cells[-1]
        assert first.source == last.source == nav.nav_text(name, names)
        targets = LINK.findall(first.source)
        assert f"{nav.INDEX}.ipynb" in targets
        assert all((nav.NOTEBOOKS_DIR / t).exists() for t in targets), targets
        # exactly two navigation cells, and the lesson's H1 right after the first
        assert sum(c.source.startswith(nav.MARK) for c in nb.cells) == 2
        assert nb.cells[1].source.startswith("# ")
    first_nb, last_nb = nav.nav_text(names[0], names), nav.nav_text(names[-1], names)
    assert "←" not in first_nb and "→" not in last_nb


def test_index_lists_every_notebook():
    index = nbformat.read(nav.NOTEBOOKS_DIR / f"{nav.INDEX}.ipynb", as_version=4)
    assert [c.cell_type for c in index.cells] == ["markdown"]
    for name in nav.notebook_names():
        assert f"]({name}.ipynb)" in index.cells[0].source


def test_script_is_idempotent_on_a_copy(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(nav.NOTEBOOKS_DIR, folder,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    # strip the links from one notebook, as if it were new
    py = folder / "03_multistep_forecasting.py"
    py.write_text(re.sub(r"# %% \[markdown\]\n# <!-- nav -->\n(#[^\n]*\n)*\n?", "",
                         py.read_text()))
    changes = nav.planned_changes(folder)
    assert py in changes
    for path, text in changes.items():
        path.write_text(text)
    assert nav.planned_changes(folder) == {}
    assert py.read_text() == (nav.NOTEBOOKS_DIR / py.name).read_text()


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="name must be one of"):
        nav.nav_text("99_nothing")
    with pytest.raises(ValueError, match="SUMMARIES has no line for"):
        nav.index_text(["01_baselines", "42_new"])
    with pytest.raises(ValueError, match="no '# %%' cells"):
        nav.update_py("print(1)\n", "x")
