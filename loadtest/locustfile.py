"""Locust load test for m365-mcp-gateway over MCP Streamable HTTP (JSON-RPC POSTs to /mcp).

Each simulated user signs in once, initializes an MCP session, then runs the key tool flows with
weights taken from expected assistant traffic: mostly reading mail, then search, then sending mail
and uploading files. See README.md for the full-run and smoke commands.

Environment:
  MCP_TOKEN                      bearer token for the sandbox user (until sign_in() does OAuth)
  MCP_PATH                       MCP endpoint path (default /mcp)
  MCP_THINK_TIME                 "min,max" seconds between tasks (default "1,5")
  MCP_EXPECTED_ERROR_CATEGORIES  comma-separated tool error categories counted as success
                                 (e.g. "rate_limited,throttled" when backpressure is expected)
  MCP_MAIL_TO                    recipient of send-mail flows (default: a sandbox address)
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import uuid
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

PROTOCOL_VERSION = "2025-06-18"
MCP_PATH = os.environ.get("MCP_PATH", "/mcp")
THINK_MIN, THINK_MAX = (float(x) for x in os.environ.get("MCP_THINK_TIME", "1,5").split(","))
EXPECTED_ERROR_CATEGORIES = {
    c.strip() for c in os.environ.get("MCP_EXPECTED_ERROR_CATEGORIES", "").split(",") if c.strip()
}
MAIL_TO = os.environ.get("MCP_MAIL_TO", "loadtest@sandbox.example.com")
ERROR_META_KEY = "io.m365-gateway/error"  # src/adapters/http/error-mapper.ts

# Tool names of the key flows (src/adapters/http/tools/*); arguments follow their input schemas.
TOOLS = {
    "list_messages": "mail_list_messages",
    "search": "search_query",
    "send_mail": "mail_send",
    "upload": "files_upload",
}
SEARCH_TERMS = ["budget", "quarterly report", "invoice", "roadmap", "meeting notes", "contract", "offsite"]
UPLOAD_SIZES = [4 * 1024, 32 * 1024, 256 * 1024, 1024 * 1024]  # mostly small, some larger
UPLOAD_WEIGHTS = [50, 30, 15, 5]


class SignInError(Exception):
    """The user could not obtain credentials; the user stops instead of hammering the server."""


def sign_in(user: HttpUser) -> dict[str, str]:
    """Returns the HTTP headers that authenticate `user`.

    Today: the sandbox dev bearer token from MCP_TOKEN. The OAuth sign-in through the sandbox
    identity provider (headless approve) comes when MCP_TOKEN is absent, using `user.client` for
    its requests; see README.md for why it waits for the storage wiring.
    """
    token = os.environ.get("MCP_TOKEN", "")
    if not token:
        raise SignInError("MCP_TOKEN is not set")
    return {"Authorization": f"Bearer {token}"}


def parse_jsonrpc_response(content_type: str, body: str, request_id: int) -> dict[str, Any]:
    """The JSON-RPC response for `request_id`, from a JSON body or an SSE stream of messages."""
    if content_type.startswith("application/json"):
        message = json.loads(body)
        messages = message if isinstance(message, list) else [message]
    elif content_type.startswith("text/event-stream"):
        messages = []
        for event in body.replace("\r\n", "\n").split("\n\n"):
            data = "\n".join(line[5:].lstrip() for line in event.split("\n") if line.startswith("data:"))
            if data:
                messages.append(json.loads(data))
    else:
        raise ValueError(f"unexpected content type {content_type!r}")
    for message in messages:
        if isinstance(message, dict) and message.get("id") == request_id:
            return message
    raise ValueError(f"no response with id {request_id} among {len(messages)} message(s)")


def tool_error(result: dict[str, Any]) -> dict[str, Any]:
    """The typed error of an `isError` tool result: in `_meta` for programs, else in the text."""
    meta = (result.get("_meta") or {}).get(ERROR_META_KEY)
    if isinstance(meta, dict):
        return meta
    for block in result.get("content") or []:
        try:
            error = json.loads(block.get("text", "")).get("error")
        except (ValueError, AttributeError):
            continue
        if isinstance(error, dict):
            return error
    return {}


class McpUser(HttpUser):
    """One assistant user: signs in, initializes MCP, then calls tools."""

    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        self._ids = itertools.count(1)
        try:
            credentials = sign_in(self)
        except SignInError as error:
            # Recorded as a failed request so the run fails, then this user stops.
            self.environment.events.request.fire(
                request_type="AUTH", name="sign_in", response_time=0, response_length=0, exception=error, context={}
            )
            raise StopUser() from error
        self.headers = {
            "Accept": "application/json, text/event-stream",
            "Content-Type": "application/json",
            **credentials,
        }
        result = self.rpc(
            "initialize",
            {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "m365-gateway-locust", "version": "1.0.0"},
            },
            name="initialize",
        )
        if result is None:
            raise StopUser()  # the failure is already recorded
        self.headers["MCP-Protocol-Version"] = result.get("protocolVersion", PROTOCOL_VERSION)
        self.notify("notifications/initialized")

    def notify(self, method: str) -> None:
        body = {"jsonrpc": "2.0", "method": method}
        with self.client.post(MCP_PATH, json=body, headers=self.headers, name=method, catch_response=True) as response:
            if response.status_code not in (200, 202, 204):
                response.failure(f"HTTP {response.status_code}")

    def rpc(self, method: str, params: dict[str, Any], name: str) -> dict[str, Any] | None:
        """Sends one JSON-RPC request; returns its result, or None after recording a failure."""
        request_id = next(self._ids)
        body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        with self.client.post(MCP_PATH, json=body, headers=self.headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            session_id = response.headers.get("Mcp-Session-Id")
            if session_id:
                self.headers["Mcp-Session-Id"] = session_id
            try:
                message = parse_jsonrpc_response(response.headers.get("Content-Type", ""), response.text, request_id)
            except ValueError as error:
                response.failure(f"bad response: {error}")
                return None
            if "error" in message:
                response.failure(f"JSON-RPC error {message['error'].get('code')}: {message['error'].get('message')}")
                return None
            result = message.get("result", {})
            if result.get("isError"):
                error = tool_error(result)
                category = error.get("category", "unknown")
                if category not in EXPECTED_ERROR_CATEGORIES:
                    response.failure(f"tool error {category}/{error.get('code', '?')}")
                    return None
            response.success()
            return result

    def call_tool(self, flow: str, arguments: dict[str, Any]) -> dict[str, Any] | None:
        tool = TOOLS[flow]
        return self.rpc("tools/call", {"name": tool, "arguments": arguments}, name=f"tools/call {tool}")

    @task(10)
    def list_messages(self) -> None:
        self.call_tool("list_messages", {"folder": "inbox", "pageSize": random.choice([10, 25, 50])})

    @task(5)
    def search(self) -> None:
        self.call_tool("search", {"query": random.choice(SEARCH_TERMS), "entities": ["message", "driveItem"], "pageSize": 10})

    @task(2)
    def send_mail(self) -> None:
        self.call_tool(
            "send_mail",
            {
                "to": [MAIL_TO],
                "subject": f"Load test {uuid.uuid4()}",
                "body": "Sent by the m365-mcp-gateway load test.",
                "idempotency_key": f"locust-{uuid.uuid4()}",
            },
        )

    @task(1)
    def upload(self) -> None:
        size = random.choices(UPLOAD_SIZES, weights=UPLOAD_WEIGHTS)[0]
        self.call_tool(
            "upload",
            {
                "folder": {"path": "/LoadTest"},
                "name": f"{uuid.uuid4()}.bin",
                "content": base64.b64encode(os.urandom(size)).decode("ascii"),
                "encoding": "base64",
                "conflict": "rename",
                "idempotency_key": f"locust-{uuid.uuid4()}",
            },
        )
