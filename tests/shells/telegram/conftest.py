"""Fixtures for the bot's end-to-end tests: the real Assistant on the real corpus plus one small
document whose clause holds `<`, `&`, quotes and `_`; a fake Bot API on loopback; and the real
Application polling it from a background thread."""
from __future__ import annotations

import asyncio
import dataclasses
import shutil
import threading
from pathlib import Path

import pytest
from bot_ids import GROUP, TODAY, USER
from fake_bot_api import TOKEN, FakeBotAPI

from quydinh_bot import Assistant
from quydinh_bot.config import PROJECT_DIR, Settings
from quydinh_bot.index.build import build_index
from quydinh_bot.search.searcher import Searcher
from quydinh_bot.shells.telegram.app import ALLOWED_UPDATES, build_application

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def bot_assistant(converted_model_dir, tmp_path_factory):
    """The real corpus plus tests/telegram/fixtures, indexed once per session in a temp dir."""
    corpus = tmp_path_factory.mktemp("bot-corpus")
    shutil.copytree(PROJECT_DIR / "corpus", corpus, dirs_exist_ok=True)
    for f in FIXTURES.glob("*.txt"):
        shutil.copy(f, corpus / f.name)
    with (corpus / "metadata.toml").open("a", encoding="utf-8") as out:
        out.write((FIXTURES / "metadata.toml").read_text(encoding="utf-8"))
    # The environment points at the temp corpus only while everything is loaded (the model loads
    # on the first question), so tests that read the real corpus afterwards are not affected.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QUYDINH_CORPUS_DIR", str(corpus))
        mp.setenv("QUYDINH_DATA_DIR", str(converted_model_dir.parent.parent))
        mp.setenv("QUYDINH_INDEX_DIR", str(tmp_path_factory.mktemp("bot-index")))
        settings = Settings()
        build_index(settings)
        assistant = Assistant(Searcher(settings))
        assistant.ask("ai chủ trì số hóa tài liệu")
    return assistant


class BotRunner:
    """The Application started as `run_polling` would (initialize, post_init, polling, start),
    on its own event loop in a thread, so tests stay plain synchronous code."""

    def __init__(self, app):
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def _call(self, coro, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self):
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await self.app.start()

    async def _stop(self):
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()

    def start(self) -> "BotRunner":
        self.thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        try:
            self._call(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


@pytest.fixture
def fake_api():
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture
def bot_settings(bot_assistant, fake_api, tmp_path):
    """Settings for a bot talking to the fake API, with its state in a fresh data dir."""
    return dataclasses.replace(
        bot_assistant.settings, data_dir=tmp_path, telegram_token=TOKEN, telegram_api_url=fake_api.url,
        telegram_allowed_users=frozenset({USER}), telegram_allowed_chats=frozenset({GROUP}),
        telegram_rate_limit_per_minute=1000, today_override=TODAY, telegram_digest_time="00:00",
        telegram_digest_check_seconds=3600, audit_log="")


@pytest.fixture
def start_bot(bot_assistant):
    """start_bot(settings) -> a running BotRunner; every bot started is stopped after the test."""
    runners = []

    def start(settings):
        runner = BotRunner(build_application(bot_assistant, settings)).start()
        runners.append(runner)
        return runner

    yield start
    for r in runners:
        if r.thread.is_alive():
            r.stop()


@pytest.fixture
def bot(bot_settings, start_bot, fake_api):
    """A running bot; its startup calls (getMe, setMyCommands, …) already made."""
    runner = start_bot(bot_settings)
    fake_api.wait(lambda cs: any(c.method == "setMyCommands" for c in cs))
    return runner
