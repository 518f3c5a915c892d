"""tools.taught: helpers/taught.py is the notebooks' cells tagged ``taught``, collected."""

import ast

import pytest

from tools import taught

HEADER = """# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
# ---
"""


def test_committed_module_is_up_to_date():
    assert taught.TARGET.read_text() == taught.module_text(), (
        "helpers/taught.py is out of date: run python -m tools.taught")
    assert taught.main(["--check"]) == 0


def test_generator_takes_tagged_definitions_and_the_imports_they_use(tmp_path):
    (tmp_path / "01_tiny.py").write_text(HEADER + '''
# %%
import math
import os
from collections import OrderedDict, deque

# %% tags=["taught"]
class Circle:
    """A circle."""

    def area(self, r):
        return math.pi * r ** 2 * len(deque())

# %%
untagged = os.getcwd()


def not_taught():
    return OrderedDict()
''')
    text = taught.module_text(tmp_path)
    assert "# --- from notebooks/01_tiny.py" in text
    assert "class Circle:" in text and "def area(self, r):" in text
    assert "import math\nfrom collections import deque\n" in text
    assert "import os" not in text and "OrderedDict" not in text
    assert "untagged" not in text and "not_taught" not in text
    tree = ast.parse(text)  # a valid module: imports, then the class
    assert [type(node).__name__ for node in tree.body[1:]] == ["Import", "ImportFrom",
                                                               "ClassDef"]


def test_generator_refuses_a_tagged_cell_that_runs_statements(tmp_path):
    (tmp_path / "02_bad.py").write_text(HEADER + '''
# %% tags=["taught"]
def f():
    return 1


x = f()
''')
    with pytest.raises(ValueError, match="02_bad.py: a cell tagged 'taught' may hold only"):
        taught.module_text(tmp_path)
