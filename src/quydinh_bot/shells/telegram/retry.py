"""Retries for every Bot API call the bot makes (getUpdates has its own loop in the Updater):
Telegram's 429 after the `retry_after` it names, 5xx and network errors with exponential back-off.
Other errors (400, 403) are not retried: sending the same request again would fail the same way."""
from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta
from typing import Any, Callable, Coroutine

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # v22 warns about the int/timedelta switch of retry_after
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RetryingLimiter(BaseRateLimiter[None]):
    def __init__(self, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0):
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: None) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.attempts:
                    raise
                delay = retry_seconds(exc) + 0.1
                log.warning("Telegram 429 trên %s: thử lại sau %.1f s", endpoint, delay)
            except BadRequest:  # a NetworkError subclass in PTB, but the same request fails again
                raise
            except NetworkError as exc:  # 5xx, timeouts, connection errors
                if attempt == self.attempts:
                    raise
                delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
                log.warning("Lỗi mạng trên %s (%s): thử lại sau %.1f s", endpoint, exc, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")
