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
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.data import _positive_int


def _rates(dilation_rates) -> tuple[int, ...]:
    if isinstance(dilation_rates, (str, bytes)) or not isinstance(dilation_rates, Sequence):
        raise TypeError(f"dilation_rates must be a sequence of ints, got "
                        f"{type(dilation_rates).__name__}")
    if not dilation_rates:
        raise ValueError("dilation_rates must not be empty")
    return tuple(_positive_int("dilation_rates[...]", d) for d in dilation_rates)


def doubling_rates(n_layers: int, *, repeats: int = 1) -> tuple[int, ...]:
    """WaveNet's rates: 1, 2, 4, ..., 2**(n_layers - 1), the whole run ``repeats`` times."""
    n_layers = _positive_int("n_layers", n_layers)
    repeats = _positive_int("repeats", repeats)
    return tuple(2 ** i for i in range(n_layers)) * repeats


def receptive_field(kernel_size: int, dilation_rates: Sequence[int]) -> int:
    """Steps of input that one output of the stack depends on: ``1 + (k - 1) sum(d)``."""
    kernel_size = _positive_int("kernel_size", kernel_size)
    return 1 + (kernel_size - 1) * sum(_rates(dilation_rates))


def conv_params(kernel_size: int, n_inputs: int, filters: int) -> int:
    """Weights and biases of one ``Conv1D(filters, kernel_size)`` on ``n_inputs`` channels."""
    kernel_size = _positive_int("kernel_size", kernel_size)
    n_inputs = _positive_int("n_inputs", n_inputs)
    filters = _positive_int("filters", filters)
    return kernel_size * n_inputs * filters + filters


def stack_params(kernel_size: int, dilation_rates: Sequence[int], filters: int, *,
                 n_inputs: int = 1) -> int:
    """Parameters of a stack of ``Conv1D(filters, kernel_size, dilation_rate=d)`` layers.

    The first layer reads ``n_inputs`` channels, every later one ``filters``.
    """
    rates = _rates(dilation_rates)
    first = conv_params(kernel_size, n_inputs, filters)
    return first + (len(rates) - 1) * conv_params(kernel_size, filters, filters)


def input_steps(kernel_size: int, dilation_rates: Sequence[int], output_step: int) -> list[int]:
    """The input steps (sorted) that output ``output_step`` of a causal stack reads.

    Steps before 0 are the causal zero padding and are left out.
    """
    kernel_size = _positive_int("kernel_size", kernel_size)
    if isinstance(output_step, bool) or not isinstance(output_step, int) or output_step < 0:
        raise ValueError(f"output_step must be an int >= 0, got {output_step!r}")
    steps = {output_step}
    for d in reversed(_rates(dilation_rates)):
        steps = {s - j * d for s in steps for j in range(kernel_size)}
    return sorted(s for s in steps if s >= 0)
