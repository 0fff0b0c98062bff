"""Tools ▸ Suggestions ▸ Suggest in Every Release: the first pass over a whole project.

The same core path as ``annotator suggest --apply``: the suggesters run over every
release (those switched off in the menu left out, the user's rejections
respected) on a worker thread, from a frozen copy of the project, with a count
of releases and Cancel; the finished result is added to the user's layer as
one undoable step on the UI thread. Cancelling adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.assist.rejections import Rejections
from annotator.assist.run import accept_command, default_suggesters, suggest_project
from annotator.assist.suggestion import Suggestion
from annotator.model.snapshot import snapshot
from annotator.progress import Progress
from annotator.wording import count

if TYPE_CHECKING:
    from annotator.ui.notifier import Notifier
    from annotator.ui.session import ProjectSession


def suggest_every_release(
    session: ProjectSession,
    notifier: Notifier,
    names: Sequence[str],
    rejections: Rejections,
) -> int:
    """Suggest over the whole project and accept it all as one step; how many were added."""
    if not names:
        notifier.status("Every suggester is switched off (Tools ▸ Suggestions).", 6000)
        return 0
    frozen = snapshot(session.project)
    layer = session.layer

    def work(progress: Progress) -> list[Suggestion]:
        suggesters = default_suggesters(frozen, layer, names)
        return [
            sug
            for _doc, found in suggest_project(
                frozen, layer, suggesters=suggesters, rejections=rejections, progress=progress
            )
            for sug in found
        ]

    found = notifier.run_job(work, title="Suggesting", error_title="Suggestions failed")
    if found is None:
        return 0
    if not found:
        notifier.status("No new suggestions in any release.", 6000)
        return 0
    releases = len({s.doc_id for s in found})
    text = f"Accept {count(len(found), 'suggestion')} in {count(releases, 'release')}"
    command = accept_command(layer, found, author=session.user, text=text)
    if notifier.run(lambda: session.execute(command), "Accept suggestions") is None:
        return 0
    per_tag = Counter(s.tag for s in found)
    tags = ", ".join(f"{tag} {n}" for tag, n in sorted(per_tag.items()))
    notifier.status(
        f"{text.replace('Accept', 'Added', 1)} ({tags}); Ctrl+Z takes them back.", 10000
    )
    return len(found)


__all__ = ["suggest_every_release"]
