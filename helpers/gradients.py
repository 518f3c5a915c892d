"""Measure gradients: through time (per input step) and per layer during training.

- :func:`input_gradient_norms`: for each time step t, the norm of the loss gradient with
  respect to the input x(t). In an unrolled RNN this is the error signal that reached
  step t, so it shows gradients vanishing or exploding as they flow back in time. It runs
  a float64 copy of the model (:func:`in_float64`): an exploding gradient overflows
  float32 (largest value 3.4e38) within a couple of hundred steps, and an overflow is
  reported as an infinite norm (divergence), never as NaN.
- :func:`parameter_gradients` / :func:`global_norm`: the gradients an optimizer would see.
- :class:`GradientNormLogger`: a callback that records each layer's gradient norm after
  every epoch (and, given a log folder, writes them for TensorBoard).
"""

from collections import defaultdict
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from helpers import checks


def _check_batch(X, y) -> tuple[tf.Tensor, tf.Tensor]:
    """``X`` ``[batch, time steps, features]`` and ``y`` (one row per series) as tensors."""
    X, y = checks.array("X", X, ndim=3), checks.array("y", y)
    if len(y) != len(X):
        raise ValueError(f"y must have one row per series of X ({len(X)}), got shape {y.shape}")
    return tf.constant(X, tf.float32), tf.constant(y, tf.float32)


def _squared_error(output: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
    """``mean((output - y)**2)``, refusing a ``y`` that would broadcast against ``output``."""
    if tuple(output.shape) != tuple(y.shape):
        raise ValueError(f"y must have the model's output shape {tuple(output.shape)}, got "
                         f"{tuple(y.shape)}: a broadcast difference gives a wrong loss")
    return tf.reduce_mean(tf.square(output - y))


def _norms(values, axis) -> np.ndarray | float:
    """Euclidean norms over ``axis`` in float64, scaled so that squaring cannot overflow.

    A norm over values that are not all finite is ``inf``: what overflowed diverged.
    """
    values = np.asarray(values, np.float64)
    finite = np.all(np.isfinite(values), axis=axis)
    values = np.where(np.isfinite(values), values, 0.0)
    largest = np.max(np.abs(values), axis=axis, keepdims=True, initial=0.0)  # 0 if empty
    scale = np.where(largest > 0, largest, 1.0)
    with np.errstate(over="ignore"):  # a norm past 1.8e308 is inf: it overflowed
        norms = np.squeeze(scale, axis=axis) * np.sqrt(np.sum(np.square(values / scale), axis=axis))
    return np.where(finite, norms, np.inf)


def in_float64(model: keras.Model) -> keras.Model:
    """A copy of ``model`` that computes in float64, with the same weights.

    Use it to measure values that overflow float32 (an exploding gradient passes 3.4e38
    quickly): the copy's inputs and weights are all float64, so nothing is rounded back to
    float32 on the way. Raises ``ValueError`` if a layer keeps float32 weights.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    if all(t.dtype == "float64" for t in model.weights + model.inputs):
        return model
    inputs = [keras.Input(batch_shape=t.shape, dtype="float64") for t in model.inputs]
    copy = keras.models.clone_model(model, input_tensors=inputs if len(inputs) > 1 else inputs[0],
                                    clone_function=lambda layer: layer.__class__.from_config(
                                        {**layer.get_config(), "dtype": "float64"}))
    if not all(w.dtype == "float64" for w in copy.weights):
        raise ValueError(f"model {model.name!r} has a layer that keeps float32 weights "
                         f"when asked for float64; measure it with dtype='float32'")
    copy.set_weights([np.asarray(w, np.float64) for w in model.get_weights()])
    return copy


def input_gradient_norms(model: keras.Model, X: np.ndarray, y: np.ndarray,
                         dtype: str = "float64") -> np.ndarray:
    """``||dL/dx(t)||`` for every time step t (norm over the batch), shape ``[steps]``.

    ``L`` is the mean squared error of ``model(X)`` against ``y``, which must have the
    shape of ``model(X)`` (``[batch, 1]`` for a one-step forecaster). It is computed in
    ``dtype``: ``"float64"`` (default) runs :func:`in_float64` of the model, ``"float32"``
    the model itself. A step whose gradient overflowed even so gets the norm ``inf`` (the
    computation diverged there); the result never contains NaN.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    checks.choice("dtype", dtype, ("float32", "float64"))
    X_t, y_t = _check_batch(X, y)
    if dtype == "float64":
        model = in_float64(model)
        X_t, y_t = tf.cast(X_t, tf.float64), tf.cast(y_t, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(X_t)
        loss = _squared_error(model(X_t), y_t)
    return _norms(tape.gradient(loss, X_t).numpy(), axis=(0, 2))


def parameter_gradients(model: keras.Model, X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Gradients of the MSE loss with respect to every trainable weight (one batch).

    ``y`` must have the shape of ``model(X)``.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    X_t, y_t = _check_batch(X, y)
    with tf.GradientTape() as tape:
        loss = _squared_error(model(X_t, training=True), y_t)
    return [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]


def global_norm(gradients) -> float:
    """The norm of all gradients taken together (what ``global_clipnorm`` limits)."""
    return float(_norms([_norms(g, axis=None) for g in gradients], axis=None))


class GradientNormLogger(keras.callbacks.Callback):
    """After each epoch, record every layer's gradient norm on a fixed batch.

    ``y`` must have the shape of the model's output on ``X`` (checked when training starts).

    ``norms[layer_name]`` is a list with one value per epoch. With ``log_dir``, the same
    values are written as TensorBoard scalars (``tensorboard --logdir <log_dir>``).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, log_dir: str | Path | None = None):
        super().__init__()
        self.X, self.y = _check_batch(X, y)
        self.norms: dict[str, list[float]] = defaultdict(list)
        self.log_dir, self._writer = log_dir, None

    def on_train_begin(self, logs=None) -> None:
        _squared_error(self.model(self.X[:1]), self.y[:1])  # y's shape, before any epoch
        if self.log_dir is not None:
            self._writer = tf.summary.create_file_writer(str(self.log_dir))

    def on_epoch_end(self, epoch, logs=None) -> None:
        layers = {layer.name: layer.trainable_variables for layer in self.model.layers
                  if layer.trainable_variables}
        with tf.GradientTape() as tape:
            loss = _squared_error(self.model(self.X, training=True), self.y)
        for name, grads in tape.gradient(loss, layers).items():
            grads = [g for g in grads if g is not None]
            if grads:
                self.norms[name].append(global_norm(grads))  # each tensor's norm, then the layer's
        if self._writer is not None:
            with self._writer.as_default():
                for name, values in self.norms.items():
                    tf.summary.scalar(f"gradient_norm/{name}", values[-1], step=epoch)
            self._writer.flush()
