"""pytest set-up shared by the unit tests and the notebook tests (nbval).

The quick profile is the default under pytest; kernels started by nbval inherit this
process's environment, so they run quick too. Set COURSE_PROFILE=full to check the full
profile instead.
"""

import os

os.environ.setdefault("COURSE_PROFILE", "quick")
# TensorFlow reads this when its C++ logging starts up, i.e. in each kernel process.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def pytest_collectstart(collector):
    """nbval: never compare stderr (TensorFlow and absl write start-up lines there)."""
    if getattr(collector, "skip_compare", None) is not None:
        collector.skip_compare = tuple(collector.skip_compare) + ("stderr",)
