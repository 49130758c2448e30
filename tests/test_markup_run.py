"""Markdown and HTML articles through tiny Marian models: structure, links and placeholders kept."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from test_markup import html_structure, md_structure

from translate.cli import main
from translate.errors import EXIT_INPUT, EXIT_OK
from translate.markup import read_document
from translate.markup.placeholders import spans_for
from translate.pipeline import Pipeline
from translate.units import TermConstraint

REPO = Path(__file__).resolve().parent.parent
SLUG = "grandes-entreprises-exchanges-crypto"

MARKDOWN = """---
title: Les bourses
---
# Les *grandes* entreprises visent les bourses

Le 25 août, **Binance** a ouvert une [bourse](https://exemple.fr/a "titre") au Japon. Le cloud
public grandit vite.

> Les banques *hésitent* encore.

- premier point avec [un lien](https://exemple.org/p) ;
- second point

```
print("Ne pas traduire.")
```
"""

HTML = """<html lang="fr"><head><title>Les bourses</title><script>var a = 1;</script></head>
<body>
<h1>Les <em>grandes</em> entreprises</h1>
<p>Le 25 août, <b>Binance</b> a ouvert une <a href="https://exemple.fr/a?b=1&amp;c=2">bourse</a>
au Japon. La régulation <i>reste floue</i>.</p>
<ul><li>premier <a href="https://exemple.org/p" class="x">point</a><li>second point</ul>
<pre>Ne pas traduire.</pre>
</body></html>
"""


def blocks(structure: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Block-level entries of a structure (inline emphasis may move under a real model)."""
    inline = {"em_open", "em_close", "strong_open", "strong_close", "b", "i", "em", "strong"}
    return [(t, d) for t, d in structure if t not in inline and not t.startswith(("link_", "a"))]


def links(structure: list[tuple[str, str]]) -> Counter[str]:
    return Counter(d for t, d in structure if t in ("link_open", "a"))


def run(
    path: Path,
    out: Path,
    models: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[int, dict[str, Any], str]:
    fr_en, en_zh = models
    argv = [
        "run", str(path), "--to", "en,zh", "--out", str(out), "--no-gate", "--no-cache",
        "--model", f"fr-en={fr_en}", "--model", f"en-zh={en_zh}",
        "--max-length-a", "0.5", "--max-length-b", "10", "--json", *extra,
    ]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else {}, captured.err


@pytest.mark.parametrize(("name", "text"), [("article.md", MARKDOWN), ("article.html", HTML)])
def test_tiny_models_keep_block_structure_and_link_targets(
    tmp_path: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, summary, err = run(path, out, tiny_pivot, capsys)
    assert code == EXIT_OK, err
    ext = name.rsplit(".", 1)[1]
    structure = md_structure if ext == "md" else html_structure
    for lang in ("en", "zh"):
        files = summary["languages"][lang]["files"]
        assert files["doc"] == str(out / f"article.{lang}.{ext}")
        assert files["html"] == str(out / f"article.{lang}.review.html")
        translated = (out / f"article.{lang}.{ext}").read_text(encoding="utf-8")
        assert translated != text
        if ext == "md":
            assert translated.startswith("---\ntitle: Les bourses\n---\n# ")
            assert files["doc"] == files.get("md", files["doc"])
        else:
            assert (
                f'<html lang="{lang}">' in translated
                and "<script>var a = 1;</script>" in translated
            )
        assert blocks(structure(translated)) == blocks(structure(text))
        assert links(structure(translated)) == links(structure(text))
        result = json.loads((out / f"article.{lang}.json").read_text(encoding="utf-8"))
        assert result["source"]["format"] == ("markdown" if ext == "md" else "html")
        for seg in result["segments"]:
            assert "[" not in seg["target"] or "[" in seg["source"]  # QA reads no placeholder
            assert seg["markup"]["source"]


def test_bundled_article_in_markdown_and_html_reads_as_the_text(tmp_path: Path) -> None:
    from translate.score import align_references, load_references
    from translate.segment import segment

    text_doc = segment((REPO / "articles" / "fr" / f"{SLUG}.txt").read_text(encoding="utf-8"))
    for ext, fmt in (("md", "markdown"), ("html", "html")):
        path = REPO / "articles" / "fr" / f"{SLUG}.{ext}"
        doc, warned = read_document(path.read_text(encoding="utf-8"), fmt)
        assert warned == []
        tags = [t.name for m in doc.segment_markup.values() for t in m.tags]
        assert {"a", "em"} <= set(tags) and ({"strong"} & set(tags) or {"b"} & set(tags))
        words = " ".join(s.text for s in doc.segments).split()
        assert words == " ".join(s.text for s in text_doc.segments).split()
        for lang in ("en", "de", "es", "zh"):
            refs = load_references(path, lang)
            assert len(align_references(doc, refs)) == len(refs.entries)


class Recording:
    """Wraps a pivot leg and keeps what it wrote."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.source_lang, self.target_lang = engine.source_lang, engine.target_lang
        self.outputs: list[str] = []

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        out = self.engine.translate(texts, constraints)
        self.outputs.extend(out)
        return list(out)

    def provenance(self) -> Any:
        return self.engine.provenance()


def _engine(path: Path, key: str) -> Any:
    from translate.engine.base import DecodeOptions
    from translate.engine.marian import MarianEngine
    from translate.engine.registry import ModelSpec

    src, _, tgt = key.partition("-")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MarianEngine.load(
            ModelSpec(key, src, tgt, str(path), local=True),
            DecodeOptions(num_beams=3, max_length_a=0.5, max_length_b=10),
        )


def test_placeholders_are_written_on_every_pivot_leg(tiny_pivot: tuple[Path, Path]) -> None:
    from translate.engine.pivot import PivotEngine

    first = Recording(_engine(tiny_pivot[0], "fr-en"))
    second = Recording(_engine(tiny_pivot[1], "en-de"))
    doc, _ = read_document(HTML, "html")
    result = Pipeline({"de": PivotEngine([first, second])}).translate(doc)["de"]
    marked = [m for m in doc.segment_markup.values() if m.tags]
    assert len(marked) >= 3
    for leg in (first, second):
        for m in marked:
            forms = [s.text for s in spans_for(m)]
            output = next(o for o in leg.outputs if all(f in o for f in forms))
            assert output  # every placeholder of the segment, in this leg's output
    assert result.summary["markup"]["tags"] == sum(len(m.tags) for m in marked)


def test_a_markdown_file_without_text_is_a_one_line_error(
    tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "code.md"
    path.write_text("```\nprint(1)\n```\n", encoding="utf-8")
    code, _, err = run(path, tmp_path / "out", tiny_pivot, capsys)
    assert code == EXIT_INPUT
    assert err.count("\n") == 1 and err.startswith("translate: error:") and "no translatable" in err
    assert not (tmp_path / "out").exists()


def test_malformed_html_is_translated_with_a_warning(
    tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.html"
    path.write_text(
        "<p>Le cloud <b>public <i>grandit.</p><p>La régulation</span> reste floue.", "utf-8"
    )
    code, summary, err = run(path, tmp_path / "out", tiny_pivot, capsys, "-f", "doc")
    assert code == EXIT_OK
    assert "translate: warning:" in err and "stray </span>" in err and "not closed" in err
    out = (tmp_path / "out" / "broken.en.html").read_text(encoding="utf-8")
    assert out.count("<b>") == out.count("<i>") == out.count("</span>") == 1


def test_export_rewrites_the_document_from_the_result_json(
    tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.html"
    path.write_text(HTML, encoding="utf-8")
    code, _, err = run(path, tmp_path / "out", tiny_pivot, capsys, "-f", "json,doc")
    assert code == EXIT_OK, err
    again = tmp_path / "again"
    argv = [
        "export",
        str(tmp_path / "out" / "article.en.json"),
        "-f",
        "doc,html",
        "--out",
        str(again),
    ]
    assert main(argv) == EXIT_OK
    capsys.readouterr()
    written = (tmp_path / "out" / "article.en.html").read_text(encoding="utf-8")
    assert (again / "article.en.html").read_text(encoding="utf-8") == written
    assert (again / "article.en.review.html").is_file()
