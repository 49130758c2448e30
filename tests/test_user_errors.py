"""Every command against the errors a user can cause: one line, a documented exit code, no traceback.

Each case runs the real CLI in-process (an exception escaping :func:`translate.cli.main` fails the
test with its traceback) and checks the house rule of the README's "Exit codes": exactly one line on
stderr starting ``translate: error:``, the documented exit code, valid JSON (or nothing) on stdout
with ``--json``, and no output or temporary file left behind.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from translate.cli import main
from translate.errors import (
    EXIT_CONFIG,
    EXIT_GLOSSARY,
    EXIT_INPUT,
    EXIT_MODEL,
    EXIT_OUTPUT,
    EXIT_USAGE,
)

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "tests" / "data" / "glossary-small.csv"
SUITE_DIR = REPO / "evals"

# Copies of the bundled checks.json with one value of the wrong JSON type: key path -> value.
CHECKS_SHAPE_DEFECTS: dict[str, object] = {
    "checks": [],
    "patterns": [],
    "untranslated": 5,
    "numbers": "x",
    "length_ratio.tolerance": "big",
    "brackets": [1],
    "severities": {},
    "dnt.near_miss_min_chars": "three",
}

# A copy of the tiny model with one defect each: name -> (file, new content or None to delete).
BROKEN_MODELS: dict[str, tuple[str, bytes | None]] = {
    "bad_config": ("config.json", b"{corrupted"),
    "wrong_type": ("config.json", b'{"model_type": "bert"}'),
    "truncated_weights": ("model.safetensors", b"\x10\x00\x00"),
    "no_weights": ("model.safetensors", None),
    "no_spm": ("source.spm", None),
    "no_vocab": ("vocab.json", None),
}

# name -> file content (str: UTF-8 text, bytes: raw). Written once into a fresh folder per test.
FILES: dict[str, str | bytes] = {
    "good.txt": "Bonjour le monde. La blockchain est utile.\n",
    "batch/good.txt": "Bonjour le monde.\n",
    "codeonly.md": "```\nprint(1)\n```\n",
    "tagsonly.html": "<html><head><script>var a;</script></head><body><pre>x</pre></body></html>",
    "empty.txt": "",
    "blank.txt": "  \n\n",
    "binary.bin": b"\x00\x01\x02binary\x00",
    "late-nul.txt": b"Bonjour le monde. " * 1000 + b"\x00 fin.\n",
    "late-nul.csv": b"fr,en\n" + b"bourse,exchange\n" * 1000 + b"x\x00,y\n",
    "latin1.txt": "Le café est prêt.\n".encode("latin-1"),
    "hyp.txt": "Hello world.\nThe blockchain is useful.\n",
    "hyp1.txt": "Hello world.\n",
    "ref.txt": "Hello world.\nBlockchain is useful.\n",
    "src.txt": "Bonjour le monde.\nLa blockchain est utile.\n",
    # glossaries
    "ragged.csv": "fr,en\nbourse,exchange,extra,cells\nminage\n",
    "nofr.csv": "source,en\nbourse,exchange\n",
    "badbool.csv": "fr,en,case_sensitive\nbourse,exchange,maybe\n",
    "bom.csv": "\ufefffr,en\nbourse,exchange\n",
    "semicolon.csv": "fr;en\nbourse;exchange\n",
    "ragged.tsv": "fr\ten\nbourse\texchange\textra\n",
    "headeronly.csv": "fr,en\n",
    "bad.tbx": "<martif><text><body><termEntry>",
    "wrongns.tbx": '<?xml version="1.0"?><foo xmlns="urn:other"><bar/></foo>',
    "gloss.xyz": "fr,en\nbourse,exchange\n",
    # JSON files of the wrong shape
    "notjson.json": "{not json",
    "list.json": "[]",
    "string.json": '"hello"',
    "emptyobj.json": "{}",
    "null.json": "null",
    "result_segments_str.json": '{"source_lang": "fr", "target_lang": "en", "segments": "x"}',
    "thr_str.json": '{"default": {"bleu_min": "high"}}',
    "thr_list.json": '{"default": [1, 2]}',
    "thr_qa.json": '{"default": {"qa_max": {"critical": "none"}}}',
    "thr_lang.json": '{"languages": {"en": 5}}',
    "thr_unknown.json": '{"default": {"blue_min": 3}}',
    "thr_term_big.json": '{"default": {"term_accuracy_min": 7}}',
    "thr_bleu_neg.json": '{"default": {"bleu_min": -5}}',
    "thr_lang_chrf_big.json": '{"languages": {"de": {"chrf_min": 101}}}',
    "suite_noitems.json": '{"thresholds": null}',
    "suite_items_str.json": '{"items": "x"}',
    "suite_item_noarticle.json": '{"items": [{"langs": ["en"]}]}',
    "suite_item_langs_str.json": '{"items": [{"article": "good.txt", "langs": "en"}]}',
    "suite_missing_article.json": '{"items": [{"article": "nope.txt", "langs": ["en"]}]}',
    "suite_bad_thr.json": '{"thresholds": 5, "items": []}',
    "checks_list.json": "[]",
    "checks_badsev.json": '{"checks": {"glossary": {"severity": "fatal"}}}',
    "checks_str.json": '{"checks": "all"}',
    "checks_entry_str.json": '{"checks": {"glossary": "on"}}',
    # references
    "ref_bad.jsonl": '{"source": "a", "target": "b"}\n{oops\n',
    "ref_notarget.jsonl": '{"source": "a"}\n',
    "ref_list.jsonl": '["a", "b"]\n',
    "ref_targetnum.jsonl": '{"source": "a", "target": 3}\n',
    # XLIFF / TMX
    "notxml.xlf": "this is not xml",
    "wrongns.xlf": '<?xml version="1.0"?><xliff xmlns="urn:nope" version="1.2"><file/></xliff>',
    "nounits.xlf": '<?xml version="1.0"?>'
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
    "<file><body/></file></xliff>",
    "noattr.xlf": '<?xml version="1.0"?>'
    '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
    "<file><body><trans-unit><source>a</source><target>b</target></trans-unit></body>"
    "</file></xliff>",
    "notxml.tmx": "not xml at all",
    "nobody.tmx": '<?xml version="1.0"?><tmx version="1.4"><header/></tmx>',
    "nolang.tmx": '<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>'
    "<tu><tuv><seg>a</seg></tuv><tuv><seg>b</seg></tuv></tu></body></tmx>",
    "wrongroot.tmx": '<?xml version="1.0"?><html><body/></html>',
    # models
    "refs/en/good.jsonl": '{"source": "Une phrase absente.", "target": "Absent."}\n',
    "noweights/config.json": '{"model_type": "marian"}',
    "badconfig/config.json": "{corrupted",
}

# Each case: id, argv (``{d}`` = the fixtures folder, ``{model}`` = a tiny fr-en model,
# ``{result}`` = a good result JSON, ``{xlf}`` = a good XLIFF, ``{tmx}`` = a good TMX), and the
# expected exit code.
CASES: list[tuple[str, str, int]] = [
    # segment
    ("segment-missing", "segment {d}/nope.txt", EXIT_INPUT),
    ("segment-dir", "segment {d}", EXIT_INPUT),
    ("segment-empty", "segment {d}/empty.txt", EXIT_INPUT),
    ("segment-blank", "segment {d}/blank.txt", EXIT_INPUT),
    ("segment-binary", "segment {d}/binary.bin", EXIT_INPUT),
    ("segment-nul-after-8k", "segment {d}/late-nul.txt", EXIT_INPUT),
    ("run-nul-after-8k", "run {d}/late-nul.txt --to en --no-cache --out {d}/o", EXIT_INPUT),
    ("segment-latin1", "segment {d}/latin1.txt", EXIT_INPUT),
    ("segment-bad-encoding-name", "segment {d}/good.txt --encoding nope-8", EXIT_INPUT),
    ("segment-bad-format", "segment {d}/good.txt --format xml", EXIT_USAGE),
    ("segment-abbrev-missing", "segment {d}/good.txt --abbreviations {d}/nope.txt", EXIT_CONFIG),
    ("segment-abbrev-binary", "segment {d}/good.txt --abbreviations {d}/binary.bin", EXIT_CONFIG),
    # glossary check
    ("gcheck-missing", "glossary check {d}/nope.csv", EXIT_GLOSSARY),
    ("gcheck-dir", "glossary check {d}", EXIT_GLOSSARY),
    ("gcheck-empty", "glossary check {d}/empty.txt", EXIT_GLOSSARY),
    ("gcheck-binary", "glossary check {d}/binary.bin", EXIT_GLOSSARY),
    ("gcheck-ragged", "glossary check {d}/ragged.csv", EXIT_GLOSSARY),
    ("gcheck-nofr", "glossary check {d}/nofr.csv", EXIT_GLOSSARY),
    ("gcheck-badbool", "glossary check {d}/badbool.csv", EXIT_GLOSSARY),
    ("gcheck-ragged-tsv", "glossary check {d}/ragged.tsv", EXIT_GLOSSARY),
    ("gcheck-nul-after-8k", "glossary check {d}/late-nul.csv", EXIT_GLOSSARY),
    ("gcheck-bad-tbx", "glossary check {d}/bad.tbx", EXIT_GLOSSARY),
    ("gcheck-wrongns-tbx", "glossary check {d}/wrongns.tbx", EXIT_GLOSSARY),
    ("gcheck-json-ragged", "glossary check --json {d}/ragged.csv", EXIT_GLOSSARY),
    ("gcheck-unknown-lang", f"glossary check {GLOSSARY} --lang xx", EXIT_USAGE),
    ("gcheck-model-noweights", f"glossary check {GLOSSARY} --model {{d}}/noweights", EXIT_MODEL),
    # glossary match
    ("gmatch-missing-article", f"glossary match -g {GLOSSARY} {{d}}/nope.txt", EXIT_INPUT),
    ("gmatch-latin1", f"glossary match -g {GLOSSARY} {{d}}/latin1.txt", EXIT_INPUT),
    ("gmatch-missing-glossary", "glossary match -g {d}/nope.csv {d}/good.txt", EXIT_GLOSSARY),
    ("gmatch-bad-glossary", "glossary match -g {d}/ragged.csv {d}/good.txt", EXIT_GLOSSARY),
    ("gmatch-json-bad", "glossary match --json -g {d}/bad.tbx {d}/good.txt", EXIT_GLOSSARY),
    # run
    ("run-missing", "run {d}/nope.txt --to en --no-cache", EXIT_INPUT),
    ("run-dir-without-documents", "run {d}/noweights --to en --no-cache", EXIT_INPUT),
    ("run-glob-matches-nothing", "run {d}/*.nothing --to en --no-cache", EXIT_INPUT),
    ("run-batch-missing", "run {d}/good.txt {d}/nope.txt --to en --no-cache", EXIT_INPUT),
    ("run-batch-clash", "run {d}/good.txt {d}/batch/good.txt --to en --no-cache", EXIT_INPUT),
    (
        "run-batch-fail-fast",
        "run {d}/empty.txt {d}/good.txt --to en --model en={model} --no-cache --fail-fast "
        "--out {d}/o",
        EXIT_INPUT,
    ),
    (
        "run-batch-bad-thresholds",
        "run {d}/good.txt {d}/batch --to en --model en={model} --no-cache "
        "--thresholds {d}/thr_str.json --out {d}/o",
        EXIT_CONFIG,
    ),
    (
        "run-batch-refs-missing",
        "run {d}/batch --to en --model en={model} --no-cache --refs {d}/nope --out {d}/o",
        EXIT_INPUT,
    ),
    ("run-jobs-zero", "run {d}/batch --to en --jobs 0 --no-cache --out {d}/o", EXIT_USAGE),
    ("run-empty", "run {d}/empty.txt --to en --no-cache", EXIT_INPUT),
    ("run-binary", "run {d}/binary.bin --to en --no-cache", EXIT_INPUT),
    ("run-latin1", "run {d}/latin1.txt --to en --no-cache", EXIT_INPUT),
    ("run-md-no-text", "run {d}/codeonly.md --to en --no-cache --out {d}/o", EXIT_INPUT),
    ("run-html-no-text", "run {d}/tagsonly.html --to en --no-cache --out {d}/o", EXIT_INPUT),
    (
        "run-bad-input-format",
        "run {d}/good.txt --to en --input-format docx --out {d}/o",
        EXIT_USAGE,
    ),
    ("run-unknown-lang", "run {d}/good.txt --to xx --no-cache --out {d}/o", EXIT_MODEL),
    ("run-source-locale", "run {d}/good.txt --to en,fr-CA --no-cache --out {d}/o", EXIT_USAGE),
    ("run-unknown-locale", "run {d}/good.txt --to en-ZZ --no-cache --out {d}/o", EXIT_USAGE),
    ("run-bad-locale-tag", "run {d}/good.txt --to en-G --no-cache --out {d}/o", EXIT_USAGE),
    ("run-unknown-format", "run {d}/good.txt --to en --formats docx --out {d}/o", EXIT_USAGE),
    ("run-bad-glossary", "run {d}/good.txt --to en -g {d}/ragged.csv --out {d}/o", EXIT_GLOSSARY),
    (
        "run-model-noweights",
        "run {d}/good.txt --to en --model en={d}/noweights --no-cache --no-gate --out {d}/o",
        EXIT_MODEL,
    ),
    (
        "run-model-badconfig",
        "run {d}/good.txt --to en --model en={d}/badconfig --no-cache --no-gate --out {d}/o",
        EXIT_MODEL,
    ),
    *[
        (
            f"run-model-{broken}",
            f"run {{d}}/good.txt --to en --model en={{{broken}}} --no-cache --no-gate --out {{d}}/o",
            EXIT_MODEL,
        )
        for broken in BROKEN_MODELS
    ],
    (
        "run-ct2-unconvertible",
        "run {d}/good.txt --to en --model en={ct2_unconvertible} --engine ct2 --no-cache "
        "--no-gate --out {d}/o",
        EXIT_MODEL,
    ),
    ("models-convert-unknown", "models convert xx", EXIT_MODEL),
    ("models-convert-uncached", "models convert de --offline", EXIT_MODEL),
    *[
        (f"gcheck-model-{broken}", f"glossary check {GLOSSARY} --model {{{broken}}}", EXIT_MODEL)
        for broken in ("no_spm", "no_vocab")
    ],
    (
        "run-model-bad-spec",
        "run {d}/good.txt --to en --model nokey --no-cache --out {d}/o",
        EXIT_USAGE,
    ),
    (
        "run-out-under-file",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate --out {d}/good.txt/x",
        EXIT_OUTPUT,
    ),
    (
        "run-out-is-file",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate --out {d}/good.txt",
        EXIT_OUTPUT,
    ),
    (
        "run-bad-thresholds",
        "run {d}/good.txt --to en --model en={model} --no-cache "
        "--thresholds {d}/thr_str.json --out {d}/o",
        EXIT_CONFIG,
    ),
    (
        "run-thresholds-list",
        "run {d}/good.txt --to en --model en={model} --no-cache "
        "--thresholds {d}/list.json --out {d}/o",
        EXIT_CONFIG,
    ),
    (
        "run-thresholds-conflict",
        "run {d}/good.txt --to en --thresholds {d}/thr_str.json --no-gate",
        EXIT_USAGE,
    ),
    (
        "run-refs-missing",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate "
        "--refs {d}/nope --out {d}/o",
        EXIT_INPUT,
    ),
    ("run-json-unknown-lang", "run {d}/good.txt --to xx --json --no-cache --out {d}/o", EXIT_MODEL),
    ("run-beams-zero", "run {d}/good.txt --to en --beams 0 --no-cache --out {d}/o", EXIT_USAGE),
    ("run-to-empty", "run {d}/good.txt --to= --no-cache --out {d}/o", EXIT_USAGE),
    ("run-to-double-comma", "run {d}/good.txt --to en,,de --no-cache --out {d}/o", EXIT_USAGE),
    ("run-to-trailing-comma", "run {d}/good.txt --to en, --no-cache --out {d}/o", EXIT_USAGE),
    ("run-max-length-a-neg", "run {d}/good.txt --to en --max-length-a -1 --out {d}/o", EXIT_USAGE),
    ("run-max-length-a-inf", "run {d}/good.txt --to en --max-length-a inf --out {d}/o", EXIT_USAGE),
    ("run-max-length-b-neg", "run {d}/good.txt --to en --max-length-b -3 --out {d}/o", EXIT_USAGE),
    ("models-pull-double-comma", "models pull en,,de", EXIT_USAGE),
    *[
        (
            f"run-thresholds-{name}",
            f"run {{d}}/good.txt --to en --model en={{model}} --no-cache "
            f"--thresholds {{d}}/thr_{name}.json --out {{d}}/o",
            EXIT_CONFIG,
        )
        for name in ("term_big", "bleu_neg", "lang_chrf_big")
    ],
    (
        "run-out-dangling-link",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate --out {d}/dangling",
        EXIT_OUTPUT,
    ),
    (
        "run-memory-not-sqlite",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate "
        "--memory {d}/good.txt --out {d}/o",
        EXIT_CONFIG,
    ),
    (
        "run-memory-is-dir",
        "run {d}/good.txt --to en --no-cache --memory {d} --out {d}/o",
        EXIT_CONFIG,
    ),
    (
        "run-refs-not-in-article",
        "run {d}/good.txt --to en --model en={model} --no-cache --no-gate "
        "--refs {d}/refs --out {d}/o",
        EXIT_CONFIG,
    ),
    # models
    ("models-pull-unknown", "models pull xx", EXIT_MODEL),
    ("models-pull-offline", "models pull en", EXIT_MODEL),
    # score
    (
        "localize-missing-src",
        "localize --src {d}/nope.txt --hyp {d}/hyp.txt --to en-GB",
        EXIT_INPUT,
    ),
    ("localize-binary-hyp", "localize --src {d}/src.txt --hyp {d}/binary.bin --to en", EXIT_INPUT),
    ("localize-dir-hyp", "localize --src {d}/src.txt --hyp {d} --to en", EXIT_INPUT),
    ("localize-source-lang", "localize --src {d}/src.txt --hyp {d}/hyp.txt --to fr-CA", EXIT_USAGE),
    ("localize-bad-tag", "localize --src {d}/src.txt --hyp {d}/hyp.txt --to e-", EXIT_USAGE),
    ("localize-no-cldr", "localize --src {d}/src.txt --hyp {d}/hyp.txt --to en-ZZ", EXIT_USAGE),
    ("localize-mismatch", "localize --src {d}/src.txt --hyp {d}/hyp1.txt --to en", EXIT_CONFIG),
    (
        "localize-mismatch-json",
        "localize --json --src {d}/src.txt --hyp {d}/hyp1.txt --to en",
        EXIT_CONFIG,
    ),
    ("score-missing-hyp", "score --hyp {d}/nope.txt --ref {d}/ref.txt", EXIT_INPUT),
    ("score-missing-ref", "score --hyp {d}/hyp.txt --ref {d}/nope.txt", EXIT_INPUT),
    ("score-empty-hyp", "score --hyp {d}/empty.txt --ref {d}/ref.txt", EXIT_INPUT),
    ("score-latin1-ref", "score --hyp {d}/hyp.txt --ref {d}/latin1.txt", EXIT_INPUT),
    ("score-mismatch", "score --hyp {d}/hyp1.txt --ref {d}/ref.txt", EXIT_CONFIG),
    ("score-mismatch-json", "score --json --hyp {d}/hyp1.txt --ref {d}/ref.txt", EXIT_CONFIG),
    ("score-bad-jsonl", "score --hyp {d}/hyp.txt --ref {d}/ref_bad.jsonl", EXIT_CONFIG),
    ("score-jsonl-notarget", "score --hyp {d}/hyp1.txt --ref {d}/ref_notarget.jsonl", EXIT_CONFIG),
    ("score-jsonl-list", "score --hyp {d}/hyp1.txt --ref {d}/ref_list.jsonl", EXIT_CONFIG),
    (
        "score-jsonl-targetnum",
        "score --hyp {d}/hyp1.txt --ref {d}/ref_targetnum.jsonl",
        EXIT_CONFIG,
    ),
    ("score-hyp-notjson", "score --hyp {d}/notjson.json --ref {d}/ref.txt", EXIT_CONFIG),
    ("score-hyp-list", "score --hyp {d}/list.json --ref {d}/ref.txt", EXIT_CONFIG),
    ("score-hyp-emptyobj", "score --hyp {d}/emptyobj.json --ref {d}/ref.txt", EXIT_CONFIG),
    (
        "score-hyp-segments-str",
        "score --hyp {d}/result_segments_str.json --ref {d}/ref.txt",
        EXIT_CONFIG,
    ),
    (
        "score-src-mismatch",
        "score --hyp {d}/hyp.txt --ref {d}/ref.txt --src {d}/hyp1.txt -g " + str(GLOSSARY),
        EXIT_CONFIG,
    ),
    (
        "score-bad-glossary",
        "score --hyp {d}/hyp.txt --ref {d}/ref.txt --src {d}/src.txt -g {d}/ragged.csv",
        EXIT_GLOSSARY,
    ),
    ("score-unknown-lang", "score --hyp {d}/hyp.txt --ref {d}/ref.txt --lang klingon", EXIT_USAGE),
    # eval
    ("eval-missing-suite", "eval {d}/nope.json --no-cache", EXIT_INPUT),
    ("eval-suite-notjson", "eval {d}/notjson.json --no-cache", EXIT_CONFIG),
    ("eval-suite-list", "eval {d}/list.json --no-cache", EXIT_CONFIG),
    ("eval-suite-string", "eval {d}/string.json --no-cache", EXIT_CONFIG),
    ("eval-suite-noitems", "eval {d}/suite_noitems.json --no-cache", EXIT_CONFIG),
    ("eval-suite-items-str", "eval {d}/suite_items_str.json --no-cache", EXIT_CONFIG),
    ("eval-suite-item-noarticle", "eval {d}/suite_item_noarticle.json --no-cache", EXIT_CONFIG),
    ("eval-suite-langs-str", "eval {d}/suite_item_langs_str.json --no-cache", EXIT_CONFIG),
    (
        "eval-suite-missing-article",
        f"eval {{d}}/suite_missing_article.json --hyp-dir {{d}} --thresholds {SUITE_DIR}/thresholds.json",
        EXIT_INPUT,
    ),
    ("eval-suite-bad-thr", "eval {d}/suite_bad_thr.json --no-cache", EXIT_CONFIG),
    (
        "eval-thr-str",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_str.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    (
        "eval-thr-list",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_list.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    (
        "eval-thr-qa",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_qa.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    (
        "eval-thr-lang",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_lang.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    (
        "eval-thr-unknown-key",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_unknown.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    (
        "eval-thr-null",
        f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/null.json --hyp-dir {{d}}",
        EXIT_CONFIG,
    ),
    *[
        (
            f"eval-thr-{name}",
            f"eval {SUITE_DIR}/suite.json --thresholds {{d}}/thr_{name}.json --hyp-dir {{d}}",
            EXIT_CONFIG,
        )
        for name in ("term_big", "bleu_neg")
    ],
    ("eval-hypdir-missing", f"eval {SUITE_DIR}/suite.json --hyp-dir {{d}}/nope", EXIT_INPUT),
    ("eval-json-suite-list", "eval --json {d}/list.json --no-cache", EXIT_CONFIG),
    (
        "eval-out-under-file",
        f"eval {SUITE_DIR}/suite.json --hyp-dir {{d}} --out {{d}}/good.txt/x",
        EXIT_OUTPUT,
    ),
    (
        "eval-bad-glossary",
        f"eval {SUITE_DIR}/suite.json -g {{d}}/ragged.csv --hyp-dir {{d}}",
        EXIT_GLOSSARY,
    ),
    # compare
    ("compare-missing", "compare {d}/nope.txt {d}/hyp.txt --ref {d}/ref.txt", EXIT_INPUT),
    ("compare-mismatch", "compare {d}/hyp1.txt {d}/hyp.txt --ref {d}/ref.txt", EXIT_CONFIG),
    (
        "compare-json-mismatch",
        "compare --json {d}/hyp1.txt {d}/hyp.txt --ref {d}/ref.txt",
        EXIT_CONFIG,
    ),
    ("compare-bad-ref", "compare {d}/hyp.txt {d}/hyp.txt --ref {d}/ref_bad.jsonl", EXIT_CONFIG),
    (
        "compare-samples-zero",
        "compare {d}/hyp.txt {d}/hyp.txt --ref {d}/ref.txt --samples 0",
        EXIT_USAGE,
    ),
    (
        "compare-alpha-big",
        "compare {d}/hyp.txt {d}/hyp.txt --ref {d}/ref.txt --alpha 2",
        EXIT_USAGE,
    ),
    ("compare-result-list", "compare {d}/list.json {d}/hyp.txt --ref {d}/ref.txt", EXIT_CONFIG),
    # checks
    ("checks-missing", "checks --config {d}/nope.json", EXIT_INPUT),
    ("checks-notjson", "checks --config {d}/notjson.json", EXIT_CONFIG),
    ("checks-list", "checks --config {d}/checks_list.json", EXIT_CONFIG),
    ("checks-badsev", "checks --config {d}/checks_badsev.json", EXIT_CONFIG),
    ("checks-str", "checks --config {d}/checks_str.json", EXIT_CONFIG),
    ("checks-entry-str", "checks --config {d}/checks_entry_str.json", EXIT_CONFIG),
    *[
        (f"checks-shape-{key}", f"checks --config {{d}}/checks_{key}.json", EXIT_CONFIG)
        for key in CHECKS_SHAPE_DEFECTS
    ],
    ("checks-json-list", "checks --json --config {d}/checks_list.json", EXIT_CONFIG),
    # checks on line-aligned files
    ("checks-files-count", "checks --src {d}/src.txt --hyp {d}/hyp1.txt --lang en", EXIT_INPUT),
    ("checks-files-missing", "checks --src {d}/src.txt --hyp {d}/nope.txt --lang en", EXIT_INPUT),
    ("checks-files-dir", "checks --src {d} --hyp {d}/src.txt --lang en", EXIT_INPUT),
    ("checks-files-nolang", "checks --src {d}/src.txt --hyp {d}/ref.txt", EXIT_USAGE),
    ("checks-files-nohyp", "checks --src {d}/src.txt --lang en", EXIT_USAGE),
    ("checks-files-badlang", "checks --src {d}/src.txt --hyp {d}/ref.txt --lang xx-!", EXIT_USAGE),
    ("checks-lang-alone", "checks --lang en", EXIT_USAGE),
    (
        "checks-files-badfail",
        "checks --src {d}/src.txt --hyp {d}/ref.txt --lang en --fail-on x",
        EXIT_USAGE,
    ),
    # export
    ("export-missing", "export {d}/nope.json --out {d}/o", EXIT_INPUT),
    ("export-dir", "export {d} --out {d}/o", EXIT_INPUT),
    ("export-notjson", "export {d}/notjson.json --out {d}/o", EXIT_CONFIG),
    ("export-list", "export {d}/list.json --out {d}/o", EXIT_CONFIG),
    ("export-emptyobj", "export {d}/emptyobj.json --out {d}/o", EXIT_CONFIG),
    ("export-segments-str", "export {d}/result_segments_str.json --out {d}/o", EXIT_CONFIG),
    ("export-unknown-format", "export {result} --formats docx --out {d}/o", EXIT_USAGE),
    ("export-out-under-file", "export {result} --out {d}/good.txt/x", EXIT_OUTPUT),
    ("export-out-is-file", "export {result} --out {d}/good.txt", EXIT_OUTPUT),
    ("export-out-proc", "export {result} --out /proc/translate-test", EXIT_OUTPUT),
    ("export-json-list", "export --json {d}/list.json --out {d}/o", EXIT_CONFIG),
    # review (result)
    ("review-missing", "review {d}/nope.json", EXIT_INPUT),
    ("review-result-memory", "review {result} --memory {d}/m.sqlite", EXIT_USAGE),
    ("review-result-resultopt", "review {result} --result {result}", EXIT_USAGE),
    ("review-tmx", "review {tmx}", EXIT_INPUT),
    ("review-csv", "review {d}/nofr.csv", EXIT_INPUT),
    ("export-xlf", "export {xlf} --out {d}/o", EXIT_INPUT),
    ("export-tmx", "export {tmx} --out {d}/o", EXIT_INPUT),
    ("review-notjson", "review {d}/notjson.json", EXIT_CONFIG),
    ("review-list", "review {d}/list.json", EXIT_CONFIG),
    ("review-json-list", "review --json {d}/list.json", EXIT_CONFIG),
    ("review-html-under-file", "review {result} --html {d}/good.txt/x.html", EXIT_OUTPUT),
    ("review-html-is-dir", "review {result} --html {d}", EXIT_OUTPUT),
    # review (XLIFF)
    ("review-xlf-missing", "review {d}/nope.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-notxml", "review {d}/notxml.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-wrongns", "review {d}/wrongns.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-nounits", "review {d}/nounits.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-noattr", "review {d}/noattr.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-json-notxml", "review --json {d}/notxml.xlf --no-memory", EXIT_INPUT),
    ("review-xlf-bad-result", "review {xlf} --no-memory --result {d}/list.json", EXIT_CONFIG),
    ("review-xlf-memory-conflict", "review {xlf} --memory {d}/m.sqlite --no-memory", EXIT_USAGE),
    # memory
    ("memory-import-missing", "memory import {d}/nope.tmx", EXIT_INPUT),
    ("memory-import-notxml", "memory import {d}/notxml.tmx", EXIT_INPUT),
    ("memory-import-nobody", "memory import {d}/nobody.tmx", EXIT_INPUT),
    ("memory-import-nolang", "memory import {d}/nolang.tmx", EXIT_INPUT),
    ("memory-import-wrongroot", "memory import {d}/wrongroot.tmx", EXIT_INPUT),
    ("memory-import-binary", "memory import {d}/binary.bin", EXIT_INPUT),
    ("memory-import-json-notxml", "memory import --json {d}/notxml.tmx", EXIT_INPUT),
    ("memory-export-under-file", "memory export {d}/good.txt/x.tmx", EXIT_OUTPUT),
    ("memory-export-is-dir", "memory export {d}", EXIT_OUTPUT),
    ("memory-export-unknown-lang", "memory export {d}/o.tmx --lang klingon", EXIT_USAGE),
    ("memory-path-under-file", "memory --memory {d}/good.txt/m.sqlite import {tmx}", EXIT_OUTPUT),
    ("memory-path-is-dir", "memory --memory {d} import {tmx}", EXIT_CONFIG),
    ("memory-path-not-sqlite", "memory --memory {d}/good.txt info --json", EXIT_CONFIG),
]


@pytest.fixture(scope="module")
def broken_models(tiny_fr_en: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the tiny model, each with one of :data:`BROKEN_MODELS`' defects."""
    root = tmp_path_factory.mktemp("broken")
    made = {}
    for name, (file, content) in BROKEN_MODELS.items():
        folder = Path(shutil.copytree(tiny_fr_en, root / name))
        if content is None:
            (folder / file).unlink()
        else:
            (folder / file).write_bytes(content)
        made[name] = folder
    # transformers runs it, CTranslate2 cannot convert it (no tanh activation)
    folder = Path(shutil.copytree(tiny_fr_en, root / "ct2_unconvertible"))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "activation_function": "tanh"}))
    made["ct2_unconvertible"] = folder
    return made


