"""The one rate limit of the API (per key) and the bot (per user): a token bucket of `per_minute`."""
from quydinh_bot.shells.ratelimit import RateLimiter


def test_a_burst_of_per_minute_then_one_a_second_comes_back():
    now = [0.0]
    rl = RateLimiter(60, clock=lambda: now[0])
    assert all(rl.wait("k") == 0 for _ in range(60))
    assert rl.wait("k") == 1.0  # the 61st waits for one token: a second at 60 a minute
    now[0] += 1.0
    assert rl.wait("k") == 0
    assert rl.wait("k") > 0


def test_callers_are_counted_apart_and_a_refusal_spends_nothing():
    now = [0.0]
    rl = RateLimiter(per_minute=2, clock=lambda: now[0])
    assert rl.wait(1) == 0 and rl.wait(1) == 0
    assert 29 <= rl.wait(1) <= 30  # 2 a minute: a token every 30 s
    assert 29 <= rl.wait(1) <= 30  # asking again while refused does not push the time back
    assert rl.wait(2) == 0  # another caller has its own allowance
    now[0] = 30.0
    assert rl.wait(1) == 0
    assert rl.wait(1) > 0


def test_zero_turns_it_off():
    rl = RateLimiter(0)
    assert all(rl.wait("k") == 0 for _ in range(1000))
