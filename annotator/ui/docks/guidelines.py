"""The Guidelines dialog: the whole tag set, readable while annotating.

The tag set is the annotation manual: each tag's definition, examples, attributes
with their values, and which links may join which tags. Rendering it as HTML in a
QTextBrowser keeps it selectable, searchable (Ctrl+F in the dialog) and printable.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.model import TagSet
from annotator.model.tagset import AttributeDef, TagType
from annotator.ui import keymap
from annotator.ui.session import ProjectSession


def _swatch(color: str) -> str:
    return (
        f'<span style="background-color:{escape(color)}; color:{escape(color)};'
        f' border:1px solid #555;">&nbsp;&nbsp;&nbsp;&nbsp;</span>'
    )


def _key(shortcut: str) -> str:
    if not shortcut:
        return ""
    return (
        ' &nbsp;<span style="background-color:#eeeeee; border:1px solid #aaaaaa;'
        f' font-family:monospace; font-weight:normal;">&nbsp;{escape(shortcut)}&nbsp;</span>'
    )


def tag_heading(tt: TagType) -> str:
    """Swatch, label and key of a tag, as inline HTML (used by tooltips too)."""
    return f"{_swatch(tt.color)}&nbsp; <b>{escape(tt.label)}</b>{_key(tt.shortcut)}"


def tag_tooltip(tt: TagType, key: str | None = None) -> str:
    """Rich tooltip for a palette button: definition and examples."""
    key = tt.shortcut if key is None else key
    heading = f"{_swatch(tt.color)}&nbsp; <b>{escape(tt.label)}</b>{_key(key)}"
    parts = [f"<p style='white-space:pre-wrap'>{heading}</p>"]
    if tt.definition:
        parts.append(f"<p>{escape(tt.definition)}</p>")
    if tt.examples:
        items = "".join(f"<li><i>“{escape(e)}”</i></li>" for e in tt.examples)
        parts.append(f"<p><b>Examples</b></p><ul style='margin-top:0'>{items}</ul>")
    if key:
        parts.append(f"<p style='color:#666'>Press {escape(key)} to tag the selection.</p>")
    return "<qt>" + "".join(parts) + "</qt>"


def _attribute_html(attr: AttributeDef) -> str:
    kind = (
        "free text" if not attr.closed else ("choose any number" if attr.multiple else "choose one")
    )
    rows = [
        f"<p style='margin-bottom:2px'><b>{escape(attr.label)}</b>"
        f" <span style='color:#666'>({escape(attr.name)}, {kind})</span></p>"
    ]
    if attr.definition:
        rows.append(f"<p style='margin-top:0; margin-bottom:2px'>{escape(attr.definition)}</p>")
    if attr.closed:
        values = "".join(
            f"<li>{escape(attr.label_of(v))}"
            + (f" <span style='color:#777'>({escape(v)})</span>" if attr.label_of(v) != v else "")
            + "</li>"
            for v in attr.values
        )
        rows.append(f"<ul style='margin-top:0'>{values}</ul>")
    return "".join(rows)


def guidelines_html(tagset: TagSet) -> str:
    """The whole tag set as one HTML page."""
    out = [
        "<html><body style='font-size:11pt'>",
        f"<h1>Annotation guidelines: {escape(tagset.name or 'tag set')}</h1>",
    ]
    if tagset.description:
        out.append(f"<p>{escape(tagset.description)}</p>")
    toc = " · ".join(f"<a href='#tag-{escape(t.name)}'>{escape(t.label)}</a>" for t in tagset.tags)
    if tagset.links:
        toc += " · <a href='#links'>Links</a>"
    out.append(f"<p><b>Contents:</b> {toc}</p><hr/>")
    for tt in tagset.tags:
        out.append(f"<a name='tag-{escape(tt.name)}'></a><h2>{tag_heading(tt)}</h2>")
        if tt.definition:
            out.append(f"<p>{escape(tt.definition)}</p>")
        if tt.examples:
            items = "".join(f"<li><i>“{escape(e)}”</i></li>" for e in tt.examples)
            out.append(f"<h3>Examples</h3><ul>{items}</ul>")
        if tt.attributes:
            out.append("<h3>Attributes</h3>")
            out.extend(_attribute_html(a) for a in tt.attributes)
        outgoing = [lt for lt in tagset.links if tt.name in lt.sources]
        incoming = [lt for lt in tagset.links if tt.name in lt.targets]
        if outgoing or incoming:
            out.append("<h3>Links</h3><ul>")
            for lt in outgoing:
                targets = ", ".join(_label(tagset, t) for t in lt.targets)
                out.append(f"<li>→ <b>{escape(lt.label)}</b> to {targets}</li>")
            for lt in incoming:
                sources = ", ".join(_label(tagset, t) for t in lt.sources)
                out.append(f"<li>← <b>{escape(lt.label)}</b> from {sources}</li>")
            out.append("</ul>")
        out.append("<hr/>")
    if tagset.links:
        out.append("<a name='links'></a><h2>Link types</h2>")
        out.append(
            "<table cellspacing='0' cellpadding='6' border='1' style='border-color:#cccccc;"
            " border-collapse:collapse' width='100%'>"
            "<tr style='background-color:#f0f0f0'><th align='left'>Link</th>"
            "<th align='left'>From</th><th align='left'>To</th>"
            "<th align='left'>Meaning</th></tr>"
        )
        for lt in tagset.links:
            sources = "<br/>".join(_swatched(tagset, t) for t in lt.sources)
            targets = "<br/>".join(_swatched(tagset, t) for t in lt.targets)
            out.append(
                f"<tr><td><b>{escape(lt.label)}</b><br/><span style='color:#777'>"
                f"{escape(lt.name)}</span></td><td>{sources}</td><td>{targets}</td>"
                f"<td>{escape(lt.definition)}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "".join(out)


def _label(tagset: TagSet, tag: str) -> str:
    return escape(tagset.tag(tag).label) if tagset.has_tag(tag) else escape(tag)


def _swatched(tagset: TagSet, tag: str) -> str:
    if not tagset.has_tag(tag):
        return escape(tag)
    tt = tagset.tag(tag)
    return f"{_swatch(tt.color)}&nbsp;{escape(tt.label)}"


class GuidelinesDialog(QDialog):
    """Non-modal window with the tag set's guidelines and a find box."""

    def __init__(self, tagset: TagSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotation guidelines")
        self.setObjectName("GuidelinesDialog")
        self.resize(760, 820)
        layout = QVBoxLayout(self)
        find_row = QHBoxLayout()
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find in guidelines… (Enter for next)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        find_row.addWidget(self.find_edit)
        layout.addLayout(find_row)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(16)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        find = keymap.bind(QAction("Find in guidelines", self), "guidelines.find")
        find.triggered.connect(lambda _c=False: self.find_edit.setFocus())
        self.addAction(find)
        self.set_tagset(tagset)

    def follow(self, session: ProjectSession) -> None:
        """Show the tag set of whatever project ``session`` holds."""
        self._session = session
        session.projectReplaced.connect(self._on_project)
        session.tagsetChanged.connect(self._on_project)

    def _on_project(self) -> None:
        self.set_tagset(self._session.project.tagset)

    def set_tagset(self, tagset: TagSet) -> None:
        self.tagset = tagset
        self.browser.setHtml(guidelines_html(tagset))

    def find_next(self) -> bool:
        text = self.find_edit.text()
        if not text:
            return False
        if self.browser.find(text):
            return True
        cursor = self.browser.textCursor()  # wrap around once
        cursor.movePosition(cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        return self.browser.find(text, QTextDocument.FindFlag(0))
