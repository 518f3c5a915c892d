"""Arithmetic of stacked (dilated, causal) 1D convolutions: receptive field and size.

Notebook 06 checks these formulas against Keras layers; its widget and the playground
use them to redraw a stack as its settings change.

- A ``Conv1D`` layer with kernel size ``k`` and dilation rate ``d`` reads ``k`` inputs
  spaced ``d`` apart, so each output sees ``(k - 1) d + 1`` consecutive steps.
- Stacked, each layer widens what the top output sees by ``(k - 1) d``: the receptive
  field of the stack is ``1 + (k - 1) * sum(d)``. With ``k = 2`` and rates 1, 2, 4, ...,
  512 (ten layers) that is 1,024 steps.
- A layer mapping ``c_in`` channels to ``c_out`` filters has ``k c_in c_out + c_out``
  weights, whatever its dilation rate.
- :func:`forward_cost` counts what a model spends on one series, whatever the machine:
  multiply-adds, and the operations that must run one after another (a recurrent layer
  adds one per time step, a convolution one per layer). Notebooks 05, 06 and 09 assert
  speed claims on these counts and only show the wall-clock times.
"""

from collections.abc import Sequence
from math import prod
from typing import NamedTuple

from helpers import checks

# Most layers in one run of doubling rates: the last rate is then 2**29, and the stack
# already sees a billion steps (the course's stacks have at most ten layers).
MAX_LAYERS = 30
MAX_REPEATS = 100  # most repeats of a run of doubling rates in doubling_rates
# Largest receptive field input_steps lists step by step (65,536 steps; the course draws
# stacks that see at most a few thousand).
MAX_INPUT_STEPS = 2**16


def _rates(dilation_rates) -> tuple[int, ...]:
    if isinstance(dilation_rates, (str, bytes)) or not isinstance(dilation_rates, Sequence):
        raise TypeError(f"dilation_rates must be a sequence of ints, got "
                        f"{type(dilation_rates).__name__}")
    if not dilation_rates:
        raise ValueError("dilation_rates must not be empty")
    return tuple(checks.integer("dilation_rates[...]", d) for d in dilation_rates)


def doubling_rates(n_layers: int, *, repeats: int = 1) -> tuple[int, ...]:
    """WaveNet's rates: 1, 2, 4, ..., 2**(n_layers - 1), the whole run ``repeats`` times.

    At most :data:`MAX_LAYERS` layers and :data:`MAX_REPEATS` repeats.
    """
    n_layers = checks.integer("n_layers", n_layers, 1, MAX_LAYERS)
    return tuple(2 ** i for i in range(n_layers)) * checks.integer("repeats", repeats, 1,
                                                                   MAX_REPEATS)


def receptive_field(kernel_size: int, dilation_rates: Sequence[int]) -> int:
    """Steps of input that one output of the stack depends on: ``1 + (k - 1) sum(d)``."""
    return 1 + (checks.integer("kernel_size", kernel_size) - 1) * sum(_rates(dilation_rates))


def conv_params(kernel_size: int, n_inputs: int, filters: int) -> int:
    """Weights and biases of one ``Conv1D(filters, kernel_size)`` on ``n_inputs`` channels."""
    filters = checks.integer("filters", filters)
    return (checks.integer("kernel_size", kernel_size) * checks.integer("n_inputs", n_inputs)
            * filters + filters)


def stack_params(kernel_size: int, dilation_rates: Sequence[int], filters: int, *,
                 n_inputs: int = 1) -> int:
    """Parameters of a stack of ``Conv1D(filters, kernel_size, dilation_rate=d)`` layers.

    The first layer reads ``n_inputs`` channels, every later one ``filters``.
    """
    return (conv_params(kernel_size, n_inputs, filters)
            + (len(_rates(dilation_rates)) - 1) * conv_params(kernel_size, filters, filters))


def input_steps(kernel_size: int, dilation_rates: Sequence[int], output_step: int) -> list[int]:
    """The input steps (sorted) that output ``output_step`` of a causal stack reads.

    Steps before 0 are the causal zero padding and are left out. The stack's receptive
    field may be at most :data:`MAX_INPUT_STEPS` steps (the list would fill the memory).
    """
    steps = {checks.integer("output_step", output_step, 0)}
    field = receptive_field(kernel_size, dilation_rates)
    if field > MAX_INPUT_STEPS:
        raise ValueError(f"kernel_size={kernel_size} with these dilation_rates gives a "
                         f"receptive field of {field:,} steps; input_steps lists at most "
                         f"{MAX_INPUT_STEPS:,}")
    for d in reversed(dilation_rates):  # a step below 0 stays below: drop it at once
        steps = {s - j * d for s in steps for j in range(kernel_size) if s - j * d >= 0}
    return sorted(steps)


class Cost(NamedTuple):
    """What one forward pass over one series costs, whatever the machine:
    ``multiply_adds`` of the layers' matrix products (element-wise gates left out), and
    ``sequential_ops``, the operations that must run one after another: each layer is
    one, except a recurrent layer, which is one per time step (step ``t`` needs the state
    of step ``t - 1``)."""

    multiply_adds: int
    sequential_ops: int


def forward_cost(model, n_steps: int) -> Cost:
    """Multiply-adds and sequential operations of ``model`` on one series of ``n_steps``.

    ``model`` is a chain of Keras layers (``Sequential``, or a functional model without
    branches) of ``Dense``, ``Conv1D``, recurrent layers (``SimpleRNN``, ``LSTM``,
    ``GRU``, ``RNN(cell)``), ``TimeDistributed`` and weightless layers (``Flatten``,
    ``Dropout``, ...). A layer with a kernel spends ``kernel.size`` multiply-adds at each
    output position (a ``Conv1D`` output step, a ``Dense`` applied to every step); a
    recurrent layer spends those of its kernel and recurrent kernel at every input step,
    one step after the other. Both counts are properties of the model, not of the
    hardware: a GPU or a busy laptop changes how long they take, not what they are.
    """
    shape = (1, checks.integer("n_steps", n_steps, 1, 10_000_000), model.input_shape[-1])
    multiply_adds = sequential_ops = 0
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        for side in ("input", "output"):
            if isinstance(getattr(layer, side), (list, tuple, dict)):
                raise ValueError(f"forward_cost counts chains of layers; layer "
                                 f"{layer.name!r} has several {side}s")
        inner = getattr(layer, "layer", layer)  # TimeDistributed: the wrapped layer
        cell = getattr(inner, "cell", None)
        out_shape = tuple(layer.compute_output_shape(shape))
        if cell is not None:  # a recurrent layer: one matrix product per step, in order
            per_step = sum(prod(w.shape) for w in (cell.kernel, cell.recurrent_kernel))
            multiply_adds += shape[1] * per_step
            sequential_ops += shape[1]
        elif getattr(inner, "kernel", None) is not None:
            multiply_adds += prod(out_shape[1:-1]) * prod(inner.kernel.shape)
            sequential_ops += 1
        shape = out_shape
    return Cost(int(multiply_adds), int(sequential_ops))
