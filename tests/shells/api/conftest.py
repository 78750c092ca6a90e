
import pytest
from api_helpers import service_settings
from fastapi.testclient import TestClient

from quydinh_bot.shells.api import create_app
from quydinh_bot.shells.api.auth import KeyStore


@pytest.fixture(scope="module")
def api(assistant, tmp_path_factory):
    """A ready app over the shared assistant, its key store in a temp dir, and two keys."""
    settings = service_settings(assistant, tmp_path_factory.mktemp("keys"))
    store = KeyStore(settings.keys_file)
    keys = {"user": store.add("tester"), "admin": store.add("boss", "admin")}
    with TestClient(create_app(assistant, settings), raise_server_exceptions=False) as client:
        yield client, keys, store


@pytest.fixture(scope="module")
def client(api):
    return api[0]


@pytest.fixture(scope="module")
def headers(api):
    return {"X-API-Key": api[1]["user"]}
