"""A tag set from any file that describes one: ours, brat's or MAE's.

``annotator new --tagset FILE`` takes our tag-set XML, a brat
``annotation.conf`` or a MAE/MedTator task DTD; which one is decided by the
content, not the name, so a ``.txt`` copy of a conf still works.
"""

from __future__ import annotations

from pathlib import Path

from annotator.errors import EmptyFile, InterchangeError, UnsupportedSource
from annotator.model import TagSet


def load_any_tagset(path: Path) -> TagSet:
    """The tag set ``path`` describes (see the module docstring)."""
    from annotator.formats.tagset_xml import load_tagset
    from annotator.interchange.brat_conf import tagset_from_conf
    from annotator.interchange.mae import tagset_from_dtd

    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnsupportedSource(err.strerror or str(err), path=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InterchangeError(f"not UTF-8 text ({err.reason})", path=str(path)) from None
    if not text.strip():
        raise EmptyFile("the tag-set file is empty", path=str(path))
    if "<!ELEMENT" in text and "<tagset" not in text:
        tagset = tagset_from_dtd(text)
        kind = "DTD"
    elif any(f"[{s}]" in text for s in ("entities", "relations", "events", "attributes")):
        tagset = tagset_from_conf(text, source=str(path))
        kind = "annotation.conf"
    else:
        return load_tagset(path)
    if not tagset.tags:
        raise InterchangeError(f"the {kind} defines no annotation types", path=str(path))
    if not tagset.name:
        tagset = TagSet(name=path.stem, tags=tagset.tags, links=tagset.links)
    return tagset


__all__ = ["load_any_tagset"]
