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


def resolve_shortcut_conflicts(window: MainWindow) -> list[str]:
    """Give each key to one action: the window's own actions win over plug-ins'.

    Two enabled actions with the same shortcut in one window make Qt fire
    neither ("ambiguous shortcut"), so a plug-in that binds, say, the tag
    digits or Ctrl+PgDown again would silently break them. Returns what was
    taken away, for the log.
    """
    from PySide6.QtGui import QAction

    own = set(window.actions.all)
    taken = {k.toString() for a in own for k in a.shortcuts() if not k.isEmpty()}
    removed = []
    for action in window.findChildren(QAction):
        if action in own:
            continue
        keys = action.shortcuts()
        kept = [k for k in keys if k.toString() not in taken]
        if len(kept) != len(keys):
            removed.append(
                f"{action.text()}: {', '.join(k.toString() for k in keys if k not in kept)}"
            )
            action.setShortcuts(kept)
        taken.update(k.toString() for k in kept)
    if removed:
        log.info("shortcuts already bound by the window: %s", "; ".join(removed))
    return removed


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
