"""`import helpers` does not load TensorFlow; the first import of TensorFlow after it is quiet."""

import os
import subprocess
import sys


def _run(code):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)


def test_tools_start_without_tensorflow():
    out = _run("import sys, helpers, tools.navigation, tools.schedule, helpers.results; "
               "print('tensorflow' in sys.modules)")
    assert out.stdout.strip() == "False"


def test_tensorflow_loads_quietly_with_one_thread_per_op():
    out = _run("import helpers, keras, tensorflow as tf; "
               "print(tf.config.threading.get_intra_op_parallelism_threads())")
    assert out.stdout.strip() == "1"
    assert "oneDNN" not in out.stderr and "cuda" not in out.stderr.lower(), out.stderr
