"""Structured application logs: one JSON object per line, never personal data.

Application code logs an event name and ids/numbers as ``extra`` (e.g.
``logger.info("request", extra={"view": ..., "status": 200})``); this formatter writes them
as JSON. Free text from users, names and search terms are never logged.
"""

from __future__ import annotations

import json
import logging
import time
import traceback

STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            # The type and where it happened; not the message, which can quote data
            # (a database error repeats the values it refused).
            entry["exception"] = record.exc_info[0].__name__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """One log line per request: route name, method, status, duration. No path, no user."""

    logger = logging.getLogger("richtsnoer.request")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if self.logger.isEnabledFor(logging.INFO):
            from ops.metrics import view_label

            self.logger.info(
                "request",
                extra={
                    "view": view_label(request),
                    "method": request.method,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
