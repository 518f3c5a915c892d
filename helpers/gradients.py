"""Measure gradients: through time (per input step) and per layer during training.

- :func:`input_gradient_norms`: for each time step t, the norm of the loss gradient with
  respect to the input x(t). In an unrolled RNN this is the error signal that reached
  step t, so it shows gradients vanishing or exploding as they flow back in time.
- :func:`parameter_gradients` / :func:`global_norm`: the gradients an optimizer would see.
- :class:`GradientNormLogger`: a callback that records each layer's gradient norm after
  every epoch (and, given a log folder, writes them for TensorBoard).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf


def _check_batch(X, y) -> tuple[tf.Tensor, tf.Tensor]:
    if not isinstance(X, np.ndarray) or X.ndim != 3:
        raise ValueError(f"X must be a NumPy array of shape [batch, time steps, features], "
                         f"got {getattr(X, 'shape', type(X).__name__)}")
    if not isinstance(y, np.ndarray) or len(y) != len(X):
        raise ValueError(f"y must be a NumPy array with one row per series of X "
                         f"({len(X)}), got {getattr(y, 'shape', type(y).__name__)}")
    return tf.constant(X, tf.float32), tf.constant(y, tf.float32)


def input_gradient_norms(model: keras.Model, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``||dL/dx(t)||`` for every time step t (norm over the batch), shape ``[steps]``.

    ``L`` is the mean squared error of ``model(X)`` against ``y``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    X_t, y_t = _check_batch(X, y)
    with tf.GradientTape() as tape:
        tape.watch(X_t)
        loss = tf.reduce_mean(tf.square(model(X_t) - y_t))
    grad = tape.gradient(loss, X_t).numpy()
    return np.sqrt(np.sum(np.square(grad.astype(np.float64)), axis=(0, 2)))


def parameter_gradients(model: keras.Model, X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Gradients of the MSE loss with respect to every trainable weight (one batch)."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    X_t, y_t = _check_batch(X, y)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(X_t, training=True) - y_t))
    return [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]


def global_norm(gradients) -> float:
    """The norm of all gradients taken together (what ``global_clipnorm`` limits)."""
    return float(np.sqrt(sum(np.sum(np.square(np.asarray(g, np.float64))) for g in gradients)))


class GradientNormLogger(keras.callbacks.Callback):
    """After each epoch, record every layer's gradient norm on a fixed batch.

    ``norms[layer_name]`` is a list with one value per epoch. With ``log_dir``, the same
    values are written as TensorBoard scalars (``tensorboard --logdir <log_dir>``).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, log_dir: str | Path | None = None):
        super().__init__()
        self.X, self.y = _check_batch(X, y)
        self.norms: dict[str, list[float]] = defaultdict(list)
        self.log_dir = Path(log_dir) if log_dir is not None else None
        self._writer = None

    def on_train_begin(self, logs=None) -> None:
        if self.log_dir is not None:
            self._writer = tf.summary.create_file_writer(str(self.log_dir))

    def on_epoch_end(self, epoch, logs=None) -> None:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self.model(self.X, training=True) - self.y))
        variables = self.model.trainable_variables
        grads = tape.gradient(loss, variables)
        owner = {}
        for layer in self.model.layers:
            for variable in layer.trainable_variables:
                owner[id(variable)] = layer.name
        per_layer: dict[str, float] = defaultdict(float)
        for variable, grad in zip(variables, grads):
            if grad is not None:
                per_layer[owner.get(id(variable), "other")] += float(tf.reduce_sum(grad**2))
        for name, squared in per_layer.items():
            self.norms[name].append(squared**0.5)
            if self._writer is not None:
                with self._writer.as_default():
                    tf.summary.scalar(f"gradient_norm/{name}", squared**0.5, step=epoch)
        if self._writer is not None:
            self._writer.flush()
