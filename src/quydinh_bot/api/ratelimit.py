"""Per-key rate limit: a token bucket per key name, `per_minute` requests a minute with bursts
up to the same number. In memory: one service process holds it (0 or less turns it off)."""
from __future__ import annotations

import math
import threading
import time
from typing import Callable

from .errors import ApiError


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, last time)
        self._lock = threading.Lock()

    def hit(self, name: str) -> None:
        """Spend one request of `name`'s allowance, or raise a 429 saying when to come back."""
        if self.per_minute <= 0:
            return
        rate = self.per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(name, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[name] = (tokens, now)
                wait = max(1, math.ceil((1.0 - tokens) / rate))
                raise ApiError(429, "rate_limited",
                               f"Quá nhiều yêu cầu với khóa này (tối đa {self.per_minute} mỗi phút); "
                               f"hãy thử lại sau {wait} giây.", headers={"Retry-After": str(wait)})
            self._buckets[name] = (tokens - 1.0, now)
