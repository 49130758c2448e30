"""Metrics match sacrebleu's own CLI; references align to any segmentation; term accuracy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.errors import ConfigError, ScoreError
from translate.score import (
    References,
    align_references,
    align_units,
    compare,
    corpus_scores,
    load_lines,
    load_references,
    read_pairs,
    reference_path,
    score_result,
    term_accuracy,
)
from translate.segment import segment
from translate.units import (
    Document,
    DocumentResult,
    Segment,
    SegmentResult,
    TermConstraint,
    TermMatch,
    TermResult,
)

# (lang, hypotheses, references, tokenizer the CLI is told to use, TER asian support)
PARITY_CASES = [
    (
        "en",
        [
            "On 25 August, Web X was held in Tokyo.",
            "More than 10,000 people attended, mostly Japanese.",
            "The market grew 13.8% year on year.",
        ],
        [
            "On August 25, Web X took place in Tokyo.",
            "Over 10,000 people took part in the event, most of them Japanese.",
            "The market rose by 13.8% year-on-year.",
        ],
        "13a",
        False,
    ),
    (
        "de",
        [
            "Am 25. August fand die Web X in Tokio statt.",
            "Mehr als 10.000 Menschen nahmen teil.",
        ],
        [
            "Am 25. August wurde die Web X in Tokio abgehalten.",
            "Über 10 000 Personen nahmen an der Veranstaltung teil.",
        ],
        "13a",
        False,
    ),
    (
        "zh",
        ["8月25日,Web X在东京举行。", "超过一万人参加了这次活动。", "市场同比增长13.8%。"],
        [
            "8月25日，Web X 在东京举办。",
            "一万多人参加了此次活动，大多数是日本人。",
            "市场同比增长 13.8%。",
        ],
        "zh",
        True,
    ),
    (
        "ja",
        ["8月25日、東京でWeb Xが開催された。", "1万人以上が参加した。"],
        ["8月25日、Web Xが東京で開かれた。", "1万人を超える人々が参加した。"],
        "char",
        True,
    ),
]


def _sacrebleu_cli(ref: Path, hyp: Path, tok: str, asian: bool) -> list[dict[str, object]]:
    cmd = [
        sys.executable,
        "-m",
        "sacrebleu",
        str(ref),
        "-i",
        str(hyp),
        "-m",
        "bleu",
        "chrf",
        "ter",
        "--chrf-word-order",
        "2",
        "--tokenize",
        tok,
        "--format",
        "json",
        "-w",
        "6",
    ]
    if asian:
        cmd.append("--ter-asian-support")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


@pytest.mark.parametrize(("lang", "hyps", "refs", "tok", "asian"), PARITY_CASES)
def test_corpus_scores_match_the_sacrebleu_cli(lang, hyps, refs, tok, asian, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")
    cli = {
        d["name"]: d for d in _sacrebleu_cli(tmp_path / "ref.txt", tmp_path / "hyp.txt", tok, asian)
    }
    pairs = read_pairs(tmp_path / "hyp.txt", tmp_path / "ref.txt", lang=lang)
    ours = corpus_scores(pairs.hypotheses, pairs.references, lang)
    for key, name in (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER")):
        assert round(getattr(ours, key), 6) == pytest.approx(cli[name]["score"], abs=1e-6), key
        assert ours.signatures[key] == cli[name]["signature"], key


def test_segment_chrf_is_sacrebleu_sentence_chrf() -> None:
    from sacrebleu.metrics import CHRF

    hyps, refs = PARITY_CASES[0][1], PARITY_CASES[0][2]
    scores = corpus_scores(hyps, refs, "en")
    chrf = CHRF(word_order=2)
    assert [s.chrf for s in scores.segments] == [
        chrf.sentence_score(h, [r]).score for h, r in zip(hyps, refs, strict=True)
    ]


def test_lines_are_read_like_sacrebleu(tmp_path: Path) -> None:
    p = tmp_path / "h.txt"
    p.write_bytes(b"\xef\xbb\xbfone  \r\ntwo\n\nfour\n")
    assert load_lines(p) == ["one", "two", "", "four"]


@pytest.mark.parametrize(
    ("hyps", "refs", "message"),
    [(["a", "b"], ["a"], "2 hypothesis lines but 1 references"), ([], [], "nothing to score")],
)
def test_misaligned_inputs_are_score_errors(hyps, refs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScoreError, match=message):
        corpus_scores(hyps, refs, "en")


# --------------------------------------------------------------------------- references

ARTICLE = (
    "Le titre de l'article\n"
    "Le 25 août, Web X s'est tenu à Tokyo. Plus de 10 000 personnes ont participé.\n"
    "Le marché a progressé de 13,8 %. Voilà tout.\n"
)
REFS = [
    ("Le titre de l'article", "The title of the article"),
    ("Le 25 août, Web X s'est tenu à Tokyo.", "On 25 August, Web X was held in Tokyo."),
    ("Plus de 10 000 personnes ont participé.", "More than 10,000 people took part."),
    ("Le marché a progressé de 13,8 %.", "The market grew by 13.8%."),
    ("Voilà tout.", "That is all."),
]


def _refs(lang: str = "en", entries=REFS) -> References:  # type: ignore[no-untyped-def]
    from translate.score import Reference

    return References(
        lang, "refs.jsonl", tuple(Reference(s, t, n) for n, (s, t) in enumerate(entries, 1))
    )


def _doc(cuts: list[tuple[str, str]]) -> Document:
    """A document of ARTICLE whose segments are the given (id, text) pieces, located in order."""
    segs, pos = [], 0
    for sid, text in cuts:
        start = ARTICLE.index(text, pos)
        segs.append(Segment(sid, 1, text, start, start + len(text)))
        pos = start + len(text)
    return Document(ARTICLE, tuple(segs))


SENTENCES = [s for s, _ in REFS]
ONE_PER_SENTENCE = [(f"s{i}", s) for i, s in enumerate(SENTENCES, 1)]
MERGED = [
    ("t", SENTENCES[0]),
    ("m", SENTENCES[1] + " " + SENTENCES[2]),
    ("a", SENTENCES[3]),
    ("b", SENTENCES[4]),
]
SPLIT = [
    ("t", SENTENCES[0]),
    ("x1", "Le 25 août,"),
    ("x2", "Web X s'est tenu à Tokyo."),
    ("y", SENTENCES[2]),
    ("a", SENTENCES[3]),
    ("b", SENTENCES[4]),
]


@pytest.mark.parametrize(
    ("cuts", "expected_refs", "expected_units"),
    [
        (
            ONE_PER_SENTENCE,
            {f"s{i}": t for i, (_, t) in enumerate(REFS, 1)},
            [(f"s{i}",) for i in range(1, 6)],
        ),
        (
            MERGED,
            {"t": REFS[0][1], "m": REFS[1][1] + " " + REFS[2][1], "a": REFS[3][1], "b": REFS[4][1]},
            [("t",), ("m",), ("a",), ("b",)],
        ),
        (
            SPLIT,
            {"t": REFS[0][1], "x2": REFS[1][1], "y": REFS[2][1], "a": REFS[3][1], "b": REFS[4][1]},
            [("t",), ("x1", "x2"), ("y",), ("a",), ("b",)],
        ),
    ],
    ids=["same", "merge-two", "split-one"],
)
def test_references_follow_segmentation(cuts, expected_refs, expected_units) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(cuts)
    assert align_references(doc, _refs()) == expected_refs
    units = align_units(doc, _refs())
    assert [u.segment_ids for u in units] == expected_units
    assert " ".join(u.reference for u in units) == " ".join(t for _, t in REFS)


def test_zh_references_are_joined_without_space() -> None:
    zh = [(s, f"句{n}。") for n, (s, _) in enumerate(REFS, 1)]
    assert align_references(_doc(MERGED), _refs("zh", zh))["m"] == "句2。句3。"


def test_references_tolerate_whitespace_variants() -> None:
    entries = [(s.replace("10 000", "10\u00a0000"), t) for s, t in REFS]
    assert len(align_units(_doc(ONE_PER_SENTENCE), _refs("en", entries))) == 5


@pytest.mark.parametrize(
    ("entries", "needle"),
    [
        ([*REFS[:2], ("Cette phrase n'existe pas.", "x"), *REFS[2:]], "refs.jsonl:3"),
        ([REFS[2], REFS[1]], "refs.jsonl:2"),  # out of document order
    ],
)
def test_unlocatable_reference_names_the_first_one(entries, needle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScoreError, match=re.escape(needle)) as exc:
        align_references(_doc(ONE_PER_SENTENCE), _refs("en", entries))
    assert exc.value.exit_code == 8


def test_alignment_works_with_the_real_segmenter() -> None:
    doc = segment(ARTICLE)
    units = align_units(doc, _refs())
    assert {sid for u in units for sid in u.segment_ids} == {s.id for s in doc.segments}


def _write_jsonl(path: Path, entries) -> Path:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n" for s, t in entries
        ),
        encoding="utf-8",
    )
    return path


def test_load_references_from_the_article_path(tmp_path: Path) -> None:
    article = tmp_path / "articles" / "fr" / "demo.txt"
    article.parent.mkdir(parents=True)
    article.write_text(ARTICLE, encoding="utf-8")
    _write_jsonl(tmp_path / "articles" / "de" / "demo.jsonl", REFS)
    assert reference_path(article, "de") == tmp_path / "articles" / "de" / "demo.jsonl"
    refs = load_references(article, "de")
    assert refs.lang == "de" and [r.source for r in refs.entries] == SENTENCES


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"source": "a"}', "'source' and 'target'"),
        ('["a", "b"]', "'source' and 'target'"),
        ('{"source": " ", "target": "x"}', "non-empty"),
    ],
)
def test_malformed_reference_lines(tmp_path: Path, line: str, message: str) -> None:
    p = tmp_path / "en" / "x.jsonl"
    p.parent.mkdir()
    p.write_text('{"source": "ok", "target": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"x.jsonl:2: .*{re.escape(message)}"):
        load_references(p, "en")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a translation result"),
        ('{"schema": "other/1"}', "not a translation result"),
        ('{"schema": "translate.result/1", "source": {}}', "missing field"),
    ],
)
def test_malformed_hypothesis_json(tmp_path: Path, content: str, message: str) -> None:
    hyp = tmp_path / "hyp.json"
    hyp.write_text(content, encoding="utf-8")
    (tmp_path / "ref.txt").write_text("x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        read_pairs(hyp, tmp_path / "ref.txt")


def _result(cuts, targets) -> DocumentResult:  # type: ignore[no-untyped-def]
    doc = _doc(cuts)
    segs = tuple(
        SegmentResult(s.id, s.paragraph, s.text, targets[s.id], s.start, s.end)
        for s in doc.segments
    )
    return DocumentResult("demo.txt", "fr", "en", ARTICLE, segs)


def test_score_result_is_stable_when_segmentation_changes() -> None:
    perfect = {f"s{i}": t for i, (_, t) in enumerate(REFS, 1)}
    a = score_result(_result(ONE_PER_SENTENCE, perfect), _refs())
    merged_targets = {
        "t": REFS[0][1],
        "m": REFS[1][1] + " " + REFS[2][1],
        "a": REFS[3][1],
        "b": REFS[4][1],
    }
    b = score_result(_result(MERGED, merged_targets), _refs())
    for r in (a, b):
        assert r.summary["metrics"]["bleu"] == pytest.approx(100.0)
        assert r.summary["metrics"]["ter"] == pytest.approx(0.0)
        assert all(s.scores["chrf"] == pytest.approx(100.0) for s in r.segments)
        assert all(s.reference for s in r.segments)


def test_score_result_with_a_mapping_and_unreferenced_segments() -> None:
    targets = {f"s{i}": t for i, (_, t) in enumerate(REFS, 1)}
    r = score_result(
        _result(ONE_PER_SENTENCE, targets), {"s2": REFS[1][1], "s3": "Something else."}
    )
    m = r.summary["metrics"]
    assert m["unreferenced_segments"] == ["s1", "s4", "s5"]
    assert m["n_segments"] == 2 and m["signature"]["bleu"].startswith("nrefs:1|")
    assert r.segments[0].reference is None and r.segments[0].scores == {}
    assert r.segments[1].scores["chrf"] == pytest.approx(100.0)
    assert r.segments[2].scores["chrf"] < 50
    with pytest.raises(ScoreError, match="unknown segment 'zz'"):
        score_result(r, {"zz": "x"})


def test_result_json_and_jsonl_reference_pair_up(tmp_path: Path) -> None:
    targets = {
        "t": REFS[0][1],
        "m": "On 25 August, Web X was held in Tokyo. Over 10,000 attended.",
        "a": REFS[3][1],
        "b": REFS[4][1],
    }
    hyp = tmp_path / "demo.en.json"
    hyp.write_text(_result(MERGED, targets).to_json(), encoding="utf-8")
    ref = _write_jsonl(tmp_path / "en" / "demo.jsonl", REFS)
    pairs = read_pairs(hyp, ref)
    assert pairs.lang == "en" and pairs.ids == ("t", "m", "a", "b")
    assert pairs.references[1] == REFS[1][1] + " " + REFS[2][1]
    txt = tmp_path / "h.txt"
    txt.write_text("\n".join(t for _, t in REFS) + "\n", encoding="utf-8")
    plain = read_pairs(txt, ref)
    assert plain.lang == "en" and plain.sources == tuple(SENTENCES)


# --------------------------------------------------------------------------- term accuracy


@dataclass
class FakeGlossary:
    """The three methods term accuracy uses, over a French → English dictionary."""

    terms: dict[str, tuple[str, ...]]

    def match(self, text: str) -> list[TermMatch]:
        out = []
        for fr in self.terms:
            for m in re.finditer(re.escape(fr), text):
                out.append(TermMatch(m.start(), m.end(), fr, fr, fr))
        return out

    def constraints_for(self, text: str, matches: list[TermMatch]) -> list[TermConstraint]:
        return [TermConstraint(m.headword, {"en": self.terms[m.headword]}) for m in matches]

    def verify(self, target, constraints, matches, lang) -> tuple[TermResult, ...]:  # type: ignore[no-untyped-def]
        out = []
        for c, m in zip(constraints, matches, strict=True):
            found = next((v for v in c.variants(lang) if v.lower() in target.lower()), None)
            out.append(TermResult(c.headword, m.text, c.variants(lang), found))
        return tuple(out)


@pytest.mark.parametrize(
    ("hyps", "accuracy", "total"),
    [
        (["The crypto exchanges use the cloud.", "No terms here."], 1.0, 2),
        (["The cryptocurrency platforms use the cloud.", "No terms here."], 0.5, 2),
        (["Nothing.", "Nothing."], 0.0, 2),
    ],
)
def test_term_accuracy_with_a_glossary(hyps, accuracy, total) -> None:  # type: ignore[no-untyped-def]
    g = FakeGlossary({"exchanges": ("exchanges",), "cloud": ("cloud",)})
    src = ["Les exchanges utilisent le cloud.", "Rien ici."]
    t = term_accuracy(src, hyps, g, "en")
    assert (t.accuracy, t.total) == (accuracy, total)
    assert all(d["segment"] == 0 for d in t.details)
    scores = corpus_scores(hyps, hyps, "en", sources=src, glossary=g)
    assert scores.to_dict()["terms"]["accuracy"] == accuracy


def test_term_accuracy_is_none_without_terms() -> None:
    t = term_accuracy(["Rien."], ["Nothing."], FakeGlossary({"cloud": ("cloud",)}), "en")
    assert t.accuracy is None and t.to_dict()["total"] == 0


# --------------------------------------------------------------------------- significance


def test_compare_matches_sacrebleu_paired_bs(tmp_path: Path) -> None:
    _, hyps, refs, _, _ = PARITY_CASES[0]
    worse = ["Web X Tokyo.", "People came.", "Market up."]
    for name, lines in (("ref.txt", refs), ("a.txt", hyps), ("b.txt", worse)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "sacrebleu",
        "ref.txt",
        "-i",
        "a.txt",
        "b.txt",
        "-m",
        "bleu",
        "chrf",
        "ter",
        "--chrf-word-order",
        "2",
        "--paired-bs",
        "-w",
        "4",
        "--format",
        "text",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    cli_p = [float(p) for p in re.findall(r"p = ([0-9.]+)", out)]
    ours = compare(hyps, worse, refs, "en")
    assert [round(m.p_value, 4) for m in ours.metrics] == cli_p
    row = next(line for line in out.splitlines() if "b.txt" in line)
    cli_means = [float(x) for x in re.findall(r"\(([0-9.]+) ±", row)]
    assert [round(m.b_mean, 4) for m in ours.metrics] == cli_means
    assert [m.verdict for m in ours.metrics][0] == "A better"
    assert not any(m.to_dict()["b_significantly_better"] for m in ours.metrics)
    assert compare(worse, hyps, refs, "en").metrics[0].verdict == "B better"


def test_compare_needs_aligned_systems() -> None:
    with pytest.raises(ScoreError, match="A has 1 segments, B 2"):
        compare(["a"], ["a", "b"], ["a"], "en")


_BREAKS = [i for i, ch in enumerate(ARTICLE) if ch == " "]


@given(st.sets(st.sampled_from(_BREAKS)))
def test_any_segmentation_keeps_every_reference_once(cuts: set[int]) -> None:
    """Whatever the cut points, units are disjoint, in order, and use every reference once."""
    pieces, start = [], 0
    for m in re.finditer(r"[^\n]+", ARTICLE):
        bounds = [m.start(), *sorted(c for c in cuts if m.start() < c < m.end()), m.end()]
        for a, b in zip(bounds, bounds[1:], strict=False):
            text = ARTICLE[a:b].strip()
            if text:
                start = ARTICLE.index(text, a)
                pieces.append(Segment(f"x{len(pieces)}", 1, text, start, start + len(text)))
    doc = Document(ARTICLE, tuple(pieces))
    units = align_units(doc, _refs())
    ids = [sid for u in units for sid in u.segment_ids]
    assert ids == [s.id for s in pieces]
    assert " ".join(u.reference for u in units) == " ".join(t for _, t in REFS)
    per_segment = align_references(doc, _refs())
    assert set(per_segment) <= set(ids)
    assert sum(v.count(".") for v in per_segment.values()) == sum(t.count(".") for _, t in REFS)


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["市场同比增长 13.8%。", "Web X 在东京举办。"], "zh"),
        (["東京でWeb Xが開催された。"], "ja"),
        (["도쿄에서 열렸다."], "ko"),
        (["Mehr als 10.000 Menschen.", "Web X"], None),
        (["AWS 云"], None),  # mostly Latin letters
        (["2024 — 13,8 %"], None),
    ],
)
def test_guess_script_lang(texts: list[str], expected: str | None) -> None:
    from translate.score import guess_script_lang

    assert guess_script_lang(texts) == expected


def test_plain_chinese_files_are_scored_with_the_zh_tokenizer(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("一万多人参加了此次活动。\n", encoding="utf-8")
    (tmp_path / "h.txt").write_text("一万多人参加了活动。\n", encoding="utf-8")
    pairs = read_pairs(tmp_path / "h.txt", tmp_path / "r.txt")
    assert pairs.lang == "zh"
    scores = corpus_scores(pairs.hypotheses, pairs.references, pairs.lang)
    assert "tok:zh" in scores.signatures["bleu"]
    assert read_pairs(tmp_path / "h.txt", tmp_path / "r.txt", lang="en").lang == "en"
