"""Conflicts a three-way merge recorded: listed ours beside theirs, settled as undoable commands.

Each project here is made the way a colleague's pull makes it: a common base,
two sides edited with the app's own commands, merged by the merge driver's core.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.errors import ModelError, UnknownConflict
from annotator.formats.project_xml import load_project, save_project, validate_file
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    DeleteAnnotation,
    Document,
    DocumentMeta,
    History,
    Project,
    Resize,
    Retag,
    ReviewStatus,
    SetNote,
    SetReviewStatus,
    SetStatus,
    Status,
)
from annotator.review.agreement import annotator_layers
from annotator.review.conflicts import (
    ConflictKind,
    ResolveConflicts,
    Side,
    has_conflict_records,
    list_conflicts,
    resolve_all,
    sides,
    text_difference,
)
from annotator.review.three_way import THEIRS_SUFFIX, merge_three_way

# two releases as other organisations publish them (HRW, Front Line Defenders), one
# character beyond the BMP so offsets are code points
HRW = (
    "Tunisia: Arbitrary Travel Bans. Human Rights Watch urges the Interior Ministry to lift "
    "the bans on at least 30 people, among them the lawyer Ayachi Hammami 𝔸, and to end "
    "the practice of restricting travel without a court order."
)
FLD = (
    "Front Line Defenders is deeply concerned by the detention of woman human rights defender "
    "Narges Mohammadi. Front Line Defenders calls on the Iranian authorities to release her "
    "immediately and unconditionally."
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def base_project() -> Project:
    p = Project(name="campaign", tagset=default_tagset())
    p.add_document(Document("doc0001", HRW, DocumentMeta(headline="Tunisia", country="Tunisia")))
    p.add_document(Document("doc0002", FLD, DocumentMeta(headline="Iran", country="Iran")))
    p.ensure_layer("maria")
    h = History(p)
    h.push(AddAnnotation("maria", "doc0001", "victim", [span(HRW, "at least 30 people")]))
    h.push(AddAnnotation("maria", "doc0001", "authority", [span(HRW, "the Interior Ministry")]))
    h.push(AddAnnotation("maria", "doc0002", "victim", [span(FLD, "Narges Mohammadi")]))
    h.push(
        AddAnnotation("maria", "doc0002", "appeal", [span(FLD, "calls on the Iranian authorities")])
    )
    h.push(AddLink("maria", "doc0002", "on_behalf_of", "a4", "a3"))
    return p


def merged(edit_ours: list[object], edit_theirs: list[object], tweak=None) -> Project:  # type: ignore[no-untyped-def]
    base = base_project()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for project, cmds in ((ours, edit_ours), (theirs, edit_theirs)):
        h = History(project)
        for cmd in cmds:
            h.push(cmd)  # type: ignore[arg-type]
    if tweak is not None:
        tweak(ours, theirs)
    result, report = merge_three_way(base, ours, theirs)
    assert not report.clean
    return result


def saved_bytes(project: Project, path: Path) -> bytes:
    save_project(project, path, backup=False)
    data = path.read_bytes()
    path.unlink()
    return data


def test_an_annotation_changed_on_both_sides_is_listed_ours_beside_theirs() -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority", author="maria")],
        [Resize("maria", "doc0001", "a1", [span(HRW, "30 people")], author="omar")],
    )
    (c,) = list_conflicts(p)
    assert (c.kind, c.layer, c.doc_id, c.ident) == (
        ConflictKind.ANNOTATION,
        "maria",
        "doc0001",
        "a1",
    )
    ours, theirs = sides(p, c)
    assert ours.startswith("authority 'at least 30 people'") and "by maria" in ours
    assert theirs.startswith("victim '30 people'") and "by omar" in theirs
    assert "maria~theirs" not in annotator_layers(p)  # no annotator of its own
    assert annotator_layers(p) == ["maria"]


def test_keeping_theirs_puts_it_in_place_and_leaves_no_trace_undo_restores(
    tmp_path: Path,
) -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority")],
        [Resize("maria", "doc0001", "a1", [span(HRW, "30 people")])],
    )
    before = saved_bytes(p, tmp_path / "p.xml")
    h = History(p)
    (c,) = list_conflicts(p)
    h.push(ResolveConflicts([(c, Side.THEIRS)]))
    ann = p.layers["maria"].docs["doc0001"].annotations["a1"]
    assert (ann.tag, ann.covered_text(HRW)) == ("victim", "30 people")
    assert list_conflicts(p) == []
    assert not has_conflict_records(p)
    assert "maria" + THEIRS_SUFFIX not in p.layers
    h.undo()
    assert saved_bytes(p, tmp_path / "p.xml") == before
    h.redo()
    assert "maria" + THEIRS_SUFFIX not in p.layers
    assert p.layers["maria"].docs["doc0001"].annotations["a1"].tag == "victim"


def test_keeping_ours_drops_their_record_only() -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority")],
        [Resize("maria", "doc0001", "a1", [span(HRW, "30 people")])],
    )
    History(p).push(resolve_all(p, "ours"))
    ann = p.layers["maria"].docs["doc0001"].annotations["a1"]
    assert (ann.tag, ann.covered_text(HRW)) == ("authority", "at least 30 people")
    assert not has_conflict_records(p)


def test_an_annotation_we_changed_and_they_deleted_offers_their_deletion(
    tmp_path: Path,
) -> None:
    p = merged(
        [SetNote("maria", "doc0002", "a3", "detained since 2021", author="maria")],
        [DeleteAnnotation("maria", "doc0002", "a3")],
    )
    path = tmp_path / "merged.xml"
    save_project(p, path, backup=False)
    validate_file(path)
    p, _ = load_project(path)
    (c,) = list_conflicts(p)
    assert (c.kind, c.ident, c.theirs) == (ConflictKind.ANNOTATION, "a3", None)
    ours, theirs = sides(p, c)
    assert ours.startswith("victim 'Narges Mohammadi'") and theirs == "deleted"
    before = saved_bytes(p, tmp_path / "p.xml")
    h = History(p)
    h.push(ResolveConflicts([(c, Side.THEIRS)]))
    da = p.layers["maria"].docs["doc0002"]
    assert "a3" not in da.annotations and not da.links_of("a3")  # its link went with it
    assert not has_conflict_records(p)
    h.undo()
    assert saved_bytes(p, tmp_path / "p.xml") == before
    h.push(ResolveConflicts([(list_conflicts(p)[0], Side.OURS)]))
    assert p.layers["maria"].docs["doc0002"].annotations["a3"].note == "detained since 2021"
    assert not has_conflict_records(p)


def test_a_link_conflict_shows_both_links_with_their_ends() -> None:
    def retarget(ours: Project, theirs: Project) -> None:
        # ours points the appeal at the authorities, theirs keeps the victim but says addressee
        da_o = ours.layers["maria"].docs["doc0002"]
        History(ours).push(
            AddAnnotation("maria", "doc0002", "authority", [span(FLD, "the Iranian authorities")])
        )
        link = da_o.links["r5"]
        new_id = next(a for a in da_o.annotations if a not in ("a3", "a4"))
        da_o.links["r5"] = type(link)("r5", "addressee", "a4", new_id)
        da_t = theirs.layers["maria"].docs["doc0002"]
        da_t.links["r5"] = type(link)("r5", "on_behalf_of", "a4", "a3", note="her release")

    p = merged([], [], tweak=retarget)
    links = [c for c in list_conflicts(p) if c.kind is ConflictKind.LINK]
    assert len(links) == 1
    ours, theirs = sides(p, links[0])
    assert ours.startswith("addressee: appeal 'calls on the Iranian authorities'")
    assert "authority 'the Iranian authorities'" in ours
    assert theirs.startswith("on_behalf_of: appeal") and "victim 'Narges Mohammadi'" in theirs
    History(p).push(ResolveConflicts([(links[0], "theirs")]))
    assert p.layers["maria"].docs["doc0002"].links["r5"].note == "her release"
    assert not has_conflict_records(p)


def test_statuses_and_metadata_conflicts_keep_either_side() -> None:
    def meta(ours: Project, theirs: Project) -> None:
        ours.documents["doc0001"].meta.headline = "Tunisia: travel bans"
        theirs.documents["doc0001"].meta.headline = "Tunisia: lift the travel bans"

    p = merged(
        [SetStatus("doc0002", "maria", Status.DONE), SetReviewStatus("doc0001", "in-review")],
        [
            SetStatus("doc0002", "maria", Status.IN_PROGRESS),
            SetReviewStatus("doc0001", "adjudicated"),
        ],
        tweak=meta,
    )
    found = {c.kind: c for c in list_conflicts(p)}
    assert set(found) == {ConflictKind.STATUS, ConflictKind.REVIEW_STATUS, ConflictKind.METADATA}
    assert sides(p, found[ConflictKind.STATUS]) == ("done", "in-progress")
    assert sides(p, found[ConflictKind.REVIEW_STATUS]) == ("in-review", "adjudicated")
    assert sides(p, found[ConflictKind.METADATA])[1] == "Tunisia: lift the travel bans"
    h = History(p)
    h.push(
        ResolveConflicts(
            [
                (found[ConflictKind.STATUS], "theirs"),
                (found[ConflictKind.REVIEW_STATUS], "ours"),
                (found[ConflictKind.METADATA], "theirs"),
            ]
        )
    )
    assert p.documents["doc0002"].status["maria"] is Status.IN_PROGRESS
    assert p.documents["doc0001"].review_status is ReviewStatus.IN_REVIEW
    assert p.documents["doc0001"].meta.headline == "Tunisia: lift the travel bans"
    assert not has_conflict_records(p)
    h.undo()
    assert p.documents["doc0002"].status["maria"] is Status.DONE
    assert len(list_conflicts(p)) == 3


def test_a_text_both_sides_corrected_is_one_conflict_text_beside_text(tmp_path: Path) -> None:
    def correct(ours: Project, theirs: Project) -> None:
        ours.documents["doc0001"].text = HRW.replace("at least 30", "at least 31")
        text = theirs.documents["doc0001"].text = HRW.replace("at least 30", "at least thirty")
        theirs.ensure_layer("omar")
        History(theirs).push(
            AddAnnotation(
                "omar", "doc0001", "victim", [(text.index("the lawyer"), text.index(" 𝔸"))]
            )
        )

    p = merged([], [], tweak=correct)
    (c,) = [c for c in list_conflicts(p) if c.kind is ConflictKind.DOCUMENT]
    ours, theirs = sides(p, c)
    # only the words that differ, whole, in context
    assert "least [31] people" in ours and "least [thirty] people" in theirs
    assert text_difference("free the reporter now", "release the editor now") == (
        "[free the reporter] now",
        "[release the editor] now",
    )
    assert "doc0001" + THEIRS_SUFFIX in p.documents
    # someone tagged their copy in the app before settling: it goes with the copy
    copy_text = p.documents["doc0001" + THEIRS_SUFFIX].text
    History(p).push(
        AddAnnotation("maria", "doc0001" + THEIRS_SUFFIX, "victim", [span(copy_text, "lawyer")])
    )
    before = saved_bytes(p, tmp_path / "p.xml")
    h = History(p)
    h.push(ResolveConflicts([(c, "theirs")]))
    assert "doc0001" + THEIRS_SUFFIX not in p.layers["maria"].docs
    assert p.documents["doc0001"].text == HRW.replace("at least 30", "at least thirty")
    omar = p.layers["omar"].docs["doc0001"].annotations
    assert [a.covered_text(p.documents["doc0001"].text) for a in omar.values()] == [
        "the lawyer Ayachi Hammami"
    ]
    assert not has_conflict_records(p)
    path = tmp_path / "after.xml"
    save_project(p, path, backup=False)
    assert validate_file(path) == []
    h.undo()
    assert saved_bytes(p, tmp_path / "p.xml") == before


def test_text_difference_marks_only_what_differs() -> None:
    assert text_difference("the 12 students", "the 13 students", context=4) == (
        "the [12] stu…",
        "the [13] stu…",
    )


def test_a_settled_conflict_cannot_be_settled_again() -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority")],
        [Resize("maria", "doc0001", "a1", [span(HRW, "30 people")])],
    )
    (c,) = list_conflicts(p)
    History(p).push(ResolveConflicts([(c, "ours")]))
    with pytest.raises(UnknownConflict, match="settled already"):
        ResolveConflicts([(c, "theirs")]).do(p)


def test_a_refused_resolution_changes_nothing(tmp_path: Path) -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority")],
        [Resize("maria", "doc0001", "a1", [span(HRW, "30 people")])],
    )
    before = saved_bytes(p, tmp_path / "p.xml")
    (c,) = list_conflicts(p)
    tagset = p.tagset
    # theirs no longer fits: their annotation has an attribute the tag set does not know
    their = p.layers["maria" + THEIRS_SUFFIX].docs["doc0001"].annotations["a1"]
    their.attributes = {"colour": "red"}
    with pytest.raises(ModelError):
        ResolveConflicts([(c, "theirs")]).do(p)
    their.attributes = {}
    assert p.tagset is tagset
    assert saved_bytes(p, tmp_path / "p.xml") == before


# --- the command line ------------------------------------------------------------------------


def test_cli_lists_then_settles_every_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = merged(
        [Retag("maria", "doc0001", "a1", "authority"), SetStatus("doc0002", "maria", "done")],
        [
            Resize("maria", "doc0001", "a1", [span(HRW, "30 people")]),
            SetStatus("doc0002", "maria", "in-progress"),
        ],
    )
    path = tmp_path / "team.xml"
    save_project(p, path, backup=False)
    assert main(["conflicts", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 conflicts" in out
    assert "1. annotation a1 in layer maria, document doc0001" in out
    assert "   theirs: victim '30 people'" in out
    assert "2. status of maria on document doc0002" in out

    assert main(["conflicts", str(path), "--accept", "theirs"]) == 1
    assert "--all, or --only and their numbers" in capsys.readouterr().err
    assert main(["conflicts", str(path), "--accept", "theirs", "--only", "7"]) == 1
    assert "there is no conflict 7" in capsys.readouterr().err

    assert main(["conflicts", str(path), "--accept", "theirs", "--only", "2"]) == 0
    out = capsys.readouterr().out
    assert "kept theirs for 1 conflict" in out and "1 conflict left" in out
    assert load_project(path)[0].documents["doc0002"].status["maria"] is Status.IN_PROGRESS

    assert main(["conflicts", str(path), "--accept", "ours", "--all"]) == 0
    assert "no conflicts left" in capsys.readouterr().out
    project, _ = load_project(path)
    assert not has_conflict_records(project)
    assert project.layers["maria"].docs["doc0001"].annotations["a1"].tag == "authority"
    assert validate_file(path) == []
    assert main(["conflicts", str(path)]) == 0
    assert "no conflicts" in capsys.readouterr().out


# --- a property: whatever two colleagues did, settling is clean and undoable -----------------

EDITS = ("retag", "resize", "delete", "note", "done", "in-progress", "headline")


def _edit(project: Project, what: str, ann_id: str, who: str) -> None:
    h = History(project)
    da = project.layers["maria"].docs["doc0001"]
    if what in ("done", "in-progress"):
        h.push(SetStatus("doc0002", "maria", what))
    elif what == "headline":
        project.documents["doc0001"].meta = DocumentMeta(headline=f"Tunisia ({who})")
    elif ann_id not in da.annotations:
        return
    elif what == "retag":
        tag = "appeal" if who == "ours" else "victim"
        h.push(Retag("maria", "doc0001", ann_id, tag))
    elif what == "resize":
        ann = da.annotations[ann_id]
        cut = 1 if who == "ours" else 2
        if ann.end - ann.start > cut:
            h.push(Resize("maria", "doc0001", ann_id, [(ann.start, ann.end - cut)]))
    elif what == "note":
        h.push(SetNote("maria", "doc0001", ann_id, f"checked by {who}"))
    else:
        h.push(DeleteAnnotation("maria", "doc0001", ann_id))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(EDITS), st.sampled_from(["a1", "a2"])), min_size=2, max_size=5
    ),
    st.lists(
        st.tuples(st.sampled_from(EDITS), st.sampled_from(["a1", "a2"])), min_size=2, max_size=5
    ),
    st.data(),
)
def test_any_settling_leaves_a_valid_file_and_undoes_to_the_same_bytes(
    ours_edits: list[tuple[str, str]],
    theirs_edits: list[tuple[str, str]],
    data: st.DataObject,
) -> None:
    base = base_project()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for what, ann_id in ours_edits:
        _edit(ours, what, ann_id, "ours")
    for what, ann_id in theirs_edits:
        _edit(theirs, what, ann_id, "theirs")
    p, report = merge_three_way(base, ours, theirs)
    found = list_conflicts(p)
    event(f"{min(len(found), 3)}+ conflicts recorded")
    assert len(found) <= len(report.conflicts)  # a deletion against a change has no record
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.xml"
        before = saved_bytes(p, path)
        chosen = (
            data.draw(st.lists(st.sampled_from(found), unique_by=lambda c: c.key)) if found else []
        )
        sides_ = [data.draw(st.sampled_from(["ours", "theirs"])) for _ in chosen]
        h = History(p)
        h.push(ResolveConflicts(zip(chosen, sides_, strict=True)))
        assert len(list_conflicts(p)) == len(found) - len(chosen)
        save_project(p, path, backup=False)
        assert validate_file(path) == []
        h.undo()
        assert saved_bytes(p, path) == before
        h.push(resolve_all(p, data.draw(st.sampled_from(["ours", "theirs"]))))
        assert not has_conflict_records(p)
        save_project(p, path, backup=False)
        assert validate_file(path) == []
