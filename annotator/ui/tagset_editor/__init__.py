"""Project ▸ Tag Set…: the two-pane tag-set editor (see :mod:`.editor`)."""

from annotator.ui.tagset_editor.editor import TagSetEditor

__all__ = ["TagSetEditor"]
