"""The playground (notebook 11): pick a task and an architecture, train, compare.

:mod:`helpers.playground.logic` holds what a click does, as plain functions tested on
their own (``tests/test_playground.py``): the settings per run profile
(:func:`get_settings`), the tasks (:data:`TASKS`, :func:`load_task`, :func:`score`), the
architectures (:func:`build_model`), one bounded training run (:func:`run_training`), the
leaderboard, the figures, and the presets that replay each notebook's key experiment
(:data:`PRESETS`). :mod:`helpers.playground.app` wires them to widgets
(:class:`Playground`). Both are re-exported here.
"""

from helpers.playground.app import *  # noqa: F403
from helpers.playground.logic import *  # noqa: F403
