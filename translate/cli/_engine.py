"""Engine options shared by ``translate run`` and ``translate eval``: one argparse definition.

Models, decoding, device, cache and offline options are declared here once (defaults from
:class:`~translate.engine.base.DecodeOptions`) and turned into engines by :func:`build_from_args`.
Nothing here imports torch until engines are built.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from translate.engine.base import DecodeOptions
from translate.engine.ct2_convert import COMPUTE_TYPES, ENGINES
from translate.engine.registry import ModelSpec, parse_model_option

if TYPE_CHECKING:
    from rich.console import Console

    from translate.engine.base import Engine
    from translate.engine.cache import TranslationCache
    from translate.glossary import Glossary

DEFAULTS = DecodeOptions()


def _model_option(text: str) -> tuple[str, str]:
    try:
        return parse_model_option(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def non_negative_float(text: str) -> float:
    """argparse type: a finite number ≥ 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value


def language_list(text: str) -> str:
    """argparse type: comma-separated language codes, none of them empty (``en,,de`` is a typo)."""
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise argparse.ArgumentTypeError("expected at least one language code, e.g. en,de")
    if not all(items):
        raise argparse.ArgumentTypeError(
            f"empty language code in {text!r}; separate codes with single commas, e.g. en,de"
        )
    return text


def probability(text: str) -> float:
    """argparse type: a number strictly between 0 and 1 (a significance level)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {value}")
    return value


def language(text: str) -> str:
    """argparse type: a language code listed in ``translate/data/glossary/languages.txt``."""
    from translate.langtags import is_known, normalize_tag

    if not is_known(text):
        raise argparse.ArgumentTypeError(
            f"unknown language {text!r}; use an ISO 639 code such as en, de, es or zh"
        )
    return normalize_tag(text)


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """``--model``, the decoding options, ``--no-cache``/``--cache-dir`` and ``--offline``."""
    m = p.add_argument_group("models")
    m.add_argument(
        "--model",
        action="append",
        type=_model_option,
        default=[],
        metavar="KEY=PATH_OR_ID[@REV]",
        help="use this model directory or hub id (pinned with @revision) for KEY: a target "
        "language (whole chain) or a leg such as fr-en or en-zh; repeatable",
    )
    m.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the translation cache",
    )
    m.add_argument(
        "--cache-dir",
        help="translation cache directory (default: $TRANSLATE_CACHE_DIR or the user cache dir)",
    )
    m.add_argument(
        "--offline",
        action="store_true",
        help="never download models (as with HF_HUB_OFFLINE=1)",
    )
    g = p.add_argument_group("decoding")
    g.add_argument(
        "--beams",
        type=positive_int,
        default=DEFAULTS.num_beams,
        help="beam size (default: the model's generation config)",
    )
    g.add_argument(
        "--max-length-a",
        type=non_negative_float,
        default=DEFAULTS.max_length_a,
        help="output cap: A x source tokens + B (default A=%(default)s)",
    )
    g.add_argument(
        "--max-length-b",
        type=positive_int,
        default=DEFAULTS.max_length_b,
        help="output cap: A x source tokens + B (default B=%(default)s)",
    )
    g.add_argument(
        "--batch-tokens",
        type=positive_int,
        default=DEFAULTS.batch_tokens,
        help="padded source tokens per batch (default %(default)s); output does not depend on it",
    )
    g.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default=DEFAULTS.device,
        help="where the models run (default: %(default)s, i.e. CUDA when available, else CPU)",
    )
    g.add_argument(
        "--threads",
        type=positive_int,
        default=DEFAULTS.threads,
        help="CPU threads: torch threads (hf), or the threads of each CTranslate2 decoder "
        "(ct2 intra_threads; default 1 per --workers decoder)",
    )
    g.add_argument(
        "--workers",
        type=positive_int,
        default=DEFAULTS.workers,
        help="CTranslate2 decoders running batches in parallel (ct2 inter_threads; default: 1 "
        "with --threads, else the free cores, at most 4); ignored by hf",
    )
    g.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULTS.engine,
        help="backend: ct2 (CTranslate2, converted once and cached), hf (transformers), or "
        "auto: ct2 whenever the model converts, else hf with a warning (default: %(default)s)",
    )
    g.add_argument(
        "--compute-type",
        choices=COMPUTE_TYPES,
        default=DEFAULTS.compute_type,
        help="CTranslate2 weights and arithmetic (default: %(default)s, i.e. int8 on CPU, "
        "float16 on GPU)",
    )
    g.add_argument(
        "--no-half",
        dest="half",
        action="store_false",
        default=DEFAULTS.half,
        help="keep float32 on GPU (default: float16 on GPU)",
    )


def decode_options(args: argparse.Namespace) -> DecodeOptions:
    """The :class:`DecodeOptions` the parsed arguments ask for."""
    return DecodeOptions(
        num_beams=args.beams,
        max_length_a=args.max_length_a,
        max_length_b=args.max_length_b,
        batch_tokens=args.batch_tokens,
        device=args.device,
        threads=args.threads,
        workers=args.workers,
        half=args.half,
        engine=args.engine,
        compute_type=args.compute_type,
    )


def add_glossary_argument(p: argparse.ArgumentParser, help: str, metavar: str = "FILE") -> None:
    """The repeatable ``-g/--glossary`` option, read by :func:`load_glossary_files`."""
    p.add_argument("-g", "--glossary", action="append", default=[], metavar=metavar, help=help)


def load_glossary_files(paths: Sequence[str]) -> Glossary | None:
    """The merged glossary of ``-g/--glossary`` files, or None when none is given."""
    if not paths:
        return None
    from translate.glossary import load_glossary

    return load_glossary(list(paths))


def _loading(console: Console, spec: ModelSpec) -> None:
    # Only on a terminal, as the progress bars: piped or logged stderr holds warnings and errors.
    if console.is_terminal:
        console.print(f"[dim]loading {spec.key}: {spec.model}[/dim]", highlight=False)


def _warn(message: str) -> None:
    import sys

    print(f"translate: warning: {message}", file=sys.stderr)


def build_from_args(
    args: argparse.Namespace,
    targets: Sequence[str],
    *,
    console: Console | None = None,
) -> tuple[dict[str, Engine], DecodeOptions, TranslationCache | None]:
    """Engines for ``targets`` as the engine options ask; the caller closes the cache.

    With a ``console``, downloads show progress bars and each model a "loading" line on it;
    without one, building is silent.

    Raises:
        UnknownLanguageError, ModelNotAvailableError, EngineError.
    """
    from translate.engine.cache import TranslationCache
    from translate.engine.chain import build_engines

    options = decode_options(args)
    cache = TranslationCache(args.cache_dir) if args.cache else None
    try:
        engines = build_engines(
            list(targets),
            models=dict(args.model),
            options=options,
            cache=cache,
            allow_download=not args.offline,
            progress=console is not None,
            on_load=None if console is None else lambda spec: _loading(console, spec),
            on_warning=_warn,
        )
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    return engines, options, cache
