"""``annotator gui [PROJECT.xml]`` / ``annotator-gui``: start the desktop app.

Opens the given project, else the last one, else the bundled sample, else a
new empty project. Asks for the user's name once (kept in the settings;
``ANNOTATOR_NAME`` overrides it) because that name owns the user's layer.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from annotator import __version__
from annotator.ui import dialogs, settings
from annotator.ui.file_ops import sample_project_path

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def ensure_user_name() -> str:
    name = settings.stored_user_name()
    if name:
        return name
    name = dialogs.ask_name(None, settings.system_user()) or settings.system_user() or "annotator"
    settings.store_user_name(name)
    return name


def startup_project(arg: str | None) -> Path | None:
    if arg:
        return Path(arg)
    last = settings.last_project()
    if last and Path(last).is_file():
        return Path(last)
    return sample_project_path()


def create_window(project_arg: str | None = None, user: str | None = None) -> MainWindow:
    """Build and show a main window (what ``main`` does, minus the event loop)."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow(user or ensure_user_name())
    path = startup_project(project_arg)
    opened = path is not None and window.file_ops.open_path(path, ask=False)
    if not opened:
        window.recovery.offer_restore(None, None)
    window.show()
    return window


def install_excepthook(window: QWidget) -> None:
    """A bug in a slot must not lose work: every edit is already journaled; say so, keep running."""
    previous = sys.excepthook
    busy = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal busy
        if busy or issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        busy = True
        try:
            traceback.print_exception(exc_type, exc, tb)
            dialogs.show_error(
                window,
                "Unexpected error",
                f"Something went wrong inside Annotator ({exc_type.__name__}: {exc}). "
                "Every edit so far is in the edit journal; save your work, and restart if "
                "anything looks wrong.",
                "".join(traceback.format_exception(exc_type, exc, tb)),
            )
        finally:
            busy = False

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="annotator-gui", description="Annotator desktop app")
    parser.add_argument("project", nargs="?", help="project file to open")
    parser.add_argument("--annotator", metavar="NAME", help="your name (owns your layer)")
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(settings.APPLICATION)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationDisplayName("Annotator")
    from annotator.ui.actions import icon

    app.setWindowIcon(icon("app"))
    window = create_window(args.project, args.annotator)
    install_excepthook(window)
    return int(app.exec())  # ``window`` lives as long as this frame: the whole session


if __name__ == "__main__":
    raise SystemExit(main())
