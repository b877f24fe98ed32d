"""Prometheus metrics (prometheus_client): requests, errors, latency, the task queue.

Labels are a view's route name, the method and the status class: never a path, a user or
anything else that could carry personal data. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder per start: every worker then writes its
counts there and /metrics/ adds them up (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "richtsnoer_http_requests_total",
    "HTTP requests answered, by view, method and status class.",
    ["view", "method", "status"],
)
ERRORS = Counter(
    "richtsnoer_http_exceptions_total",
    "Requests that ended in an unhandled exception, by view.",
    ["view"],
)
LATENCY = Histogram(
    "richtsnoer_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "<unresolved>"


class MetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response

    def process_exception(self, request, exception):
        ERRORS.labels(view_label(request)).inc()


class TaskQueueCollector:
    """The background task queue's rows by status, read at scrape time (if there is one)."""

    def collect(self):
        from ops.health import task_queue_counts

        counts = task_queue_counts()
        if counts is None:
            return
        family = GaugeMetricFamily(
            "richtsnoer_tasks", "Background tasks in the queue, by status.", labels=["status"]
        )
        for status, count in sorted(counts.items()):
            family.add_metric([status], count)
        yield family


def render_metrics() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output = generate_latest(registry)
    output += generate_latest(_task_registry())
    return output, CONTENT_TYPE_LATEST


def _task_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TaskQueueCollector())
    return registry
