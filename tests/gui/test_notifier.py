"""One error rule for every command from the UI: a user error is one message, a bug propagates."""

from __future__ import annotations

import pytest

from annotator.errors import UnknownTag
from annotator.ui import dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(title, message) of every error dialog the app opens."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda _p, title, message, details="": seen.append((title, message))
    )
    return seen


def test_a_user_error_is_one_message_and_nothing_runs_on(window, shown) -> None:  # type: ignore[no-untyped-def]
    def refused() -> int:
        raise UnknownTag("there is no tag “hostage” in this tag set")

    assert window.notifier.run(refused, title="Tag") is None
    assert shown == [("Tag", "there is no tag “hostage” in this tag set")]


def test_a_disk_error_names_the_file(window, shown, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "gone" / "x.xml"
    assert window.notifier.run(lambda: missing.read_bytes()) is None
    ((_title, message),) = shown
    assert str(missing) in message and "No such file" in message


def test_a_bug_propagates_and_shows_nothing(window, shown) -> None:  # type: ignore[no-untyped-def]
    def bug() -> None:
        raise KeyError("layer")

    with pytest.raises(KeyError):
        window.notifier.run(bug)
    assert shown == []
