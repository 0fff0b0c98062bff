"""annotator: mark appeals, victims and responsible authorities in press releases.

The package is split in two. Everything outside ``annotator.ui`` is the Qt-free
core (model, file formats, import, export, review, CLI); only ``annotator.ui``
imports PySide6.
"""

__version__ = "0.1.0"
FORMAT_VERSION = 3
