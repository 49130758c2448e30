"""``translate run``: translate a French document into several languages and write the results.

For each target language it writes ``OUT/<stem>.<lang>.txt`` (the translated document with the
source's layout) and ``OUT/<stem>.<lang>.json`` (:meth:`DocumentResult.to_dict`). Thin: parsing,
progress display and output; the work is :mod:`translate.pipeline`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from translate._io import atomic_write, read_document
from translate.engine.base import DecodeOptions
from translate.engine.registry import parse_model_option, split_languages
from translate.errors import GlossaryError

DEFAULTS = DecodeOptions()
DEFAULT_OUT = "out"


def _model_option(text: str) -> tuple[str, str]:
    try:
        return parse_model_option(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def add_decode_arguments(p: argparse.ArgumentParser) -> None:
    """Decoding options, with defaults taken from :class:`DecodeOptions`."""
    g = p.add_argument_group("decoding")
    g.add_argument(
        "--beams",
        type=_positive_int,
        default=DEFAULTS.num_beams,
        help="beam size (default: the model's generation config)",
    )
    g.add_argument(
        "--max-length-a",
        type=float,
        default=DEFAULTS.max_length_a,
        help="output cap: A x source tokens + B (default A=%(default)s)",
    )
    g.add_argument(
        "--max-length-b",
        type=int,
        default=DEFAULTS.max_length_b,
        help="output cap: A x source tokens + B (default B=%(default)s)",
    )
    g.add_argument(
        "--batch-tokens",
        type=_positive_int,
        default=DEFAULTS.batch_tokens,
        help="padded source tokens per batch (default %(default)s); output does not depend on it",
    )
    g.add_argument("--device", choices=("auto", "cpu", "cuda"), default=DEFAULTS.device)
    g.add_argument("--threads", type=_positive_int, default=DEFAULTS.threads, help="CPU threads")
    g.add_argument(
        "--no-half",
        dest="half",
        action="store_false",
        default=DEFAULTS.half,
        help="keep float32 on GPU (default: float16 on GPU)",
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "run",
        help="translate a French document into several languages",
        description="Segment a French document, translate it into each target language with "
        "MarianMT (pivoting through English where needed) and write OUT/<stem>.<lang>.txt and "
        "OUT/<stem>.<lang>.json for each.",
    )
    p.add_argument("file", help="UTF-8 French text document")
    p.add_argument(
        "--to",
        required=True,
        action="append",
        metavar="LANGS",
        help="target languages, comma-separated (e.g. en,de,es); see 'translate models list'",
    )
    p.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s/)")
    p.add_argument(
        "--model",
        action="append",
        type=_model_option,
        default=[],
        metavar="KEY=PATH_OR_ID[@REV]",
        help="use this model directory or hub id (pinned with @revision) for KEY: a target "
        "language (whole chain) or a leg such as fr-en or en-zh; repeatable",
    )
    p.add_argument(
        "-g",
        "--glossary",
        action="append",
        default=[],
        metavar="FILE",
        help="glossary file whose terms are enforced; repeatable",
    )
    p.add_argument("--encoding", help="input encoding (default: UTF-8, BOM allowed)")
    p.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the translation cache",
    )
    p.add_argument(
        "--cache-dir",
        help="translation cache directory (default: $TRANSLATE_CACHE_DIR or the user cache dir)",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="never download models (as with HF_HUB_OFFLINE=1)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    add_decode_arguments(p)
    p.set_defaults(func=run)


def decode_options(args: argparse.Namespace) -> DecodeOptions:
    return DecodeOptions(
        num_beams=args.beams,
        max_length_a=args.max_length_a,
        max_length_b=args.max_length_b,
        batch_tokens=args.batch_tokens,
        device=args.device,
        threads=args.threads,
        half=args.half,
    )


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from translate.engine.cache import TranslationCache
    from translate.engine.chain import build_engines
    from translate.pipeline import Pipeline
    from translate.segment import segment

    console = Console(stderr=True)
    show = not args.quiet and not args.json
    live = show and console.is_terminal
    source = Path(args.file)
    document = segment(read_document(source, encoding=args.encoding))
    targets = split_languages(args.to)
    glossary = None
    if args.glossary:
        try:
            from translate.glossary import load_glossary
        except ImportError as err:
            raise GlossaryError(
                f"glossary support cannot be imported ({err}); reinstall the package or run "
                "without --glossary."
            ) from None
        glossary = load_glossary(args.glossary)
    options = decode_options(args)
    cache = TranslationCache(args.cache_dir) if args.cache else None

    def loading(spec: Any) -> None:
        if show:
            console.print(f"[dim]loading {spec.key}: {spec.model}[/dim]", highlight=False)

    started = time.perf_counter()
    engines = build_engines(
        targets,
        models=dict(args.model),
        options=options,
        cache=cache,
        allow_download=not args.offline,
        progress=show,
        on_load=loading,
    )
    pipeline = Pipeline(engines, glossary=glossary, options=options)
    results = {}
    timings: dict[str, float] = {}
    if live:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress(
            "[bold]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bars:
            tasks = {lang: bars.add_task(lang, total=len(document.segments)) for lang in targets}
            for lang in targets:
                t0 = time.perf_counter()
                results[lang] = pipeline.translate_into(
                    document,
                    lang,
                    source_path=str(source),
                    progress=lambda lang_, done, total: bars.update(
                        tasks[lang_], completed=done, total=total
                    ),
                )
                timings[lang] = time.perf_counter() - t0
    else:
        for lang in targets:
            t0 = time.perf_counter()
            results[lang] = pipeline.translate_into(document, lang, source_path=str(source))
            timings[lang] = time.perf_counter() - t0
    out_dir = Path(args.out)
    summary: dict[str, Any] = {"source": str(source), "out": str(out_dir), "languages": {}}
    for lang, result in results.items():
        text_path = atomic_write(out_dir / f"{source.stem}.{lang}.txt", result.translated_text())
        json_path = atomic_write(out_dir / f"{source.stem}.{lang}.json", result.to_json())
        summary["languages"][lang] = {
            "text": str(text_path),
            "json": str(json_path),
            **dict(result.summary),
            "models": [leg["model"] for leg in result.provenance["engine"]["legs"]],
            "seconds": round(timings[lang], 3),
        }
    summary["seconds"] = round(time.perf_counter() - started, 3)
    if args.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    elif not args.quiet:
        for lang, info in summary["languages"].items():
            o = info["origins"]
            extra = (
                f", term accuracy {info['term_accuracy']:.2%}"
                if info["term_accuracy"] is not None
                else ""
            )
            sys.stdout.write(
                f"{lang}: {info['text']} ({info['segments']} segments: {o['mt']} translated, "
                f"{o['cache']} from cache, {o['passthrough']} passed through{extra})\n"
            )
    if cache is not None:
        cache.close()
    return 0
