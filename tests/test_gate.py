"""The quality gate, evaluation suites, JUnit reports and the score/eval/compare/checks commands."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from translate.cli import main
from translate.errors import EXIT_CONFIG, EXIT_GATE, EXIT_INPUT, EXIT_OK
from translate.gate import GateCheck, evaluate_result, gate, load_thresholds
from translate.units import DocumentResult, SegmentResult, TermResult

REPO = Path(__file__).resolve().parent.parent

THRESHOLDS = {
    "default": {
        "bleu_min": 20.0,
        "chrf_min": 45.0,
        "ter_max": 70.0,
        "term_accuracy_min": 0.9,
        "qa_max": {"critical": 0, "major": 2, "minor": None},
    },
    "languages": {"zh": {"chrf_min": 15.0, "qa_max": {"major": 0}}},
}


# --------------------------------------------------------------------------- thresholds and gate


def test_language_overrides_merge_over_the_default() -> None:
    th = load_thresholds(THRESHOLDS)
    assert th.for_lang("zh")["chrf_min"] == 15.0
    assert th.for_lang("zh")["qa_max"] == {"critical": 0, "major": 0, "minor": None}
    assert th.for_lang("de") == THRESHOLDS["default"]
    assert th.for_lang("zh-Hans")["chrf_min"] == 15.0


def test_bundled_thresholds_file_is_valid() -> None:
    th = load_thresholds(REPO / "evals" / "thresholds.json")
    assert {"en", "de", "es", "zh"} <= set(th.languages)


@pytest.mark.parametrize(
    ("values", "lang", "failed"),
    [
        ({"bleu": 30, "chrf": 50, "ter": 50, "term_accuracy": 1.0, "qa": {}}, "en", []),
        ({"bleu": 30, "chrf": 41.2, "ter": 50}, "en", ["chrf"]),
        ({"bleu": 10, "chrf": 20, "ter": 80}, "zh", ["bleu", "ter"]),
        ({"bleu": 30, "chrf": 50, "ter": 50, "term_accuracy": 0.5}, "en", ["term_accuracy"]),
        ({"qa": {"critical": 1, "major": 2, "minor": 9}}, "en", ["qa_critical"]),
        ({"qa": {"major": 1}}, "zh", ["qa_major"]),
    ],
)
def test_gate_pass_and_fail(values, lang, failed) -> None:  # type: ignore[no-untyped-def]
    report = gate(values, THRESHOLDS, lang)
    assert [c.metric for c in report.failures] == failed
    assert report.passed == (not failed)


def test_unmeasured_metrics_are_skipped_not_failed() -> None:
    report = gate({"qa": {"critical": 0}}, THRESHOLDS, "en")
    assert report.passed
    assert {c.metric: c.status for c in report.checks}["bleu"] == "skipped"


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (GateCheck("chrf", "chrF", 41.2, 45.0, "min"), "chrF 41.2 < 45.0 (missed by 3.8)"),
        (GateCheck("chrf", "chrF", 48.0, 45.0, "min"), "chrF 48.0 ≥ 45.0 (margin 3.0)"),
        (GateCheck("ter", "TER", 72.5, 70.0, "max"), "TER 72.5 > 70.0 (missed by 2.5)"),
        (
            GateCheck("qa_major", "major QA findings", 3, 2, "max"),
            "major QA findings 3 > 2 (missed by 1)",
        ),
        (
            GateCheck("term_accuracy", "term accuracy", 0.85, 0.9, "min"),
            "term accuracy 0.85 < 0.90 (missed by 0.05)",
        ),
        (GateCheck("bleu", "BLEU", None, 20.0, "min"), "BLEU not measured (threshold 20.0)"),
    ],
)
def test_gate_messages_state_the_margin(check: GateCheck, message: str) -> None:
    assert check.message == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"languages": {}}, "'default' block"),
        ({"default": {"blue_min": 3}}, "unknown threshold 'blue_min'"),
        ({"default": {"bleu_min": "high"}}, "must be a number"),
        ({"default": {"qa_max": {"fatal": 1}}}, "unknown severity 'fatal'"),
        ({"default": {"qa_max": {"major": -1}}}, "count ≥ 0"),
        ({"default": {}, "languages": []}, "'languages' must map"),
    ],
)
def test_bad_thresholds_are_config_errors(data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match=message) as exc:
        load_thresholds(data)
    assert exc.value.exit_code == EXIT_CONFIG  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- fixtures: a tiny corpus

ARTICLE = (
    "Le 25 août, Web X s'est tenu à Tokyo.\n"
    "Plus de 10 000 personnes ont participé à cet événement.\n"
    "Alibaba Cloud arrive en tête du classement.\n"
)
REFS = {
    "en": [
        "On 25 August, Web X was held in Tokyo.",
        "More than 10,000 people took part in this event.",
        "Alibaba Cloud tops the ranking.",
    ],
    "de": [
        "Am 25. August fand Web X in Tokio statt.",
        "Mehr als 10.000 Menschen nahmen an dieser Veranstaltung teil.",
        "Alibaba Cloud führt die Rangliste an.",
    ],
}
SOURCES = ARTICLE.strip().split("\n")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """articles/fr/demo.txt, its en/de references, a suite and thresholds; returns the suite."""
    art = tmp_path / "articles" / "fr" / "demo.txt"
    art.parent.mkdir(parents=True)
    art.write_text(ARTICLE, encoding="utf-8")
    for lang, targets in REFS.items():
        p = tmp_path / "articles" / lang / "demo.jsonl"
        p.parent.mkdir(parents=True)
        p.write_text(
            "".join(
                json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n"
                for s, t in zip(SOURCES, targets, strict=True)
            ),
            encoding="utf-8",
        )
    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "thresholds.json").write_text(json.dumps(THRESHOLDS), encoding="utf-8")
    suite = {
        "thresholds": "thresholds.json",
        "items": [{"article": "../articles/fr/demo.txt", "langs": ["en", "de"]}],
    }
    (evals / "suite.json").write_text(json.dumps(suite), encoding="utf-8")
    (tmp_path / "hyps").mkdir()
    return evals / "suite.json"


def _result(lang: str, targets: list[str], terms: tuple[TermResult, ...] = ()) -> DocumentResult:
    segs, pos = [], 0
    for n, (src, tgt) in enumerate(zip(SOURCES, targets, strict=True), 1):
        start = ARTICLE.index(src, pos)
        pos = start + len(src)
        segs.append(
            SegmentResult(f"p{n}.s1", n, src, tgt, start, pos, terms=terms if n == 3 else ())
        )
    return DocumentResult("articles/fr/demo.txt", "fr", lang, ARTICLE, tuple(segs))


def test_evaluate_result_scores_checks_and_gates(corpus: Path) -> None:
    root = corpus.parent.parent
    term = TermResult("cloud", "Cloud", ("Cloud",), "Cloud")
    result, report = evaluate_result(
        _result("en", REFS["en"], (term,)),
        root / "articles" / "fr" / "demo.txt",
        root / "evals" / "thresholds.json",
    )
    assert report.passed, [c.message for c in report.checks]
    assert result.summary["metrics"]["bleu"] == pytest.approx(100.0)
    assert result.summary["gate"]["passed"] is True
    assert result.summary["term_accuracy"] == 1.0 and "terms" not in result.summary
    assert all(s.reference and s.scores["chrf"] == pytest.approx(100.0) for s in result.segments)


def test_evaluate_without_references_gates_on_qa_only(corpus: Path) -> None:
    bad = [REFS["en"][0], "More than 10 000 people took part.", ""]
    result, report = evaluate_result(_result("en", bad), None, THRESHOLDS)
    assert [c.metric for c in report.failures] == ["qa_critical"]
    assert result.summary["checks"] == {"critical": 1, "major": 1, "minor": 0}
    assert "metrics" not in result.summary


# --------------------------------------------------------------------------- translate eval


def _hyp(corpus: Path, name: str, lines: list[str]) -> None:
    (corpus.parent.parent / "hyps" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _eval(corpus: Path, *extra: str) -> int:
    return main(["eval", str(corpus), "--hyp-dir", str(corpus.parent.parent / "hyps"), *extra])


def test_eval_passes_with_good_hypotheses(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _hyp(corpus, "demo.en.txt", REFS["en"])
    (corpus.parent.parent / "hyps" / "demo.de.json").write_text(
        _result("de", REFS["de"]).to_json(), encoding="utf-8"
    )
    out_dir = corpus.parent.parent / "out"
    assert _eval(corpus, "--json", "--out", str(out_dir)) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] and [i["name"] for i in report["items"]] == ["demo.en", "demo.de"]
    assert report["items"][0]["bleu"] == pytest.approx(100.0)
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "demo.de.json",
        "demo.en.json",
        "junit.xml",
        "report.json",
    ]
    scored = DocumentResult.from_dict(json.loads((out_dir / "demo.de.json").read_text("utf-8")))
    assert scored.summary["gate"]["passed"]


def test_eval_failure_exit_code_and_junit(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _hyp(corpus, "demo.en.txt", REFS["en"])
    _hyp(corpus, "demo.de.txt", ["Am 25. August.", "Mehr als 10 000 Menschen.", "Alibaba Cloud."])
    junit = corpus.parent.parent / "junit.xml"
    assert _eval(corpus, "--junit", str(junit)) == EXIT_GATE
    captured = capsys.readouterr()
    assert "gate failed" in captured.err and captured.err.count("\n") == 1
    lines = [line.strip() for line in captured.out.splitlines()]
    rows = [line for line in lines if line.split()[:1] == ["de"]]
    assert len(rows) == 1 and "FAIL" in rows[0] and "demo" in lines  # the article's table title
    root = ET.parse(junit).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["demo.en"].get("failures") == "0"
    failed = [
        c.get("name") for c in suites["demo.de"].iter("testcase") if c.find("failure") is not None
    ]
    assert failed == ["bleu", "chrf", "ter"]
    assert root.get("failures") == str(len(failed))
    assert int(root.get("tests") or 0) == sum(
        len(list(s.iter("testcase"))) for s in suites.values()
    )
    skipped = [c.get("name") for c in root.iter("testcase") if c.find("skipped") is not None]
    assert skipped == ["term_accuracy", "term_accuracy"]
    msg = suites["demo.de"].find("testcase[@name='chrf']/failure").get("message")  # type: ignore[union-attr]
    assert msg.startswith("chrF ") and "missed by" in msg


def test_eval_table_names_article_and_language_of_every_row(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long article slug titles the article's table, whole, in a narrow terminal; every row
    starts with its language."""
    root = corpus.parent.parent
    slug = "centres-de-donnees-ia-minage-electricite-et-exchanges"
    for path in [root / "articles" / "fr" / "demo.txt", *root.glob("articles/*/demo.jsonl")]:
        path.rename(path.with_stem(slug))
    suite = json.loads(corpus.read_text("utf-8"))
    suite["items"][0]["article"] = f"../articles/fr/{slug}.txt"
    corpus.write_text(json.dumps(suite), encoding="utf-8")
    _hyp(corpus, f"{slug}.en.txt", REFS["en"])
    _hyp(corpus, f"{slug}.de.txt", REFS["de"])
    monkeypatch.setenv("COLUMNS", "80")
    assert _eval(corpus) == EXIT_OK
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines()]
    assert "…" not in out and all(len(line) <= 80 for line in out.splitlines())
    assert slug in lines, out
    for lang in ("en", "de"):
        rows = [line for line in lines if line.split()[:1] == [lang]]
        assert len(rows) == 1 and rows[0].endswith("pass"), out


