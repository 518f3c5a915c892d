"""Small ipywidgets builders so that every notebook's controls look and behave alike.

The logic behind a widget is always a plain function (tested on its own); these builders
only wire controls to it. Sliders update when released (``continuous_update=False``), so
a slow redraw does not queue up while the reader drags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as w


def int_slider(description: str, min: int, max: int, value: int, step: int = 1) -> w.IntSlider:
    """An integer slider that reports its value when released."""
    if not min <= value <= max:
        raise ValueError(f"value must be within [min, max] = [{min}, {max}], got {value}")
    return w.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=False, style={"description_width": "initial"})


def float_slider(description: str, min: float, max: float, value: float,
                 step: float) -> w.FloatSlider:
    """A float slider that reports its value when released."""
    if not min <= value <= max:
        raise ValueError(f"value must be within [min, max] = [{min}, {max}], got {value}")
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=False, readout_format=".2f",
                         style={"description_width": "initial"})


def interactive_view(draw: Callable[..., None], controls: Mapping[str, w.Widget]) -> w.VBox:
    """Controls in a row above an output area that ``draw(**values)`` redraws on change.

    ``draw`` receives one keyword argument per control (the mapping's keys) and draws
    with matplotlib; it is called once immediately, so the view is never empty.
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not isinstance(controls, Mapping) or not controls:
        raise ValueError("controls must be a non-empty mapping of argument name -> widget")
    output = w.interactive_output(draw, dict(controls))
    return w.VBox([w.HBox(list(controls.values())), output])
