"""The response models of /openapi.json describe what the routes really send: every JSON route is
called, its real body validated against the model its operation declares (no field beyond those
named: the models forbid extras), and every error answer against the one error shape."""
from __future__ import annotations

import dataclasses
import json
import shutil
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from quydinh_bot.config import PROJECT_DIR
from quydinh_bot.shells.api import create_app, models
from quydinh_bot.shells.api.auth import KeyStore

ASK = "Ai chủ trì số hóa tài liệu của các cơ quan, hạn khi nào?"
# (method, path as in the spec, url, request arguments, expected status): the read-only JSON routes
CASES = [
    ("get", "/healthz", "/healthz", {}, 200),
    ("get", "/readyz", "/readyz", {}, 200),
    ("post", "/ask", "/ask", {"json": {"q": ASK, "k": 3}}, 200),
    ("post", "/ask", "/ask", {"json": {"q": "Giá vàng hôm nay bao nhiêu?"}}, 200),  # declined
    ("post", "/ask", "/ask", {"json": {"q": "?"}}, 200),  # no words
    ("post", "/ask", "/ask", {"json": {"q": "Ban Tổ chức Tỉnh ủy chủ trì những việc gì trong Kế hoạch 376?"}}, 200),
    ("post", "/ask", "/ask", {"json": {"q": "việc nào sắp đến hạn?", "k": 50}}, 200),
    ("get", "/tasks", "/tasks", {"params": {"limit": 1000}}, 200),
    ("get", "/tasks", "/tasks", {"params": {"lead": "ban to chuc", "status": "overdue", "sort": "document"}}, 200),
    ("get", "/clauses/{clause_id}", "/clauses/kh-376-2025/VI.2.1", {}, 200),
    ("get", "/clauses/{clause_id}", "/clauses/kh-376-2025/VI", {}, 200),  # top level: no parent
    ("get", "/documents", "/documents", {}, 200),
    ("post", "/quiz", "/quiz", {"json": {"doc": "kh-376-2025", "n": 8, "seed": 7}}, 200),
    ("post", "/quiz", "/quiz", {"json": {"n": 30, "seed": 3}}, 200),
    # errors: each in a status the operation declares
    ("post", "/ask", "/ask", {"json": {"q": " "}}, 400),
    ("post", "/ask", "/ask", {"json": {"q": "ai chủ trì", "k": 0}}, 422),
    ("get", "/tasks", "/tasks", {"params": {"due_before": "31/13/2025"}}, 400),
    ("get", "/tasks", "/tasks", {"params": {"status": "late"}}, 422),
    ("get", "/tasks/export", "/tasks/export", {"params": {"due_before": "x"}}, 400),
    ("get", "/clauses/{clause_id}", "/clauses/khong-co/1", {}, 404),
    ("post", "/quiz", "/quiz", {"json": {"doc": "kh-376-2025", "section": "VI.1", "n": 200}}, 400),
]
WRITE_ROUTES = {("post", "/documents"), ("delete", "/documents/{doc_id}"),  # test_adding_and_removing_documents
                ("post", "/tasks/{clause_id}/status"),  # test_api_tasks.py: marks, validated there
                ("get", "/tasks/{clause_id}/history")}


@pytest.fixture(scope="module")
def spec(client) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def _model(schema: dict[str, Any]) -> tuple[type[models.Shape], bool]:
    """The model a response schema names, and whether the body is a list of it."""
    many = schema.get("type") == "array"
    ref = (schema["items"] if many else schema).get("$ref", "")
    assert ref.startswith("#/components/schemas/"), schema
    model = getattr(models, ref.rsplit("/", 1)[-1], None)
    assert isinstance(model, type) and issubclass(model, models.Shape), ref
    return model, many


