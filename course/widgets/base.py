"""The base of every explorer: one figure built once, artists moved, a PNG in an ``Image``.

Why not ``%matplotlib inline`` + ``interact``: the inline backend cannot update a figure in
place, so every slider move would redraw everything and flicker. Here the figure is a
plain Agg figure (no pyplot, no global state); a move updates a few artists, the figure is
rendered to PNG into an ``ipywidgets.Image`` and the numbers into an ``ipywidgets.HTML``.
This works the same in JupyterLab, Voila and tests, without ipympl.

Build a new explorer
--------------------
Subclass :class:`Explorer`, create the controls (ipywidgets with a ``value``) as
attributes, call ``super().__init__(controls=[...])`` and implement three hooks::

    class SquareExplorer(Explorer):
        labels = {"x": "x", "square": "x squared"}

        def __init__(self):
            self.x_slider = widgets.FloatSlider(description="x", min=0, max=2, value=1)
            super().__init__(controls=[self.x_slider], figsize=(3, 2))

        def _build_figure(self, figure):           # once: static artists
            ax = figure.add_subplot()
            xs = np.linspace(0, 2, 50)
            ax.plot(xs, xs**2)
            self.point = self._animate(ax.plot([], [], "o")[0])  # moves at every update

        def _compute(self):                        # pure: control values -> numbers shown
            x = self.x_slider.value
            return {"x": x, "square": x**2}

        def _draw(self, values):                   # move artists (no new plot)
            self.point.set_data([values["x"]], [values["square"]])

Any change of a control's ``value`` calls :meth:`Explorer.update`. Artists registered with
``_animate`` are redrawn by blitting over a cached background (fast); when ``_draw``
changes anything else (a curve, an axis limit), it must call ``self._invalidate()`` so the
background is drawn again. A ``ValueError`` raised by ``_compute`` (e.g. an invalid cost)
is shown to the learner instead of a traceback, and kept in ``explorer.error``.

Driving from code (tests, notebooks): set a control's value, then read
``explorer.displayed``, a plain dict of the numbers on screen (raw, unrounded values)::

    explorer.x_slider.value = 1.5
    explorer.displayed["square"]  # 2.25

The HTML shows each number as
``<span class="hsml-value" data-name="square" data-value="2.25">2.250</span>`` inside a
``<div class="hsml-numbers" data-explorer="SquareExplorer">``: browser tests read the
``data-name`` / ``data-value`` attributes. Errors are in ``<div class="hsml-error">``.
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib
from numbers import Integral, Real

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Explorer", "format_value", "numbers_html", "value_html", "png_bytes"]


def format_value(value, spec=None):
    """Text shown for a number: ints with thousands separators, floats with ``spec``.

    ``None`` -> "n/a", NaN -> "undefined", booleans -> "yes"/"no", ``inf`` -> "∞".

    Parameters
    ----------
    value : object
        A number, ``None``, a boolean, or anything else (shown with ``str``).
    spec : str, optional
        Format string for floats, default ``"{:.3f}"``.

    Returns
    -------
    str

    Examples
    --------
    >>> from course.widgets.base import format_value
    >>> format_value(1234567), format_value(0.73125), format_value(float("nan"))
    ('1,234,567', '0.731', 'undefined')
    """
    if value is None:
        return "n/a"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return f"{int(value):,}"
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value):
            return "undefined"
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        return (spec or "{:.3f}").format(value)
    return str(value)


def _data_value(value):
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        return repr(float(value))
    return str(value)


def value_html(name, value, spec=None):
    """One number as ``<span class="hsml-value" data-name=... data-value=...>text</span>``.

    Parameters
    ----------
    name : str
        The number's name (``data-name``, read by browser tests).
    value : object
        The raw value (``data-value``); the text is :func:`format_value` of it.
    spec : str, optional
        Format string for floats (see :func:`format_value`).

    Returns
    -------
    str

    Examples
    --------
    >>> from course.widgets.base import value_html
    >>> value_html("recall", 0.5)
    '<span class="hsml-value" data-name="recall" data-value="0.5">0.500</span>'
    """
    return (
        f'<span class="hsml-value" data-name="{html.escape(name)}" '
        f'data-value="{html.escape(_data_value(value))}">{html.escape(format_value(value, spec))}</span>'
    )


def numbers_html(values, *, explorer, labels=None, formats=None, prefix=""):
    """The default numbers panel: one ``label: value`` line per entry of ``values``.

    Parameters
    ----------
    values : dict
        Name -> value, in display order.
    explorer : str
        The explorer's class name (``data-explorer``).
    labels : dict, optional
        Name -> label; by default the name, capitalized, ``_`` as spaces.
    formats : dict, optional
        Name -> format string for floats.
    prefix : str, default=""
        HTML put before the lines, inside the panel (e.g. a table).

    Returns
    -------
    str

    Examples
    --------
    >>> from course.widgets.base import numbers_html
    >>> print(numbers_html({"alerts": 1200}, explorer="Demo").replace("><", ">\\n<"))
    <div class="hsml-numbers" data-explorer="Demo" style="display:flex;gap:2em;align-items:flex-start">
    <div class="hsml-list">
    <div class="hsml-item">
    <span class="hsml-label">Alerts</span>: <span class="hsml-value" data-name="alerts" data-value="1200">1,200</span>
    </div>
    </div>
    </div>
    """
    labels = labels or {}
    formats = formats or {}
    items = "".join(
        f'<div class="hsml-item"><span class="hsml-label">'
        f"{html.escape(labels.get(name, name.replace('_', ' ').capitalize()))}</span>: "
        f"{value_html(name, value, formats.get(name))}</div>"
        for name, value in values.items()
    )
    return (
        f'<div class="hsml-numbers" data-explorer="{html.escape(explorer)}" '
        f'style="display:flex;gap:2em;align-items:flex-start">{prefix}<div class="hsml-list">{items}</div></div>'
    )


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_bytes(rgba, *, compress_level=1):
    """Encode an RGBA pixel buffer (height, width, 4) as PNG bytes (fast, lossless).

    Written for speed on a slider: the canvas buffer is encoded as it is (RGBA, no copy to
    drop the alpha channel, which is constant for an opaque figure and costs almost
    nothing compressed); each row is stored as its difference with the row above (PNG
    filter "Up": a figure is mostly flat colour, so most bytes become 0) and compressed
    with zlib's run-length strategy. Several times faster than Pillow's encoder for the
    same image, at a similar size, which keeps a high-density (2x) figure within an
    update budget.

    Parameters
    ----------
    rgba : array-like of uint8, shape (height, width, 4) or (height, width, 3)
        E.g. ``canvas.buffer_rgba()`` of an Agg canvas.
    compress_level : int, default=1
        zlib level, 0-9 (with run-length compression the level changes little).

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from PIL import Image
    >>> from course.widgets.base import png_bytes
    >>> pixels = np.zeros((2, 3, 4), dtype=np.uint8)
    >>> pixels[1, 2] = (255, 128, 0, 255)
    >>> data = png_bytes(pixels)
    >>> data[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    >>> np.asarray(Image.open(io.BytesIO(data)))[1, 2].tolist()  # what a browser decodes
    [255, 128, 0, 255]
    """
    pixels = np.asarray(rgba)
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4) or pixels.dtype != np.uint8:
        raise ValueError(
            f"rgba must be uint8 pixels of shape (height, width, 3 or 4), got {pixels.dtype} {pixels.shape}."
        )
    height, width = pixels.shape[:2]
    channels = pixels.shape[2]
    flat = np.ascontiguousarray(pixels).reshape(height, width * channels)  # no copy for a canvas buffer
    rows = np.empty((height, 1 + width * channels), dtype=np.uint8)
    rows[0, 0] = 0  # first row: no filter
    rows[0, 1:] = flat[0]
    rows[1:, 0] = 2  # "Up": each byte minus the byte above, modulo 256
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])
    compressor = zlib.compressobj(compress_level, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    image_data = compressor.compress(rows) + compressor.flush()
    color_type = 6 if channels == 4 else 2  # 8-bit RGBA or RGB, no interlace
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", image_data) + _png_chunk(b"IEND", b"")
    )


class Explorer:
    """Base class of the course's explorers (see the module docstring for a full example).

    Parameters
    ----------
    controls : list of ipywidgets
        The widgets the learner changes; each change of their ``value`` calls ``update``.
    figsize : (float, float), default=(9.6, 3.0)
        Figure size in inches; small figures render fast.
    dpi : int, default=72
        Dots per inch *on screen*: the figure is shown ``figsize * dpi`` CSS pixels wide.
    pixel_ratio : int, default=2
        The PNG holds ``pixel_ratio`` image pixels per CSS pixel and is scaled down by the
        browser, so that lines and text stay sharp on high-density screens (most laptops and
        phones have 2 device pixels per CSS pixel). 1 renders at screen size (faster,
        blurry on such screens).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The Agg figure, built once by ``_build_figure``, at ``dpi * pixel_ratio``.
    image : ipywidgets.Image
        The rendered figure (PNG bytes in ``image.value``), its CSS width set to
        ``css_width`` pixels (at most the width of the page).
    css_width : int
        The figure's width on screen, ``figsize[0] * dpi`` CSS pixels (the PNG holds
        ``pixel_ratio`` times as many).
    numbers : ipywidgets.HTML
        The numbers panel.
    controls : list of ipywidgets
    displayed : dict
        The numbers on screen, by name (raw values). Empty while an error is shown.
    error : str or None
        The message shown instead of the numbers after an invalid input.
    widget : ipywidgets.Box
        The layout (controls, figure, numbers); displaying the explorer displays it.

    Class attributes ``labels`` (name -> label) and ``formats`` (name -> format string,
    e.g. ``"{:,.0f}"``) tune the default numbers panel; override ``_numbers_html`` for a
    custom one (use :func:`value_html` so browser tests can read the values).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> from course.widgets.base import Explorer
    >>> class SquareExplorer(Explorer):
    ...     def __init__(self):
    ...         self.x_slider = widgets.FloatSlider(description="x", min=0, max=2, value=1)
    ...         super().__init__(controls=[self.x_slider], figsize=(3, 2))
    ...     def _build_figure(self, figure):
    ...         self.point = self._animate(figure.add_subplot().plot([0, 2], [0, 4], "o")[0])
    ...     def _compute(self):
    ...         return {"x": self.x_slider.value, "square": self.x_slider.value ** 2}
    ...     def _draw(self, values):
    ...         self.point.set_data([values["x"]], [values["square"]])
    >>> explorer = SquareExplorer()
    >>> explorer.x_slider.value = 1.5
    >>> explorer.displayed
    {'x': 1.5, 'square': 2.25}
    >>> bytes(explorer.image.value[:4])
    b'\\x89PNG'
    """

    labels: dict = {}
    formats: dict = {}

    def __init__(self, controls, *, figsize=(9.6, 3.0), dpi=72, pixel_ratio=2):
        self.controls = list(controls)
        if isinstance(pixel_ratio, bool) or not isinstance(pixel_ratio, Integral) or not 1 <= pixel_ratio <= 4:
            raise ValueError(
                f"pixel_ratio must be an int from 1 to 4 (image pixels per screen pixel), got {pixel_ratio!r}."
            )
        self.pixel_ratio = int(pixel_ratio)
        self.figure = Figure(figsize=figsize, dpi=dpi * self.pixel_ratio)
        FigureCanvasAgg(self.figure)
        self._animated = []
        self._background = None
        self._build_figure(self.figure)
        self.figure.tight_layout(pad=0.6)
        self.css_width = round(figsize[0] * dpi)  # the figure's width on screen, in CSS pixels
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(width=f"{self.css_width}px", max_width="100%", height="auto")
        )
        self.numbers = widgets.HTML()
        self.displayed = {}
        self.error = None
        for control in self.controls:
            control.observe(self._on_change, names="value")
        self.widget = self._layout()
        self.update()

    # -- hooks for subclasses -------------------------------------------------------------

    def _build_figure(self, figure):
        """Create axes and artists once. Register moving artists with ``_animate``."""
        raise NotImplementedError

    def _compute(self):
        """Return the dict of numbers to show, from the controls. Raise ValueError on bad input."""
        raise NotImplementedError

    def _draw(self, values):
        """Update the artists for ``values``; call ``_invalidate()`` if static artists changed."""
        raise NotImplementedError

    def _numbers_html(self, values):
        """HTML of the numbers panel (default: one line per value)."""
        return numbers_html(values, explorer=type(self).__name__, labels=self.labels, formats=self.formats)

    def _layout(self):
        """The widget shown: controls on top (wrapping), figure, numbers."""
        controls = widgets.HBox(self.controls, layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([controls, self.image, self.numbers])

    # -- machinery --------------------------------------------------------------------------

    def _animate(self, artist):
        """Mark ``artist`` as moving: it is blitted at every update, not in the background."""
        artist.set_animated(True)
        self._animated.append(artist)
        return artist

    def _invalidate(self):
        """Static artists changed: draw the whole figure at the next render."""
        self._background = None

    def _on_change(self, change):
        self.update()

    def update(self):
        """Recompute the numbers from the controls, move the artists, render the PNG."""
        try:
            values = self._compute()
        except ValueError as exc:
            self.error = str(exc)
            self.displayed = {}
            self.numbers.value = f'<div class="hsml-error">{html.escape(self.error)}</div>'
            return
        self.error = None
        self._draw(values)
        self.displayed = dict(values)
        self.numbers.value = self._numbers_html(values)
        self.image.value = self.render_png()

    def render_png(self):
        """PNG bytes of the figure: full draw if needed, else background + moving artists."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # animated artists are left out of this draw
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        return png_bytes(canvas.buffer_rgba())

    def static_html(self):
        """The explorer as it stands, without JavaScript: its picture (with alt text) and numbers.

        What a static page (the course's website, nbconvert, GitHub) shows in place of the
        live widget, which needs a kernel.

        Returns
        -------
        str

        Examples
        --------
        >>> import ipywidgets as widgets
        >>> class Line(Explorer):
        ...     def __init__(self):
        ...         self.x = widgets.FloatSlider(description="x", value=1.0)
        ...         super().__init__(controls=[self.x], figsize=(2, 1))
        ...     def _build_figure(self, figure):
        ...         figure.add_subplot().plot([0, 1], [0, 1])
        ...     def _compute(self):
        ...         return {"x": self.x.value}
        ...     def _draw(self, values):
        ...         pass
        >>> page = Line().static_html()
        >>> '<img alt="Line' in page and 'data-name="x"' in page
        True
        """
        picture = base64.b64encode(bytes(self.image.value)).decode("ascii")
        summary = (type(self).__doc__ or type(self).__name__).strip().splitlines()[0]
        alt = html.escape(f"{type(self).__name__}: {summary}", quote=True)
        return (
            '<figure class="hsml-explorer-static">'
            f'<img alt="{alt}" src="data:image/png;base64,{picture}" width="{self.css_width}" '
            'style="max-width:100%;height:auto">'
            f"<figcaption>{self.numbers.value}<p><em>A picture of the explorer at its first position: "
            "run the notebook to move it.</em></p></figcaption></figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # JupyterLab and Voila render the live widget; static renderers fall back to the HTML.
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.static_html()
        return bundle
