"""The Telegram bot: a thin shell over `Assistant` (python-telegram-bot v22).

format.py (answers as Telegram HTML, split under 4096), access.py (allow lists, per-user rate
limit), digest.py (daily due-soon digest subscriptions), retry.py (back-off on 429/5xx/network),
handlers.py (one handler per command and button), app.py (`build_application`, `run`).
"""
