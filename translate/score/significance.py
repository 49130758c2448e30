"""Significance: paired bootstrap resampling of two systems (sacrebleu's ``--paired-bs``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from translate.errors import ScoreError
from translate.score.metrics import make_metrics

if TYPE_CHECKING:
    from sacrebleu.significance import Result

__all__ = ["Comparison", "MetricComparison", "compare"]


@dataclass(frozen=True)
class MetricComparison:
    """Paired bootstrap result for one metric: B against baseline A."""

    metric: str
    a: float
    b: float
    a_mean: float
    a_ci: float
    b_mean: float
    b_ci: float
    p_value: float
    higher_is_better: bool
    alpha: float = 0.05

    @property
    def delta(self) -> float:
        return self.b - self.a

    @property
    def verdict(self) -> str:
        """``B better``, ``A better`` or ``no significant difference`` at level ``alpha``."""
        if self.p_value >= self.alpha or self.delta == 0:
            return "no significant difference"
        b_wins = (self.delta > 0) == self.higher_is_better
        return "B better" if b_wins else "A better"

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "a": self.a,
            "b": self.b,
            "delta": self.delta,
            "a_mean": self.a_mean,
            "a_ci": self.a_ci,
            "b_mean": self.b_mean,
            "b_ci": self.b_ci,
            "p_value": self.p_value,
            "verdict": self.verdict,
            "b_significantly_better": self.verdict == "B better",
        }


@dataclass(frozen=True)
class Comparison:
    """Paired bootstrap resampling of two systems on the same references."""

    lang: str | None
    n_samples: int
    metrics: tuple[MetricComparison, ...]
    signatures: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "test": "paired bootstrap resampling",
            "n_samples": self.n_samples,
            "metrics": [m.to_dict() for m in self.metrics],
            "signature": dict(self.signatures),
        }


def compare(
    a: Sequence[str],
    b: Sequence[str],
    references: Sequence[str],
    lang: str | None,
    *,
    n_samples: int = 1000,
    alpha: float = 0.05,
) -> Comparison:
    """Is system B significantly different from (better than) baseline A, per metric?

    Runs sacrebleu's paired bootstrap resampling (the test behind ``sacrebleu --paired-bs``, same
    seed: ``SACREBLEU_SEED``, default 12345), with 95% confidence intervals of each system's mean.

    Raises:
        ScoreError: the three lists differ in length.
    """
    from sacrebleu.significance import PairedTest

    if not (len(a) == len(b) == len(references)):
        raise ScoreError(
            f"A has {len(a)} segments, B {len(b)} and the references {len(references)}; "
            "compare outputs of the same segmented document."
        )
    if not references:
        raise ScoreError("nothing to compare: no segment has a reference.")
    metrics = make_metrics(lang)
    test = PairedTest(
        [("A", list(a)), ("B", list(b))],
        metrics,
        references=[list(references)],
        test_type="bs",
        n_samples=n_samples,
    )
    signatures, results = test()
    out = []
    names = [n for n in results if n != "System"]
    for key, name in zip(metrics, names, strict=True):
        ra, rb = (cast("Result", r) for r in results[name])
        out.append(
            MetricComparison(
                key,
                float(ra.score),
                float(rb.score),
                float(ra.mean or 0.0),
                float(ra.ci or 0.0),
                float(rb.mean or 0.0),
                float(rb.ci or 0.0),
                float(rb.p_value or 0.0),
                higher_is_better=key != "ter",
                alpha=alpha,
            )
        )
    return Comparison(
        lang,
        n_samples,
        tuple(out),
        {
            key: str(signatures[name].format())
            for key, name in zip(metrics, signatures, strict=True)
        },
    )
