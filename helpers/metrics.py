"""Metrics shared by the notebooks.

A seq-to-seq forecaster outputs, at every time step, the next ``ahead`` values; it is
trained on all of them but judged, like the seq-to-vector models, on the forecast made at
the *last* input step. :func:`last_time_step_mse` is that judgement as a Keras 3 metric.
"""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="helpers")
def last_time_step_mse(y_true, y_pred):
    """Per-sample MSE of the last time step: ``mean((y_true[:, -1] - y_pred[:, -1])**2)``.

    Inputs have shape ``[batch, time steps, ahead]``; the result has shape ``[batch]`` so
    that Keras averages it correctly over batches of unequal size. Use it as
    ``metrics=[last_time_step_mse]``; models compiled with it save to and load from
    ``.keras`` files.
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    if len(y_pred.shape) != 3:
        raise ValueError(
            "last_time_step_mse expects predictions of shape [batch, time steps, ahead], "
            f"got shape {tuple(y_pred.shape)}"
        )
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.square(y_true[:, -1] - y_pred[:, -1]), axis=-1)