@pytest.fixture(scope="module")
def good_outputs(tiny_fr_en: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A result JSON and an XLIFF written by a real run with the tiny model."""
    out = tmp_path_factory.mktemp("good")
    article = out / "a.txt"
    article.write_text(FILES["good.txt"], encoding="utf-8")  # type: ignore[arg-type]
    argv = [str(article), "--to", "en", "--model", f"en={tiny_fr_en}", "--no-cache", "--no-gate"]
    argv += ["--out", str(out), "--formats", "json,xliff,tmx", "-q"]
    assert main(["run", *argv]) == 0
    return {"result": out / "a.en.json", "xlf": out / "a.en.xlf", "tmx": out / "a.en.tmx"}


def _write_files(root: Path) -> None:
    bundled = json.loads((REPO / "translate" / "data" / "checks.json").read_text(encoding="utf-8"))
    for key, value in CHECKS_SHAPE_DEFECTS.items():
        config = json.loads(json.dumps(bundled))
        *parents, last = key.split(".")
        node = config
        for part in parents:
            node = node[part]
        node[last] = value
        (root / f"checks_{key}.json").parent.mkdir(parents=True, exist_ok=True)
        (root / f"checks_{key}.json").write_text(json.dumps(config), encoding="utf-8")
    (root / "dangling").symlink_to(root / "nowhere")
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(("argv", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_user_error(
    argv: str,
    code: int,
    tmp_path: Path,
    tiny_fr_en: Path,
    good_outputs: dict[str, Path],
    broken_models: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    d = tmp_path / "files"
    _write_files(d)
    result = tmp_path / "result.json"
    shutil.copy(good_outputs["result"], result)
    xlf = tmp_path / "edited.xlf"
    shutil.copy(good_outputs["xlf"], xlf)
    tmx = tmp_path / "memory.tmx"
    shutil.copy(good_outputs["tmx"], tmx)
    before = _snapshot(tmp_path)
    args = argv.format(d=d, model=tiny_fr_en, result=result, xlf=xlf, tmx=tmx, **broken_models)
    args = args.split()
    try:
        rc = main(args)
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert rc == code, f"exit {rc}, expected {code}; stderr: {err!r}"
    assert "Traceback" not in err
    assert len(lines) == 1 or code == EXIT_USAGE, f"expected one line on stderr, got {err!r}"
    assert lines[-1].startswith("translate: error:") or (
        code == EXIT_USAGE and "error:" in lines[-1]
    ), err
    if "--json" in args and out.strip():
        json.loads(out)
    left = _snapshot(tmp_path) - before
    assert not [p for p in left if p.endswith(".tmp") or "/o/" in p or p.endswith(".html")], left


# Inputs that look odd but are valid: they must not be rejected by the checks above.
ACCEPTED: list[tuple[str, str]] = [
    ("glossary-bom", "glossary check {d}/bom.csv"),
    ("glossary-semicolon", "glossary check {d}/semicolon.csv"),
    ("glossary-header-only", "glossary check {d}/headeronly.csv"),
    ("glossary-any-suffix", "glossary check {d}/gloss.xyz"),
    ("segment-latin1-declared", "segment {d}/latin1.txt --encoding latin-1"),
    ("score-lang-region", "score --hyp {d}/hyp.txt --ref {d}/ref.txt --lang en-GB"),
    ("memory-info-missing-file", "memory --memory {d}/new/m.sqlite info --json"),
]


@pytest.mark.parametrize("argv", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_accepted_input(argv: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_files(tmp_path)
    rc = main(argv.format(d=tmp_path).split())
    out, err = capsys.readouterr()
    assert rc == 0, err
    if "--json" in argv:
        json.loads(out)


# A good result JSON with one value of the wrong type: key path -> value (tracebacks before).
RESULT_DEFECTS: list[tuple[str, object]] = [
    ("source.path", 5),
    ("source.lang", None),
    ("source.text", None),
    ("target_lang", []),
    ("segments.0.id", None),
    ("segments.0.start", "x"),
    ("segments.0.origin", []),
    ("segments.0.terms", [{"headword": "a", "source": "b", "required": [1]}]),
    ("segments.0.checks", [{"check": 5, "severity": None, "message": ""}]),
    ("segments.0.scores", {"chrf": "high"}),
]


@pytest.mark.parametrize(
    "command", ["export {r} --out {o}", "review {r} --json", "score --hyp {r}"]
)
@pytest.mark.parametrize(("key", "value"), RESULT_DEFECTS, ids=[k for k, _ in RESULT_DEFECTS])
def test_result_of_wrong_shape(
    command: str,
    key: str,
    value: object,
    tmp_path: Path,
    good_outputs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = json.loads(good_outputs["result"].read_text(encoding="utf-8"))
    node = data
    *parents, last = key.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    result = tmp_path / "r.json"
    result.write_text(json.dumps(data), encoding="utf-8")
    ref = tmp_path / "ref.txt"
    ref.write_text("x\n" * len(data["segments"]), encoding="utf-8")
    argv = command.format(r=result, o=tmp_path / "o").split()
    if argv[0] == "score":
        argv += ["--ref", str(ref)]
    assert main(argv) == EXIT_CONFIG
    out, err = capsys.readouterr()
    assert (
        err.count("\n") == 1 and err.startswith("translate: error:") and key.split(".")[-1] in err
    )
    assert not (tmp_path / "o").exists()
