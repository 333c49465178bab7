"""What a detection run can be told: thresholds per model, where images live, which models run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MODEL_NAMES = ("trademark", "patent-marking", "design", "invention")


@dataclass(frozen=True)
class DetectionConfig:
    """Per-run settings; every field has a default, so `DetectionConfig()` is the shipped behaviour.

    `thresholds` maps a model name (MODEL_NAMES) to the calibrated probability a finding needs
    to become a lead; a model left out uses the threshold stored in its artifact.
    `registry_images` / `listing_images` are the folders image paths are relative to (the
    registry file's and the listings file's folders); without them, relative paths are taken
    from the working directory and a missing image only costs the design model its image feature.
    """

    thresholds: Mapping[str, float] = field(default_factory=dict)
    models: tuple[str, ...] = MODEL_NAMES
    registry_images: Path | None = None
    listing_images: Path | None = None

    def __post_init__(self) -> None:
        unknown = [m for m in (*self.thresholds, *self.models) if m not in MODEL_NAMES]
        if unknown:
            raise ValueError(f"unknown detection model(s) {', '.join(unknown)}; known: {', '.join(MODEL_NAMES)}")
        bad = [m for m, t in self.thresholds.items() if not 0.0 <= t <= 1.0]
        if bad:
            raise ValueError(f"threshold of {', '.join(bad)} must be between 0 and 1")

    def threshold(self, model: str, default: float) -> float:
        """The threshold for `model`, or `default` (the artifact's) when not configured."""
        return float(self.thresholds.get(model, default))
