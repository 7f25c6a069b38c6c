"""Structured request logging: one line per request with method, path, status and time."""

import logging
import time

logger = logging.getLogger("kotoverkko.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if response.status_code >= 400 or logger.isEnabledFor(logging.DEBUG):
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
