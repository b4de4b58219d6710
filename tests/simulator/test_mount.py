"""``playground.asgi`` serves the Simulator in-process under ``/simulator`` and Django elsewhere."""

from __future__ import annotations

import httpx
import pytest

from playground.asgi import application
from playground.simulator.transport import ConnectionDropped

MESSAGE = {
    "model": "deepseek-v4-flash",
    "max_tokens": 50,
    "thinking": {"type": "disabled"},
    "messages": [{"role": "user", "content": "[[echo]] mounted"}],
}


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


async def test_the_simulator_answers_under_its_prefix(client):
    response = await client.post(
        "/simulator/v1/messages?beta=true", json=MESSAGE, headers={"x-api-key": "sim-test"}
    )

    assert response.status_code == 200
    assert response.json()["content"] == [{"type": "text", "text": "mounted"}]


async def test_the_simulator_streams_under_its_prefix(client):
    response = await client.post(
        "/simulator/v1/messages", json=MESSAGE | {"stream": True}, headers={"x-api-key": "sim-test"}
    )

    assert response.text.endswith('event: message_stop\ndata: {"type":"message_stop"}\n\n')


async def test_unknown_simulator_paths_get_the_simulators_404(client):
    response = await client.post("/simulator/v1/other", json=MESSAGE)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not Found: POST /v1/other"


async def test_other_paths_go_to_django(client):
    response = await client.get("/healthz")

    assert response.json() == {"ok": True}


async def test_a_path_that_only_starts_like_the_prefix_goes_to_django(client):
    simulated = await client.get("/simulator/v1/messages")
    response = await client.get("/simulatorx/v1/messages")

    assert "request-id" in simulated.headers
    assert "request-id" not in response.headers
    assert response.headers["content-type"].startswith("text/html")


async def test_the_drop_fault_in_process_breaks_the_response(client):
    with pytest.raises(ConnectionDropped):
        await client.post(
            "/simulator/v1/messages",
            json=MESSAGE | {"messages": [{"role": "user", "content": "[[fault:drop]] x"}]},
            headers={"x-api-key": "sim-test"},
        )