@pytest.mark.parametrize(
    ("setup", "code", "needle"),
    [
        (lambda c: None, EXIT_INPUT, "no hypothesis for demo.en"),
        (lambda c: _hyp(c, "demo.en.txt", ["one line"]), 8, "1 hypothesis lines for 3 reference"),
        (lambda c: c.write_text("{", encoding="utf-8"), EXIT_CONFIG, "not valid JSON"),
        (
            lambda c: (c.parent / "thresholds.json").write_text('{"default": {"x": 1}}', "utf-8"),
            EXIT_CONFIG,
            "unknown threshold 'x'",
        ),
    ],
)
def test_eval_user_errors_are_one_line(corpus, setup, code, needle, capsys) -> None:  # type: ignore[no-untyped-def]
    setup(corpus)
    out_dir = corpus.parent.parent / "out"
    assert _eval(corpus, "--out", str(out_dir)) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert not out_dir.exists()


# --------------------------------------------------------------------------- score / compare / checks


def test_score_json_contract(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus.parent.parent
    _hyp(corpus, "h.txt", REFS["en"][:2] + ["Alibaba Cloud is first."])
    code = main(
        [
            "score",
            "--hyp",
            str(root / "hyps" / "h.txt"),
            "--ref",
            str(root / "articles" / "en" / "demo.jsonl"),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {"bleu", "chrf", "ter", "signature", "segments", "terms"} <= set(data)
    assert data["lang"] == "en" and data["terms"] is None
    assert set(data["signature"]) == {"bleu", "chrf", "ter"}
    assert len(data["segments"]) == 3 and all(0 <= s["chrf"] <= 100 for s in data["segments"])
    assert all(0 <= data[k] <= 100 for k in ("bleu", "chrf"))


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["score", "--hyp", "{missing}", "--ref", "{ref}"], EXIT_INPUT, "no such file"),
        (["score", "--hyp", "{short}", "--ref", "{ref}"], 8, "has 1 lines but"),
        (["compare", "{short}", "{ref}", "--ref", "{ref}"], 8, "has 1 lines but"),
        (["checks", "--config", "{short}"], EXIT_CONFIG, "not valid JSON"),
    ],
)
def test_commands_fail_in_one_line(corpus, args, code, needle, capsys) -> None:  # type: ignore[no-untyped-def]
    root = corpus.parent.parent
    _hyp(corpus, "short.txt", ["one"])
    paths = {
        "missing": str(root / "absent.txt"),
        "ref": str(root / "articles" / "en" / "demo.jsonl"),
        "short": str(root / "hyps" / "short.txt"),
    }
    assert main([a.format(**paths) for a in args]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


def test_compare_cli(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus.parent.parent
    _hyp(corpus, "a.txt", ["Web X.", "People.", "Cloud."])
    _hyp(corpus, "b.txt", REFS["en"])
    ref = str(root / "articles" / "en" / "demo.jsonl")
    args = ["compare", str(root / "hyps" / "a.txt"), str(root / "hyps" / "b.txt"), "--ref", ref]
    assert main([*args, "--json", "--samples", "200"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["metric"] for m in data["metrics"]] == ["bleu", "chrf", "ter"]
    assert data["n_samples"] == 200 and data["signature"]["bleu"].startswith("nrefs:1|bs:200|")
    assert all({"a_ci", "b_ci", "p_value", "verdict"} <= set(m) for m in data["metrics"])
    assert main(args) == 0
    assert "verdict" in capsys.readouterr().out


def test_checks_cli_lists_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    from translate.checks import CHECKS

    assert main(["checks", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["check"] for r in rows] == list(CHECKS)
    assert all(r["severity"] in ("critical", "major", "minor") and r["description"] for r in rows)
    assert main(["checks"]) == 0
    assert "fr_spacing" in capsys.readouterr().out


def test_score_and_checks_do_not_import_torch(corpus: Path) -> None:
    root = corpus.parent.parent
    _hyp(corpus, "h.txt", REFS["en"])
    ref = root / "articles" / "en" / "demo.jsonl"
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['score', '--hyp', {str(root / 'hyps' / 'h.txt')!r}, '--ref', {str(ref)!r}])\n"
        "    main(['checks'])\n"
        "print(' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_evaluate_with_a_glossary_measures_terms_on_plain_hypotheses(corpus: Path) -> None:
    from test_score import FakeGlossary

    g = FakeGlossary({"Cloud": ("Cloud",), "Tokyo": ("Tokyo",)})
    good, _ = evaluate_result(_result("en", REFS["en"]), None, THRESHOLDS, glossary=g)
    assert good.summary["term_accuracy"] == 1.0
    bad_targets = [REFS["en"][0].replace("Tokyo", "Tokio"), *REFS["en"][1:]]
    bad, report = evaluate_result(_result("en", bad_targets), None, THRESHOLDS, glossary=g)
    # the counts follow the terms verified here (a /1 result kept stale ones beside "terms")
    assert [bad.summary[k] for k in ("terms_required", "terms_found", "term_accuracy")] == [
        2,
        1,
        0.5,
    ]
    assert [c.metric for c in report.failures] == ["term_accuracy"]


def test_bundled_suite_names_existing_articles() -> None:
    from translate.evalsuite import load_suite

    suite = load_suite(REPO / "evals" / "suite.json")
    assert suite.items and all(item.article.exists() for item in suite.items)
    assert {item.lang for item in suite.items} >= {"en", "de", "es", "zh"}
    assert all(item.references.suffix == ".jsonl" for item in suite.items)
