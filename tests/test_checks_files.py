"""`translate checks --src --hyp --lang`: QA on line-aligned files, and whole-token span checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.checks import run_checks
from translate.checks.files import check_files
from translate.cli import main
from translate.errors import EXIT_GATE
from translate.protect import ProtectRules, verify
from translate.terms import verify as verify_terms
from translate.units import TermConstraint

# (source, target, check that must fire or None): near misses of URLs, e-mails, handles, names
NEAR_MISSES = [
    ("Voir https://okx.com/fr pour tout.", "See https://okx.com/fris for all.", "urls"),
    ("Voir https://okx.com/fr pour tout.", "See https://okx.com/fr/en for all.", "urls"),
    ("Voir https://okx.com/fr pour tout.", "See https://okx.com/fr.html for all.", "urls"),
    ("Voir https://okx.com/fr pour tout.", "See https://okx.com/fr for all.", None),
    ("Voir https://okx.com/fr.", "See https://okx.com/fr.", None),
    ("Voir (https://okx.com/fr).", "See (https://okx.com/fr).", None),
    ("Voir https://okx.com/fr pour tout.", "详见https://okx.com/fr了解。", None),
    ("Voir https://okx.com/fr pour tout.", "详见 https://okx.com/fr，了解。", None),
    ("Écrivez à presse@exemple.fr demain.", "Write to presse@exemple.frx tomorrow.", "urls"),
    ("Écrivez à presse@exemple.fr demain.", "Write to xpresse@exemple.fr tomorrow.", "urls"),
    ("Écrivez à presse@exemple.fr demain.", "Write to presse@exemple.fr tomorrow.", None),
    ("Suivez @TechFlowPost sur X.", "Follow @TechFlowPostX on X.", "urls"),
    ("Suivez @TechFlowPost sur X.", "Follow @TechFlowPost_ on X.", "urls"),
    ("Suivez @TechFlowPost sur X.", "Follow @TechFlowPost on X.", None),
    ("TechFlow publie un article.", "TechFlowP publishes an article.", "dnt_altered"),
    ("TechFlow publie un article.", "Techflow publishes an article.", "dnt_altered"),
    ("TechFlow publie un article.", "The outlet publishes an article.", "dnt"),
    ("TechFlow publie un article.", "TechFlow publishes an article.", None),
    ("TechFlow publie un article.", "TechFlow's article is out.", None),
]


@pytest.mark.parametrize(("source", "target", "check"), NEAR_MISSES)
def test_near_misses_are_findings(source: str, target: str, check: str | None) -> None:
    found = {c.check: c.severity for c in run_checks(source, target, "en", dnt=("TechFlow",))}
    found.pop("untranslated", None)
    found.pop("length_ratio", None)
    assert set(found) == ({check} if check else set()), found
    if check in ("urls", "dnt_altered"):  # a near miss is critical, a name missing major
        assert found[check] == "critical"
    elif check == "dnt":
        assert found[check] == "major"


@pytest.mark.parametrize(
    ("source", "target", "check"), [c for c in NEAR_MISSES if not c[0].startswith("TechFlow")]
)
def test_protected_span_verification_compares_whole_tokens(
    source: str, target: str, check: str | None
) -> None:
    spans = ProtectRules.load().find(source)
    assert spans
    kept = all(r.satisfied for r in verify(target, spans))
    assert kept == (check is None)


@pytest.mark.parametrize(
    ("source", "target", "check"), [c for c in NEAR_MISSES if c[0].startswith("TechFlow")]
)
def test_term_verification_agrees_with_the_dnt_checks(
    source: str, target: str, check: str | None
) -> None:
    """A do-not-translate name the checks call altered or missing is not a kept term either."""
    name = TermConstraint("TechFlow", {"fr": ("TechFlow",)}, dnt=True)
    assert all(r.satisfied for r in verify_terms(target, [name], "en")) == (check is None)


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


SRC = ["Voir https://okx.com/fr pour tout.", "TechFlow publie 10 000 articles.", "Merci."]
HYP = ["See https://okx.com/fris for all.", "TechFlow publishes 10,000 articles.", "Thanks."]


def test_check_files_api(tmp_path: Path) -> None:
    rows = list(check_files(write(tmp_path, "s", SRC), write(tmp_path, "h", HYP), "en"))
    assert [i for i, _ in rows] == [0, 1, 2]
    assert [[c.check for c in checks] for _, checks in rows] == [["urls"], [], []]


def test_cli_json_lines_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, hyp = write(tmp_path, "src.txt", SRC), write(tmp_path, "hyp.txt", HYP)
    base = ["checks", "--src", str(src), "--hyp", str(hyp), "--lang", "EN", "--json"]
    assert main(base) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["index"] for r in rows] == [0, 1, 2]
    assert rows[0]["findings"] == [
        {
            "check": "urls",
            "severity": "critical",
            "message": "url https://okx.com/fr is missing or altered in the target",
        }
    ]
    assert rows[1]["findings"] == rows[2]["findings"] == []
    assert main([*base, "--fail-on", "critical"]) == EXIT_GATE
    assert "1 findings of severity critical or worse" in capsys.readouterr().err
    good = write(tmp_path, "good.txt", [HYP[0].replace("fris", "fr"), *HYP[1:]])
    assert (
        main(
            ["checks", "--src", str(src), "--hyp", str(good), "--lang", "en", "--fail-on", "minor"]
        )
        == 0
    )


def test_cli_dnt_and_glossary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "src.txt", ["TechFlow publie un article."])
    hyp = write(tmp_path, "hyp.txt", ["TechFlowP publishes an article."])
    argv = ["checks", "--src", str(src), "--hyp", str(hyp), "--lang", "en", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main([*argv, "--dnt", "TechFlow", "--fail-on", "critical"]) == EXIT_GATE
    assert json.loads(capsys.readouterr().out)["findings"] == [
        {
            "check": "dnt_altered",
            "severity": "critical",
            "message": "do-not-translate name 'TechFlow' is altered in the target: 'TechFlowP'",
        }
    ]
    glossary = tmp_path / "g.csv"
    glossary.write_text("fr,en,dnt\nTechFlow,TechFlow,yes\n", encoding="utf-8")
    assert main([*argv, "-g", str(glossary)]) == 0
    assert json.loads(capsys.readouterr().out)["findings"][0]["check"] == "dnt_altered"
    dropped = write(tmp_path, "dropped.txt", ["The outlet publishes an article."])
    argv = ["checks", "--src", str(src), "--hyp", str(dropped), "--lang", "en", "--json"]
    assert main([*argv, "--dnt", "TechFlow", "--fail-on", "critical"]) == 0  # missing: major
    assert json.loads(capsys.readouterr().out)["findings"][0]["check"] == "dnt"
    assert main([*argv, "--dnt", "TechFlow", "--fail-on", "major"]) == EXIT_GATE


def test_plain_checks_still_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--json"]) == 0
    rows = {row["check"]: row["severity"] for row in json.loads(capsys.readouterr().out)}
    assert rows["urls"] == rows["dnt_altered"] == "critical" and rows["dnt"] == "major"


def test_dnt_eval_on_the_references() -> None:
    """evals/qa_dnt.py: names glued or re-cased are dnt_altered, dropped ones dnt, on every
    reference pair that keeps a bundled do-not-translate name; the sound pairs are clean."""
    from test_blind import _load  # the evals/ scripts' loader

    res = _load("qa_dnt").score()
    assert res["sound"] > 500 and res["sound_flagged"] == 0
    for fault, row in res["faults"].items():
        assert row["pairs"] > 200 and row["found"] == row["pairs"], (fault, row)
