"""`import helpers` loads neither TensorFlow nor Keras; when they load after (or before) it,
TensorFlow is quiet and the course's custom Keras objects are registered."""

import os
import subprocess
import sys

import pytest

REGISTERED = ("course>LNSimpleRNNCell", "course>PeepholeLSTMCell", "course>GatedResidualBlock",
              "course>MaskPadding", "course>MaskedConv1D", "course>PenPositions",
              "helpers>last_time_step_mse")


def _run(code):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)


def test_tools_start_without_tensorflow():
    out = _run("import sys, helpers, tools.navigation, tools.schedule, helpers.results; "
               "print([m for m in ('tensorflow', 'keras') if m in sys.modules])")
    assert out.stdout.strip() == "[]"


def _registered():
    return f"print(all(keras.saving.get_registered_object(n) for n in {REGISTERED})); "


def test_tensorflow_loads_quietly_with_one_thread_per_op_and_registers_custom_objects():
    out = _run("import helpers, keras, tensorflow as tf; " + _registered()
               + "print(tf.config.threading.get_intra_op_parallelism_threads())")
    assert out.stdout.split() == ["True", "1"]
    assert "oneDNN" not in out.stderr and "cuda" not in out.stderr.lower(), out.stderr


@pytest.mark.parametrize("imports", ["helpers, tensorflow, keras", "keras, helpers"])
def test_custom_objects_are_registered_whatever_loads_first(imports):
    assert _run(f"import {imports}; " + _registered()).stdout.strip() == "True"
