"""Optional plug-ins: export dialog, review mode, (for now) the dock panels.

Each is a module with ``install(window)``; a module that is not there is
skipped, so the window works while colleagues' parts are still missing. A
plug-in that fails to install is reported in the status bar, not fatal.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

PLUGINS = ("annotator.ui.export_dialog", "annotator.ui.review")

log = logging.getLogger(__name__)


def _import_optional(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name and (name == err.name or name.startswith(err.name + ".")):
            return None
        raise


def install_docks(window: MainWindow) -> Any | None:
    """The dock panels (documents, annotations, inspector, palette) if available."""
    module = _import_optional("annotator.ui.docks")
    if module is None or not hasattr(module, "install_docks"):
        return None
    return module.install_docks(window)


def install_extensions(window: MainWindow) -> list[str]:
    installed = []
    for name in PLUGINS:
        try:
            module = _import_optional(name)
            if module is None or not hasattr(module, "install"):
                continue
            module.install(window)
            installed.append(name)
        except Exception as err:  # a broken plug-in must not take the editor down
            log.exception("plug-in %s failed", name)
            window.statusBar().showMessage(f"Plug-in {name} failed to load: {err}", 10000)
    return installed
