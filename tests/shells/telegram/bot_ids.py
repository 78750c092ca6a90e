"""The Telegram ids and the pinned day the bot tests share (imported by name: not from conftest,
which another folder's conftest can shadow)."""
USER = 111111  # allowed
STRANGER = 999999  # not allowed
GROUP = -100222  # allowed group
OTHER_GROUP = -100333  # not allowed
TODAY = "2025-08-25"  # a day with tasks falling due within 7 days
