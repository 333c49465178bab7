"""Prometheus exposition for both nodes: gauges read from the database at scrape time.

Reading at scrape time (a custom collector) keeps the numbers right under gunicorn's
several worker processes, with no multiprocess registry to manage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Gauge:
    """One gauge family: name, help, label names, and (labels, value) samples."""

    name: str
    help: str
    labels: tuple[str, ...]
    samples: list[tuple[tuple[str, ...], float]]


class _Collector(Collector):
    def __init__(self, read: Callable[[], list[Gauge]]) -> None:
        self.read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for gauge in self.read():
            family = GaugeMetricFamily(gauge.name, gauge.help, labels=list(gauge.labels))
            for labels, value in gauge.samples:
                family.add_metric(list(labels), value)
            yield family


def render(read: Callable[[], list[Gauge]]) -> bytes:
    """The text exposition of the gauges `read` returns."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(read))
    return generate_latest(registry)
