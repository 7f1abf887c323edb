"""An OpenAI-compatible chat-completions server on 127.0.0.1, answering with a set text."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.server import LoopbackServer, Reply, Request, json_reply


class ChatCompletionsServer(LoopbackServer):
    """`POST /v1/chat/completions` answers `reply` in OpenAI's response shape; `chats` are the
    request bodies received. `api_base` is what a client is configured with."""

    def __init__(self, reply: str = "") -> None:
        super().__init__()
        self.reply = reply

    @property
    def api_base(self) -> str:
        return f"{self.url}/v1"

    @property
    def chats(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.requests if r.path == "/v1/chat/completions"]

    def route(self, request: Request) -> Reply:
        if (request.method, request.path) != ("POST", "/v1/chat/completions"):
            return json_reply({"error": {"message": "not found"}}, 404)
        model = json.loads(request.body)["model"]
        return json_reply(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.reply},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 120, "completion_tokens": 60, "total_tokens": 180},
            }
        )
