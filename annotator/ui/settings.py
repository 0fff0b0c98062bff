"""Where the app keeps its preferences and the journals of untitled projects.

``ANNOTATOR_SETTINGS_DIR`` redirects both (tests use it so they never touch the
real user settings); ``ANNOTATOR_NAME`` overrides the stored user name.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORGANISATION = "annotator"
APPLICATION = "annotator"
MAX_RECENT = 10

DEFAULT_FONT_SIZE = 13


def settings_dir_override() -> Path | None:
    value = os.environ.get("ANNOTATOR_SETTINGS_DIR", "").strip()
    return Path(value) if value else None


def app_settings() -> QSettings:
    """The QSettings object to use (an INI file in the override folder, if set)."""
    override = settings_dir_override()
    if override is not None:
        override.mkdir(parents=True, exist_ok=True)
        return QSettings(str(override / "annotator.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def data_dir() -> Path:
    """The per-user data folder (journals of untitled projects live below it)."""
    override = settings_dir_override()
    if override is not None:
        return override / "data"
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(loc) if loc else Path.home() / ".local" / "share" / APPLICATION


def stored_user_name() -> str:
    env = os.environ.get("ANNOTATOR_NAME", "").strip()
    if env:
        return env
    return str(app_settings().value("user/name", "") or "").strip()


def store_user_name(name: str) -> None:
    app_settings().setValue("user/name", name)


def system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database (containers)
        return ""


def get_int(key: str, default: int) -> int:
    value = app_settings().value(key, default)
    try:
        return int(value) if isinstance(value, int | str | float) else default
    except (TypeError, ValueError):
        return default


def set_value(key: str, value: object) -> None:
    app_settings().setValue(key, value)


def font_size() -> int:
    return max(8, min(32, get_int("view/font_size", DEFAULT_FONT_SIZE)))


def recent_files() -> list[str]:
    value = app_settings().value("files/recent", [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


def add_recent_file(path: Path) -> None:
    p = str(Path(path).resolve())
    items = [p, *[r for r in recent_files() if r != p]][:MAX_RECENT]
    s = app_settings()
    s.setValue("files/recent", items)
    s.setValue("files/last", p)


def last_project() -> str:
    return str(app_settings().value("files/last", "") or "")


def _project_key(path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[
        :16
    ]


def last_document(path: Path) -> str:
    """The document the user was reading when this project was last open."""
    return str(app_settings().value(f"documents/{_project_key(path)}", "") or "")


def set_last_document(path: Path, doc_id: str) -> None:
    app_settings().setValue(f"documents/{_project_key(path)}", doc_id)


def shown_layers(path: Path) -> list[str] | None:
    """The colleagues' layers the user last showed in this project (None: never chosen)."""
    value = app_settings().value(f"layers/{_project_key(path)}")
    if value is None:
        return None
    names = value if isinstance(value, list) else [value]
    # QSettings' INI files write an empty list as "" and read it back as one ""
    return [str(n) for n in names if n]


def set_shown_layers(path: Path, names: list[str]) -> None:
    app_settings().setValue(f"layers/{_project_key(path)}", sorted(names))


def show_links() -> bool:
    """Whether links are drawn in the text (on until the user turns them off)."""
    value = app_settings().value("view/show_links", True)
    return value not in (False, "false", "0", 0)


def set_show_links(on: bool) -> None:
    app_settings().setValue("view/show_links", bool(on))
