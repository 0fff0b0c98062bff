"""``annotator tagset``: show, export, and changes that carry the annotations along."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import load_project, save_project
from annotator.formats.tagset_xml import load_tagset
from tests.tagset_support import build


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    project, _history = build()
    path = tmp_path / "myanmar.xml"
    save_project(project, path)
    return path


def values(path: Path, tag: str, attr: str) -> list[object]:
    project, _ = load_project(path)
    return sorted(
        str(ann.attributes[attr])
        for _layer, _doc, ann in project.iter_annotations()
        if ann.tag == tag and attr in ann.attributes
    )


def test_show_lists_tags_values_and_use_counts(capsys, project_file):
    code, out, err = run(capsys, "tagset", str(project_file), "show")
    assert code == 0, err
    assert "tag set 'campaign'" in out
    assert "victim  'Victim'  #56B4E9, key 2  (4 annotations)" in out
    assert "    arrested  'Arrested'  (2 annotations)" in out
    assert "    killed  'Killed'  (unused)" in out
    assert "link addressee  'Addressed to': appeal -> authority" in out


def test_export_writes_a_tagset_file_new_accepts(capsys, project_file, tmp_path):
    out_file = tmp_path / "campaign.xml"
    code, out, err = run(capsys, "tagset", str(project_file), "export", str(out_file))
    assert code == 0, err
    assert "3 tags" in out
    project, _ = load_project(project_file)
    assert load_tagset(out_file) == project.tagset
    code, _out, err = run(capsys, "tagset", str(project_file), "export", str(out_file))
    assert code == 1 and "--force" in err
    fresh = tmp_path / "fresh.xml"
    code, _out, err = run(capsys, "new", str(fresh), "--tagset", str(out_file))
    assert code == 0, err


def test_rename_value_rewrites_every_layer_and_says_how_many(capsys, project_file):
    code, out, err = run(
        capsys,
        "--annotator", "lead",
        "tagset", str(project_file), "rename-value", "victim", "harm", "arrested", "detained",
    )  # fmt: skip
    assert code == 0, err
    assert "renamed value 'arrested' of victim.harm to 'detained'" in out
    assert "2 annotations rewritten (curated: 1, dana: 1)" in out
    assert f"saved {project_file}" in out
    assert values(project_file, "victim", "harm") == [
        "('detained',)",
        "('detained',)",
        "('injured',)",
        "('injured',)",
    ]


def test_rename_tag_and_merge_values(capsys, project_file):
    code, out, err = run(
        capsys, "tagset", str(project_file), "rename-tag", "authority", "perpetrator"
    )
    assert code == 0, err
    assert "2 annotations rewritten" in out
    project, _ = load_project(project_file)
    assert project.tagset.link_type("addressee").targets == ("perpetrator",)
    code, out, err = run(
        capsys, "tagset", str(project_file), "merge-values", "victim", "harm", "injured", "tortured"
    )
    assert code == 0, err
    assert "merged value 'injured' of victim.harm into 'tortured'" in out
    assert values(project_file, "victim", "harm").count("('tortured',)") == 2


def test_removing_a_value_in_use_is_refused_and_the_file_kept(capsys, project_file):
    before = project_file.read_bytes()
    code, out, err = run(
        capsys, "tagset", str(project_file), "remove-value", "victim", "harm", "arrested"
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "2 annotations would lose it (curated: 1, dana: 1)" in err
    assert project_file.read_bytes() == before
    code, out, err = run(
        capsys,
        "tagset", str(project_file), "remove-value", "victim", "harm", "arrested",
        "--map-to", "imprisoned",
    )  # fmt: skip
    assert code == 0, err
    assert values(project_file, "victim", "harm").count("('imprisoned',)") == 2


def test_remove_tag_with_delete(capsys, project_file):
    code, out, err = run(capsys, "tagset", str(project_file), "remove-tag", "authority", "--delete")
    assert code == 0, err
    assert "2 annotations deleted" in out and "2 links removed" in out
    project, _ = load_project(project_file)
    assert not project.tagset.has_tag("authority")


def test_unknown_names_give_one_line(capsys, project_file):
    before = project_file.read_bytes()
    code, _out, err = run(capsys, "tagset", str(project_file), "rename-tag", "perp", "x")
    assert code == 1 and err.strip().endswith("the tag set has no tag 'perp'")
    code, _out, err = run(
        capsys, "tagset", str(project_file), "merge-values", "victim", "harm", "injured", "gone"
    )
    assert code == 1 and "'gone' is not a value of victim.harm" in err
    assert project_file.read_bytes() == before
    code, _out, err = run(capsys, "tagset", str(project_file.with_name("none.xml")), "show")
    assert code == 1 and "none.xml" in err


def test_import_takes_a_colleagues_tag_set_with_a_map(capsys, project_file, tmp_path):
    edited = tmp_path / "campaign-2.xml"
    code, _out, err = run(capsys, "tagset", str(project_file), "export", str(edited))
    assert code == 0, err
    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace('tag name="authority"', 'tag name="perpetrator"').replace(
            'targets="authority"', 'targets="perpetrator"'
        ),
        encoding="utf-8",
    )
    before = project_file.read_bytes()
    code, out, err = run(capsys, "tagset", str(project_file), "import", str(edited))
    assert code == 1 and "2 annotations would be deleted" in err
    assert project_file.read_bytes() == before
    code, out, err = run(
        capsys, "tagset", str(project_file), "import", str(edited), "--map", "authority=perpetrator"
    )
    assert code == 0, err
    assert "read 'authority' as 'perpetrator'" in out and "2 annotations rewritten" in out
    project, _ = load_project(project_file)
    assert {ann.tag for _layer, _doc, ann in project.iter_annotations()} == {
        "appeal",
        "victim",
        "perpetrator",
    }


def test_new_verbs_add_edit_move_a_tag_and_the_log_says_who(capsys, project_file):
    code, out, err = run(
        capsys,
        "--annotator", "lead",
        "tagset", str(project_file), "add-tag", "location", "--label", "Location",
        "--colour", "#F0E442", "--shortcut", "4", "--example", "in Yangon", "--position", "2",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "added tag 'location': no annotation uses it"
    code, out, err = run(capsys, "tagset", str(project_file), "move-tag", "location", "4")
    assert code == 0, err
    assert "moved tag 'location' to place 4" in out
    code, out, err = run(
        capsys, "tagset", str(project_file), "edit-tag", "location", "--no-examples",
        "--definition", "Where it happened.",
    )  # fmt: skip
    assert code == 0, err
    project, _ = load_project(project_file)
    assert [t.name for t in project.tagset.tags] == ["appeal", "victim", "authority", "location"]
    assert project.tagset.tag("location").examples == ()
    code, out, err = run(capsys, "tagset", str(project_file), "log")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].endswith("  lead  added tag 'location'")
    assert "moved tag 'location' to place 4" in lines[1]
    code, out, err = run(capsys, "tagset", str(project_file), "show")
    assert "3 changes logged, the last:" in out
    assert "link addressee  'Addressed to': appeal -> authority  (2 links)" in out


def test_multiple_to_one_value_is_refused_until_the_user_chooses(capsys, project_file):
    before = project_file.read_bytes()
    code, out, err = run(capsys, "tagset", str(project_file), "multiple", "victim", "group", "no")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "2 annotations hold several (curated: 1, dana: 1)" in err
    assert project_file.read_bytes() == before
    code, out, err = run(
        capsys, "tagset", str(project_file), "multiple", "victim", "group", "no", "--keep-first"
    )
    assert code == 0, err
    assert "let victim.group take one value (kept the first)" in out
    assert values(project_file, "victim", "group") == [
        "demonstrator",
        "demonstrator",
        "prisoner-of-conscience",
        "prisoner-of-conscience",
    ]


def test_link_type_verbs_say_how_many_links_and_refuse_losses(capsys, project_file):
    before = project_file.read_bytes()
    code, out, err = run(
        capsys, "tagset", str(project_file), "edit-link-type", "addressee", "--to", "victim"
    )
    assert code == 1 and "2 links would be removed (curated: 1, dana: 1)" in err
    assert project_file.read_bytes() == before
    code, out, err = run(
        capsys, "tagset", str(project_file), "rename-link-type", "addressee", "addressed_to"
    )
    assert code == 0, err
    assert "2 links rewritten (curated: 1, dana: 1)" in out
    code, out, err = run(
        capsys, "tagset", str(project_file), "add-link-type", "witness",
        "--from", "victim", "--to", "authority", "--to", "appeal",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(
        capsys, "tagset", str(project_file), "remove-link-type", "on_behalf_of", "--delete"
    )
    assert code == 0, err
    assert "2 links removed (curated: 1, dana: 1)" in out
    project, _ = load_project(project_file)
    assert [lt.name for lt in project.tagset.links] == [
        "addressed_to",
        "responsible_for",
        "witness",
    ]


def test_merge_replays_a_colleagues_rename_or_rejects_it(capsys, project_file, tmp_path):
    theirs = tmp_path / "kim.xml"
    theirs.write_bytes(project_file.read_bytes())
    code, _out, err = run(
        capsys, "--annotator", "kim", "tagset", str(theirs), "rename-tag", "victim", "affected"
    )
    assert code == 0, err
    merged = tmp_path / "merged.xml"
    code, out, err = run(capsys, "merge", str(project_file), str(theirs), "-o", str(merged))
    assert code == 0, err
    assert "Replayed their tag-set change: renamed tag 'victim' to 'affected'." in out
    project, _ = load_project(merged)
    assert {a.tag for _l, _d, a in project.iter_annotations()} == {
        "appeal",
        "affected",
        "authority",
    }
    rejected = tmp_path / "rejected.xml"
    code, out, err = run(
        capsys,
        "--annotator", "dana",
        "merge", str(project_file), str(theirs), "-o", str(rejected), "--reject-tagset-changes",
    )  # fmt: skip
    assert code == 0, err
    assert "Rejected their tag-set change by kim" in out
    code, out, err = run(capsys, "tagset", str(rejected), "log")
    assert "renamed tag 'victim' to 'affected'  (rejected by dana)" in out
