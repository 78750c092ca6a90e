"""The one rate limit every shell applies: a token bucket per caller (an API key's name, a Telegram
user), `per_minute` requests a minute with bursts up to the same number. In memory, thread-safe:
one process holds it. 0 or less turns it off.

A shell keeps one bucket per kind of request it wants counted apart: the bot spends its question
bucket on questions and commands, and a second one (four times as large) on button taps that only
answer a quiz item or turn a page, so a quiz never uses up the questions of the minute."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # caller -> (tokens, last time)
        self._lock = threading.Lock()

    def wait(self, caller: Hashable) -> float:
        """0.0 when `caller` may go ahead (one request of its allowance is spent), else the seconds
        until it may try again (nothing is spent)."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(caller, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[caller] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[caller] = (tokens - 1.0, now)
            return 0.0
