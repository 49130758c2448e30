"""``translate models list|pull``: the model registry, what is in the local cache, and downloads.

``list`` never touches the network (it scans the Hugging Face cache); ``pull`` downloads with a
progress bar. Neither imports torch.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from translate.cli._engine import language_list
from translate.engine.ct2_convert import COMPUTE_TYPES
from translate.engine.registry import ModelSpec, Registry, split_languages
from translate.errors import EngineError, UnknownLanguageError
from translate.localize.locales import default_locale, locales_of


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("models", help="list the model registry and download models")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION")
    ls = msub.add_parser(
        "list", help="each target language, its model chain and what is in the local cache"
    )
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=list_models)
    pull = msub.add_parser(
        "pull", help="download the models for target languages (or legs such as en-zh)"
    )
    pull.add_argument(
        "langs", nargs="+", type=language_list, metavar="LANG", help="e.g. en de zh, or en,de,zh"
    )
    pull.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    pull.set_defaults(func=pull_models)
    conv = msub.add_parser(
        "convert",
        help="convert the models of target languages (or legs) for CTranslate2, once, into the "
        "user cache (run does it on first use)",
    )
    conv.add_argument("langs", nargs="+", metavar="LANG", help="e.g. en de zh, or en,de,zh")
    conv.add_argument(
        "--compute-type",
        choices=COMPUTE_TYPES,
        default="auto",
        help="quantization (default: %(default)s, i.e. int8 on CPU, float16 with a GPU)",
    )
    conv.add_argument("--offline", action="store_true", help="never download models")
    conv.add_argument("-q", "--quiet", action="store_true", help="no progress bars or lines")
    conv.set_defaults(func=convert_models)
    demo = msub.add_parser(
        "demo",
        help="build a tiny random-weight model offline, to try every command without hub access",
    )
    demo.add_argument("dir", metavar="DIR", help="where to write the model (a new folder)")
    demo.add_argument("--lang", default="en", help="its target language (default: en)")
    demo.add_argument(
        "--text", action="append", default=[], metavar="FILE",
        help="UTF-8 text its tokenizers learn from (repeatable; default: built-in samples)",
    )  # fmt: skip
    demo.set_defaults(func=demo_model)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def demo_model(args: argparse.Namespace) -> int:
    """``translate models demo DIR``: a model to try the toolkit offline (its output is noise)."""
    from translate._io import check_output_dir, read_document
    from translate.errors import OutputError

    out = Path(args.dir)
    if (out.is_dir() and any(out.iterdir())) or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out} exists and is not an empty folder; give a new folder.")
    check_output_dir(out)
    from translate.engine.demo import SAMPLE_LINES, build_marian

    lines = list(SAMPLE_LINES)
    for path in args.text:
        lines += [line for line in read_document(path).splitlines() if line.strip()]
    build_marian(out, lines=lines, target_lang=args.lang, seed=1)
    sys.stdout.write(
        f"built a demo model fr-{args.lang} in {out} (random weights: its translations are noise, "
        "and the quality gate fails them). Try:\n"
        f"  translate run articles/fr/grandes-entreprises-exchanges-crypto.txt --to {args.lang} "
        f"--model {args.lang}={out} --force\n"
    )
    return 0


def inventory(registry: Registry) -> list[dict[str, Any]]:
    """Every language with its legs, each marked cached or not, with size on disk."""
    from translate.engine.ct2_convert import conversions
    from translate.engine.hub import cached, scan_cache

    repos = scan_cache()
    rows = []
    for lang in registry.languages():
        chain = registry.chain(lang)
        legs = []
        for spec in chain.legs:
            hit = cached(spec)
            repo = repos.get(spec.model)
            size = None
            if hit is not None and repo is not None:
                size = next(
                    (r.size_on_disk for r in repo.revisions if r.commit_hash == hit.commit),
                    repo.size_on_disk,
                )
            legs.append(
                {
                    **spec.to_dict(),
                    "cached": hit is not None,
                    "commit": hit.commit if hit is not None else None,
                    "size_bytes": size,
                    "converted": conversions(hit) if hit is not None else [],
                }
            )
        rows.append(
            {
                "lang": lang,
                "name": chain.name,
                "pivot": chain.is_pivot,
                "legs": legs,
                "default_locale": default_locale(lang),
                "locales": locales_of(lang),
            }
        )
    return rows


def _size(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.0f} MB"


def list_models(args: argparse.Namespace) -> int:
    rows = inventory(Registry.load())
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col
    from translate.cli._terminal import cell

    # The model id is what a user copies: never cut it. Every value is short, so in 80 columns
    # (CI logs) they fit only as two tables, the models' and the languages'; a revision, the
    # target token and each CTranslate2 conversion take a line of their own within their cell.
    models = compact_table(
        short_col("lang"),
        short_col("leg"),
        short_col("model (@revision, target token)"),
        short_col("cached"),
        short_col("size", justify="right"),
        short_col("ct2"),
    )
    languages = compact_table(
        short_col("lang"), text_col("name"), text_col("locales (default first)")
    )
    for row in rows:
        for n, leg in enumerate(row["legs"]):
            model = [leg["model"]]
            model += [f"@{leg['revision']}"] if leg["revision"] else []
            model += [leg["prefix"]] if leg["prefix"] else []
            models.add_row(
                row["lang"] if n == 0 else "",
                leg["key"],
                cell("\n".join(model)),
                "yes" if leg["cached"] else "no",
                _size(leg["size_bytes"]),
                "\n".join(leg["converted"]) or "-",
            )
        languages.add_row(row["lang"], row["name"], ", ".join(row["locales"]))
    console = Console()
    console.print(models)
    console.print()
    console.print(languages)
    console.print(
        "A bare language is localized as its default locale; any other region CLDR knows "
        "is a target too (--to en-AU).",
        style="dim",
        highlight=False,
    )
    return 0


def _wanted(registry: Registry, items: list[str]) -> dict[str, tuple[str, ModelSpec]]:
    """Leg key → (the LANG or leg asked for, its spec), for ``pull`` and ``convert``."""
    legs = registry.legs()
    todo: dict[str, tuple[str, ModelSpec]] = {}
    for item in split_languages(items):
        if item not in legs and item not in registry.languages():
            raise UnknownLanguageError(
                f"no model registered for {item!r}; use one of the languages "
                f"{', '.join(registry.languages())} or legs {', '.join(sorted(legs))}, or add it "
                "to the registry (translate/data/models.json)."
            )
        specs = [legs[item]] if item in legs else list(registry.chain(item).legs)
        for spec in specs:
            todo.setdefault(spec.key, (item, spec))
    return todo


def convert_models(args: argparse.Namespace) -> int:
    from translate.engine.ct2 import resolve_ct2_device
    from translate.engine.ct2_convert import convert, quantization_for, resolve_compute_type
    from translate.engine.hub import resolve

    todo = _wanted(Registry.load(), args.langs)
    compute = resolve_compute_type(args.compute_type, resolve_ct2_device("auto"))
    found = [
        resolve(spec, pull=item, allow_download=not args.offline, progress=not args.quiet)
        for item, spec in todo.values()
    ]
    for resolved in found:
        path = convert(resolved, quantization_for(compute))
        if not args.quiet:
            sys.stdout.write(f"{resolved.spec.key}: {resolved.spec.model} ({compute}) -> {path}\n")
    return 0


def pull_models(args: argparse.Namespace) -> int:
    from translate.engine.hub import download, is_offline

    todo = _wanted(Registry.load(), args.langs)
    if is_offline():
        raise EngineError(
            "offline mode is on (HF_HUB_OFFLINE=1), so nothing can be downloaded; unset it, or "
            "copy a model directory here and use --model KEY=PATH."
        )
    for key, (item, spec) in todo.items():
        resolved = download(spec, pull=item, progress=not args.quiet, pulling=True)
        if not args.quiet:
            sys.stdout.write(f"{key}: {spec.model} @ {resolved.commit} -> {resolved.path}\n")
    return 0