def declared(spec: dict[str, Any], method: str, path: str, status: int) -> tuple[type[models.Shape], bool]:
    responses = spec["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not declare {status}"
    return _model(responses[str(status)]["content"]["application/json"]["schema"])


def check(r, spec: dict[str, Any], method: str, path: str, status: int) -> list[BaseModel]:
    """The response, validated against the model its operation declares for its status."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"] == "application/json"
    model, many = declared(spec, method, path, status)
    body = r.json()
    if many:
        assert isinstance(body, list) and body, body
        return [model.model_validate(item) for item in body]
    return [model.model_validate(body)]


@pytest.mark.parametrize("method,path,url,kwargs,status", CASES,
                         ids=[f"{m} {u} {s}" for m, _, u, _, s in CASES])
def test_real_answers_match_the_declared_models(client, headers, spec, method, path, url, kwargs, status):
    parsed = check(getattr(client, method)(url, headers=headers, **kwargs), spec, method, path, status)
    if status >= 400:
        assert isinstance(parsed[0], models.ErrorResponse)
    if isinstance(parsed[0], models.Answer):  # a register answer says what it understood; others do not
        answer = parsed[0]
        assert (answer.intent == "register") == ({"total", "filters"} <= answer.model_fields_set)
        assert answer.intent == "register" or not {"total", "filters"} & answer.model_fields_set


def test_the_cases_cover_every_json_route(spec):
    """A JSON route added without a case here fails this test."""
    json_routes = {(m, p) for p, ops in spec["paths"].items() for m, op in ops.items()
                   if any("application/json" in (resp.get("content") or {})
                          for s, resp in op["responses"].items() if s.startswith("2"))}
    covered = {(m, p) for m, p, _, _, s in CASES if s < 300} | WRITE_ROUTES
    assert json_routes == covered


def test_key_errors_and_unknown_routes_are_the_error_shape(client, headers, spec):
    check(client.post("/ask", json={"q": ASK}), spec, "post", "/ask", 401)
    check(client.get("/documents", headers={"X-API-Key": "qdb_sai"}), spec, "get", "/documents", 401)
    for r, status in ((client.get("/khong-co", headers=headers), 404), (client.get("/ask", headers=headers), 405)):
        assert r.status_code == status
        models.ErrorResponse.model_validate(r.json())
    err = models.ErrorResponse.model_validate(client.post("/ask", json={"q": 1}, headers=headers).json()).error
    assert err.code == "invalid_input" and err.field == "q"


def test_an_undocumented_field_fails(client, headers):
    """The check can fail: a body with one field more than the model, or one less, is refused."""
    body = client.post("/ask", json={"q": ASK, "k": 2}, headers=headers).json()
    models.Answer.model_validate(body)
    with pytest.raises(ValidationError, match="extra_forbidden|Extra inputs"):
        models.Answer.model_validate({**body, "confidence": 0.9})
    with pytest.raises(ValidationError):
        models.Answer.model_validate({**body, "hits": [{**body["hits"][0], "source": "x"}]})
    with pytest.raises(ValidationError):
        models.Answer.model_validate({k: v for k, v in body.items() if k != "intent"})


def test_every_model_forbids_extras_and_is_published(spec):
    shapes = {name: m for name, m in vars(models).items()
              if isinstance(m, type) and issubclass(m, models.Shape) and m is not models.Shape}
    published = spec["components"]["schemas"]
    assert set(shapes) <= set(published)
    for name, model in shapes.items():
        assert model.model_config.get("extra") == "forbid", name
        schema = published[name]
        assert schema.get("additionalProperties") is False, name
        assert set(schema["properties"]) == set(model.model_fields), name
    assert "HTTPValidationError" not in published  # every 422 is described in the one error shape


def test_every_error_status_is_described_in_the_error_shape(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, resp in op["responses"].items():
                if int(status) >= 400:
                    assert declared(spec, method, path, int(status))[0] is models.ErrorResponse, (method, path, status)


def test_contract_fields_are_always_sent():
    """API_CONTRACT.md's fields are required fields of the models (present in every answer)."""
    required = {name: {f for f, info in m.model_fields.items() if info.is_required()}
                for name, m in vars(models).items() if isinstance(m, type) and issubclass(m, BaseModel)}
    assert {"question", "answered", "intent", "answer", "hits"} <= required["Answer"]
    assert {"clause_id", "doc_id", "doc_title", "number", "heading_path", "text", "lead", "lead_source", "partners",
            "deadline", "citation"} <= required["Hit"] and "score" in required["ScoredHit"]
    assert {"text", "due", "kind"} <= required["Deadline"]
    assert {"lead", "doc_id", "due_after", "due_before", "status"} <= required["RegisterFilters"]
    assert {"question", "options", "correct", "explanation", "type", "difficulty", "clause_id",
            "citation"} <= required["QuizQuestion"]
    assert {"code", "message"} <= required["ErrorDetail"] and "field" not in required["ErrorDetail"]


BASE_DOC = "ctr-01-btctu-2026_chuong-trinh-cong-tac-to-chuc-xay-dung-dang-2026.txt"
NEW_DOC = "kh-376-tu-2025_phu-luc-cong-viec-ke-hoach-376.txt"


@pytest.fixture(scope="module")
def writable(assistant, tmp_path_factory):
    """A service over a corpus of its own (one programme, a model-free index), so that adding and
    removing a document changes nothing the other tests read."""
    from helpers import BagOfWordsEmbedder
    from quydinh_bot import Assistant
    from quydinh_bot.index.build import build_index
    from quydinh_bot.search.searcher import Searcher

    root = tmp_path_factory.mktemp("models-corpus")
    (root / "corpus").mkdir()
    shutil.copy(PROJECT_DIR / "corpus" / BASE_DOC, root / "corpus" / BASE_DOC)
    (root / "corpus" / "metadata.toml").write_text(
        f'["{BASE_DOC}"]\nid = "ctr-01-2026"\nkind = "chương trình"\nissuer = "Ban Tổ chức Tỉnh ủy"\n'
        'province = "Thái Nguyên"\ntitle = "Chương trình công tác tổ chức xây dựng đảng năm 2026"\n', encoding="utf-8")
    settings = dataclasses.replace(assistant.settings, corpus_dir=root / "corpus", index_dir=root / "index",
                                   data_dir=root / "data", keys_path=str(root / "keys.sqlite3"),
                                   rate_limit_per_minute=0, audit_log="")
    build_index(settings, embedder=BagOfWordsEmbedder())
    store = KeyStore(settings.keys_file)
    keys = {"user": {"X-API-Key": store.add("staff")}, "admin": {"X-API-Key": store.add("boss", "admin")}}
    app = create_app(Assistant(Searcher(settings, embedder=BagOfWordsEmbedder())), settings)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, keys


def test_adding_and_removing_documents(writable, spec):
    c, keys = writable
    path = PROJECT_DIR / "corpus" / NEW_DOC
    upload = {"files": (NEW_DOC, path.read_bytes(), "text/plain")}
    meta = {"id": "kh-376-2025", "meta": ["kind=phụ lục", "title=Phụ lục công việc", "issuer=Ban Thường vụ Tỉnh ủy",
                                          "province=Lai Châu"]}
    check(c.post("/documents", files=upload, data=meta, headers=keys["user"]), spec, "post", "/documents", 403)
    (added,) = check(c.post("/documents", files=upload, data=meta, headers=keys["admin"]), spec, "post", "/documents",
                     201)
    assert isinstance(added, models.CorpusChange)
    assert [a.doc_id for a in added.added] == added.embedded == ["kh-376-2025"] and added.added[0].tasks > 100
    check(c.post("/documents", files=upload, data=meta, headers=keys["admin"]), spec, "post", "/documents", 400)
    rows = check(c.get("/documents", headers=keys["user"]), spec, "get", "/documents", 200)
    assert {d.doc_id for d in rows if isinstance(d, models.DocumentSummary)} == {"ctr-01-2026", "kh-376-2025"}
    (removed,) = check(c.delete("/documents/kh-376-2025", headers=keys["admin"]), spec, "delete",
                       "/documents/{doc_id}", 200)
    assert isinstance(removed, models.CorpusChange) and removed.removed == ["kh-376-2025"] and not removed.added
    check(c.delete("/documents/kh-376-2025", headers=keys["admin"]), spec, "delete", "/documents/{doc_id}", 404)
    check(c.delete("/documents/ctr-01-2026", headers=keys["user"]), spec, "delete", "/documents/{doc_id}", 403)


def test_docs_page_renders_the_described_service(client, spec):
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    assert 'url: "/docs/openapi.json"' in client.get("/docs/init.js").text
    answer = spec["paths"]["/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Answer"}
    assert json.dumps(spec["components"]["schemas"]["Answer"]["properties"]["hits"]).count("ScoredHit") == 1


def test_docs_page_reads_the_description_written_down_to_openapi_30(client, spec):
    """The bundled Swagger UI (4.x) renders OpenAPI 3.0 only ("Unable to render this definition" for
    3.1): /docs reads the same description in 3.0.3 terms; /openapi.json stays 3.1."""
    assert spec["openapi"].startswith("3.1")
    down = client.get("/docs/openapi.json")
    assert down.status_code == 200 and "default-src 'none'" in down.headers["content-security-policy"]
    doc = down.json()
    assert doc["openapi"] == "3.0.3" and set(doc["paths"]) == set(spec["paths"])
    assert set(doc["components"]["schemas"]) == set(spec["components"]["schemas"])
    text = json.dumps(doc)
    assert '"type": "null"' not in text and '"const"' not in text and "contentMediaType" not in text

    def schemas(node):
        if isinstance(node, dict):
            yield node
            for v in node.values():
                yield from schemas(v)
        elif isinstance(node, list):
            for v in node:
                yield from schemas(v)

    for s in schemas(doc["components"]["schemas"]):
        assert not isinstance(s.get("type"), list)
        assert not ("$ref" in s and len(s) > 1), s  # 3.0 ignores what stands beside a $ref
        assert not isinstance(s.get("examples"), list)
    hit = doc["components"]["schemas"]["Hit"]["properties"]
    assert hit["lead"]["nullable"] is True and hit["lead"]["type"] == "string"
    assert hit["deadline"] == {"allOf": [{"$ref": "#/components/schemas/Deadline"}], "nullable": True}
    upload = doc["components"]["schemas"]["Body_add_documents_documents_post"]["properties"]["files"]
    assert upload["items"] == {"type": "string", "format": "binary"}

