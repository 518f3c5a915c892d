"""Metrics shared by the notebooks.

A seq-to-seq forecaster outputs, at every time step, the next ``ahead`` values; it is
trained on all of them but judged, like the seq-to-vector models, on the forecast made at
the *last* input step. :func:`last_time_step_mse` is that judgement as a Keras 3 metric.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="helpers")
def last_time_step_mse(y_true, y_pred):
    """Per-sample MSE of the last time step: ``mean((y_true[:, -1] - y_pred[:, -1])**2)``.

    Both inputs have shape ``[batch, time steps, ahead]`` (a ``ValueError`` otherwise:
    targets of another shape would broadcast); the result has shape ``[batch]`` so
    that Keras averages it correctly over batches of unequal size. Use it as
    ``metrics=[last_time_step_mse]``; models compiled with it save to and load from
    ``.keras`` files.
    """
    y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
    pred_shape = tuple(y_pred.shape)
    if len(pred_shape) != 3:
        raise ValueError("last_time_step_mse expects predictions of shape [batch, time "
                         f"steps, ahead], got shape {pred_shape}")
    # Only static shapes are compared here (None: a size known only at run time), so the
    # check adds nothing to the compiled graph and works under XLA.
    try:
        true_shape = tuple(y_true.shape)
    except ValueError:  # a tensor of unknown rank: nothing static to compare
        true_shape = pred_shape
    if len(true_shape) != 3 or any(None not in (a, b) and a != b
                                   for a, b in zip(true_shape, pred_shape)):
        raise ValueError(
            f"last_time_step_mse expects y_true of the predictions' shape {pred_shape} "
            f"([batch, time steps, ahead]), got y_true of shape {true_shape}; a difference "
            f"would broadcast into a wrong value instead of failing")
    # Sizes unknown while Keras traced the metric are checked when it runs: targets with
    # another number of values cannot take the predictions' shape (an error, not a
    # broadcast). Where the sizes match this costs nothing, with or without XLA.
    y_true = ops.cast(ops.reshape(y_true, ops.shape(y_pred)), y_pred.dtype)
    return ops.mean(ops.square(y_true[:, -1] - y_pred[:, -1]), axis=-1)
