"""Protected spans: URLs, e-mail addresses, @handles, code and versions come out verbatim."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.cli import main
from translate.errors import EXIT_OK, ConfigError
from translate.pipeline import Pipeline
from translate.protect import ProtectRules, constraints_for, verify
from translate.units import Document, DocumentResult, Segment, TermConstraint

RULES = ProtectRules.load()


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Groupe Telegram :https://t.me/TechFlowDaily", [("https://t.me/TechFlowDaily", "url")]),
        ("écrivez à presse@exemple.fr.", [("presse@exemple.fr", "email")]),
        ("suivez @TechFlowPost !", [("@TechFlowPost", "handle")]),
        ("Voir https://exemple.fr/a?b=1&c=2, puis", [("https://exemple.fr/a?b=1&c=2", "url")]),
        ("(voir www.exemple.fr).", [("www.exemple.fr", "url")]),
        ("Voir https://x.org/Foo_(bar).", [("https://x.org/Foo_(bar)", "url")]),
        ("« https://x.org/a »", [("https://x.org/a", "url")]),
        ("la v2.1.3 corrige `pip install x`.", [("v2.1.3", "version"), ("`pip install x`", "code_span")]),
        ("@a et b@c.fr et @d", [("@a", "handle"), ("b@c.fr", "email"), ("@d", "handle")]),
        ("Le nuage public grandit.", []),
        ("nom@domaine sans point", []),  # not an e-mail, and no handle inside a word
        ("prix 3.5 € et 2.1.3", []),
        ("", []),
    ],
)  # fmt: skip
def test_find(text: str, spans: list[tuple[str, str]]) -> None:
    found = RULES.find(text)
    assert [(m.text, m.entry_id) for m in found] == [(s, f"protect:{k}") for s, k in spans]
    assert all(text[m.start : m.end] == m.text and m.dnt for m in found)


@given(st.text(alphabet=st.sampled_from("ab @.:/`v12 -_()xh"), max_size=40))
@settings(max_examples=200, deadline=None)
def test_spans_are_ordered_disjoint_slices(text: str) -> None:
    found = RULES.find(text)
    assert all(text[m.start : m.end] == m.text != "" for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    # every span is kept verbatim by a text that is the source itself
    assert all(r.satisfied for r in verify(text, found))


@pytest.mark.parametrize(
    ("target", "span", "kept"),
    [
        ("Write to presse@exemple.fr now", "presse@exemple.fr", True),
        ("Write to presse@exemple.com now", "presse@exemple.fr", False),
        ("follow @binances", "@binance", False),
        ("请关注@binance获取", "@binance", True),  # CJK may touch a span
        ("See HTTPS://T.ME/X", "https://t.me/X", False),  # verbatim: case counts
        ("See https://t.me/X.", "https://t.me/X", True),
    ],
)
def test_verify(target: str, span: str, kept: bool) -> None:
    (match,) = RULES.find(f"voir {span} ici")
    (result,) = verify(target, [match])
    assert result.satisfied is kept and result.required == (span,)
    assert not kept or target[result.start : result.end] == span


def test_two_identical_spans_need_two_occurrences() -> None:
    spans = RULES.find("@a puis @a")
    assert [r.satisfied for r in verify("@a then", spans)] == [True, False]
    assert [r.satisfied for r in verify("@a then @a", spans)] == [True, True]


def test_constraints_are_the_span_in_every_language() -> None:
    (c,) = constraints_for(RULES.find("voir https://t.me/X"))
    assert c.dnt and all(c.variants(lang) == ("https://t.me/X",) for lang in ("en", "de", "zh"))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"patterns": {"bad": "("}}', "bad protect pattern"),
        ('{"passthrough": ["nope"]}', "unknown pass-through pattern 'nope'; valid names: url"),
        ("[1, 2]", "malformed protect rules"),
        ("{", "malformed protect rules"),
    ],
)
def test_bad_rules_files(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "protect.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        ProtectRules.load(path)


def test_own_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "protect.json"
    path.write_text(
        '{"passthrough": ["hashtag"], "patterns": {"ticket": "JIRA-\\\\d+"}, "trim": ","}'
    )
    rules = ProtectRules.load(path)
    assert [m.text for m in rules.find("voir JIRA-12 et #crypto, https://x.fr")] == [
        "JIRA-12",
        "#crypto",
    ]
    assert rules.digest != RULES.digest


# --------------------------------------------------------------------------- pipeline


class Echo:
    """A fake engine that copies the source lower-cased (mangling URLs) and records constraints."""

    source_lang = "fr"
    target_lang = "en"

    def __init__(self) -> None:
        self.seen: list[list[TermConstraint]] | None = None
        self.calls: list[Any] = []

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        self.calls.append(None if constraints is None else [list(c) for c in constraints])
        cons = constraints or [[] for _ in texts]
        return [
            " ".join([t.lower(), *(c.variants("en")[0] for c in cs)])
            for t, cs in zip(texts, cons, strict=True)
        ]

    def provenance(self):  # type: ignore[no-untyped-def]
        return {"engine": "echo", "legs": [{"model": "echo"}]}


def document(sentences: Sequence[str]) -> Document:
    text = "\n\n".join(sentences)
    segs, pos = [], 0
    for n, s in enumerate(sentences):
        start = text.index(s, pos)
        pos = start + len(s)
        segs.append(Segment(f"s{n + 1}", n + 1, s, start, pos))
    return Document(text, tuple(segs))


MIXED = [
    "Groupe Telegram :https://t.me/TechFlowDaily",
    "Le nuage public grandit.",
    "Écrivez à presse@exemple.fr ou suivez @TechFlowPost.",
    "https://t.me/Seul",  # a whole URL passes through, untouched by the engine
]


def test_pipeline_constrains_and_reports_spans_apart_from_terms() -> None:
    engine = Echo()
    result = Pipeline({"en": engine}).translate(document(MIXED))["en"]
    (call,) = engine.calls
    assert [[c.headword for c in cs] for cs in call] == [
        ["presse@exemple.fr", "@TechFlowPost"],
        ["https://t.me/TechFlowDaily"],
        [],
    ]
    segs = {s.source: s for s in result.segments}
    assert [r.found for r in segs[MIXED[2]].protected] == ["presse@exemple.fr", "@TechFlowPost"]
    assert segs[MIXED[3]].origin == "passthrough" and segs[MIXED[3]].protected == ()
    assert all(s.terms == () for s in result.segments)
    assert result.summary["term_accuracy"] is None  # glossary terms only
    methods = dict(result.summary["protected"])
    # how each kept span was met (free/repair/constrained): counted only for engines that say
    assert set(methods.pop("methods")) == {"free", "repair", "constrained"}
    assert methods == {
        "required": 3,
        "found": 3,
        "accuracy": 1.0,
        "missing": [],
    }
    assert result.provenance["protect"] == {"digest": RULES.digest}
    again = DocumentResult.from_dict(json.loads(result.to_json()))
    assert again.to_dict() == result.to_dict() and again.segments[0].protected


def test_protect_off_sends_no_constraints_and_reports_nothing() -> None:
    engine = Echo()
    result = Pipeline({"en": engine}, protect=False).translate(document(MIXED))["en"]
    assert engine.calls == [None]
    assert all(s.protected == () for s in result.segments)
    assert result.summary["protected"]["required"] == 0
    assert result.provenance["protect"] is None


def test_a_document_without_spans_is_decoded_as_before() -> None:
    engine = Echo()
    Pipeline({"en": engine}).translate(document(["Le nuage.", "La pluie."]))
    assert engine.calls == [None]


def test_missing_spans_are_reported() -> None:
    class Mangler(Echo):
        def translate(self, texts, constraints=None):  # type: ignore[no-untyped-def]
            return [t.upper() for t in texts]

    result = Pipeline({"en": Mangler()}).translate(document(MIXED[:3]))["en"]
    summary = result.summary["protected"]
    assert summary["found"] == 0 and summary["accuracy"] == 0.0
    assert summary["missing"] == [
        "https://t.me/TechFlowDaily",
        "presse@exemple.fr",
        "@TechFlowPost",
    ]


# --------------------------------------------------------------------------- tiny Marian models

SPANNED = [
    "Groupe Telegram :https://t.me/TechFlowDaily",
    "Écrivez à energie@journalducloud.fr pour témoigner.",
    "Suivez @JournalDuCloud et la v2.1.3 sur https://journalducloud.fr/newsletter.",
    "Installez la v3.0 puis écrivez à presse@exemple.fr (ou https://t.me/CryptoVeilleFR).",
]
PLAIN = [
    "Les grandes entreprises visent les exchanges.",
    "Le cloud public grandit vite.",
    "La régulation reste floue.",
]


def _engine(path: Path, key: str = "fr-en", **options: Any) -> Any:
    from translate.engine.base import DecodeOptions
    from translate.engine.marian import MarianEngine
    from translate.engine.registry import ModelSpec

    src, _, tgt = key.partition("-")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MarianEngine.load(
            ModelSpec(key, src, tgt, str(path), local=True),
            DecodeOptions(max_length_a=0.5, max_length_b=8, **options),
        )


def _check(engines: dict[str, Any]) -> None:
    doc = document([x for pair in zip(SPANNED, PLAIN + [""], strict=True) for x in pair if x])
    on = Pipeline(engines).translate(doc)
    off = Pipeline(engines, protect=False).translate(doc)
    for lang in engines:
        for a, b in zip(on[lang].segments, off[lang].segments, strict=True):
            spans = RULES.find(a.source)
            assert all(s.text in a.target for s in spans), (a.source, a.target)
            assert all(r.satisfied for r in a.protected), a.protected
            if not spans:
                assert a.target == b.target  # byte-identical to decoding without protection
        assert on[lang].summary["protected"]["accuracy"] == 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spans_come_out_verbatim_direct(make_tiny_model: Callable[..., Path], seed: int) -> None:
    _check({"en": _engine(make_tiny_model(f"opus-mt-fr-en-seed{seed}", seed=seed))})


def test_spans_come_out_verbatim_through_a_pivot(tiny_pivot: tuple[Path, Path]) -> None:
    from translate.engine.pivot import PivotEngine

    first = _engine(tiny_pivot[0], "fr-en", num_beams=3)
    second = _engine(tiny_pivot[1], "en-de", num_beams=3)
    _check({"en": first, "de": PivotEngine([first, second])})


def test_a_span_the_tokenizer_cannot_spell_is_reported_not_forced(tiny_fr_en: Path) -> None:
    # "~" and "`" are not in the tiny vocabulary: the decoder cannot write those spans
    source = "Voir https://x.fr/~a, lancez `pip install x` et suivez @JournalDuCloud."
    result = Pipeline({"en": _engine(tiny_fr_en)}).translate(document([source]))["en"]
    seg = result.segments[0]
    url, code, handle = seg.protected
    assert handle.satisfied and (url.source, code.source) == ("https://x.fr/~a", "`pip install x`")
    assert all(r.satisfied == (r.source in seg.target) for r in seg.protected)
    missing = [r.source for r in (url, code) if not r.satisfied]
    assert result.summary["protected"]["missing"] == missing


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("flag", [(), ("--no-protect",)])
def test_run_keeps_spans_unless_told_not_to(
    tmp_path: Path,
    tiny_fr_en: Path,
    flag: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(f"{SPANNED[0]}\n\n{PLAIN[0]}\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "run", str(article), "--to", "en", "--out", str(out), "--no-cache", "--no-gate",
        "--model", f"fr-en={tiny_fr_en}", "--max-length-a", "0.5", "--max-length-b", "6",
        "-f", "json", "--json", *flag,
    ]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    summary = json.loads(captured.out)["languages"]["en"]["protected"]
    result = json.loads((out / "article.en.json").read_text(encoding="utf-8"))
    if flag:
        assert summary["required"] == 0 and result["provenance"]["protect"] is None
    else:
        assert sum(summary.pop("methods").values()) == 1  # the one span, met one way
        assert summary == {"required": 1, "found": 1, "accuracy": 1.0, "missing": []}
        assert "https://t.me/TechFlowDaily" in result["segments"][0]["target"]
        assert result["segments"][0]["protected"][0]["satisfied"] is True
