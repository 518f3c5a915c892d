"""Small ipywidgets builders so that every notebook's controls look and behave alike.

The logic behind a widget is always a plain function (tested on its own); these builders
only wire controls to it. Sliders update when released (``continuous_update=False``), so
a slow redraw does not queue up while the reader drags. ``status_line(value)`` is a
one-line status label (what is running, each epoch's losses, done), ``html_block(value)``
a block of HTML (a table, a heading) that a widget's logic rewrites.
"""

import time
from collections.abc import Callable, Mapping

import ipywidgets as w
import keras
import matplotlib.pyplot as plt

from helpers import checks

_STYLE = {"description_width": "initial"}
status_line, html_block = w.Label, w.HTML


def int_slider(description: str, min: int, max: int, value: int, step: int = 1) -> w.IntSlider:
    """An integer slider that reports its value when released."""
    checks.number("value", value, min, max)
    return w.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=False, style=_STYLE)


def float_slider(description: str, min: float, max: float, value: float,
                 step: float) -> w.FloatSlider:
    """A float slider that reports its value when released."""
    checks.number("value", value, min, max)
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=False, readout_format=".2f", style=_STYLE)


def log_slider(description: str, min_exponent: float, max_exponent: float, value: float,
               step: float = 0.25) -> w.FloatLogSlider:
    """A slider over powers of ten (``10**min_exponent`` to ``10**max_exponent``), for a
    learning rate, reporting its value when released."""
    checks.number("value", value, 10 ** min_exponent, 10 ** max_exponent)
    return w.FloatLogSlider(value=value, base=10, min=min_exponent, max=max_exponent,
                            step=step, description=description, continuous_update=False,
                            readout_format=".1e", style=_STYLE)


def _check_controls(controls) -> None:
    if not isinstance(controls, Mapping) or not controls:
        raise ValueError("controls must be a non-empty mapping of argument name -> widget")


def interactive_view(draw: Callable[..., None], controls: Mapping[str, w.Widget]) -> w.VBox:
    """Controls in a row above an output area that ``draw(**values)`` redraws on change.

    ``draw`` receives one keyword argument per control (the mapping's keys) and draws
    with matplotlib; it is called once immediately, so the view is never empty.
    """
    checks.instance("draw", draw, Callable, "callable")
    _check_controls(controls)
    return w.VBox([w.HBox(list(controls.values())), w.interactive_output(draw, dict(controls))])


def train_button(description: str = "Train") -> w.Button:
    """The course's Train button (every widget that trains a model uses this one)."""
    if not isinstance(description, str) or not description:
        raise ValueError("description must be a non-empty str")
    return w.Button(description=description, button_style="primary", icon="play")


def layout(controls: Mapping[str, w.Widget], button: w.Button, status: w.Label,
           output: w.Widget, *below: w.Widget) -> w.VBox:
    """The course's layout of a training widget: the controls in a row, the button and the
    status line under them, the output area, then anything in ``below``."""
    _check_controls(controls)
    return w.VBox([row(*controls.values()), w.HBox([button, status]), output, *below])


def train_view(train: Callable[..., None], controls: Mapping[str, w.Widget], *,
               epochs_control: str = "epochs", button: str = "Train",
               run_now: bool = True) -> w.VBox:
    """Controls, a Train button, a status line and an output area.

    Clicking the button calls ``train(**values, callbacks=[...])`` inside the output area:
    ``train`` builds and fits a model with those Keras ``callbacks`` (they report each
    epoch in the status line) and draws its results with matplotlib. The button is
    disabled while training. With ``run_now`` it trains once right away so the view
    starts with a result.
    """
    checks.instance("train", train, Callable, "callable")
    _check_controls(controls)
    if epochs_control not in controls:
        raise ValueError(f"epochs_control {epochs_control!r} must name one of {sorted(controls)}")
    run, status, output = train_button(button), w.Label(), w.Output()

    def on_click(_=None):
        values = {name: control.value for name, control in controls.items()}

        def report(epoch, logs):  # each epoch's losses in the status line
            shown = "  ".join(f"{k} {v:.4f}" for k, v in logs.items() if k in ("loss", "val_loss"))
            status.value = f"epoch {epoch + 1}/{values[epochs_control]}  {shown}"

        run.disabled, status.value = True, "training ..."
        start = time.perf_counter()
        try:
            output.clear_output(wait=True)
            with output:
                train(**values, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=report)])
                plt.show()
            status.value = f"{status.value}  (done in {time.perf_counter() - start:.1f} s)"
        except Exception as error:
            status.value = f"failed: {type(error).__name__}: {error}"
            raise
        finally:
            run.disabled = False

    run.on_click(on_click)
    if run_now:
        on_click()
    return layout(controls, run, status, output)


def dropdown(description: str, options, value=None) -> w.Dropdown:
    """A drop-down list; ``value`` defaults to the first option."""
    options = list(options)
    if not options:
        raise ValueError("options must not be empty")
    return w.Dropdown(options=options, value=checks.choice(
        "value", options[0] if value is None else value, options), description=description,
        style=_STYLE, layout=w.Layout(width="180px"))


def checkbox(description: str, value: bool = False) -> w.Checkbox:
    """An on/off switch."""
    return w.Checkbox(value=checks.instance("value", value, bool, "a bool"),
                      description=description, indent=False)


def multi_select(description: str, options=(), rows: int = 5) -> w.SelectMultiple:
    """A list to pick several entries from (ctrl- or shift-click), none picked at first.

    ``options`` as for :func:`dropdown`, or ``(label, value)`` pairs; ``rows`` entries
    show at once.
    """
    return w.SelectMultiple(options=list(options), value=(), rows=checks.integer("rows", rows),
                            description=description, style=_STYLE, layout=w.Layout(width="560px"))


def row(*children: w.Widget) -> w.HBox:
    """Widgets side by side (wrapping onto a new line when the page is narrow)."""
    return w.HBox(list(children), layout=w.Layout(flex_flow="row wrap"))


def column(*children: w.Widget) -> w.VBox:
    """Widgets one under the other."""
    return w.VBox(list(children))
