"""Locust load test for m365-mcp-gateway over MCP Streamable HTTP (JSON-RPC POSTs to /mcp).

Each simulated user signs in once, initializes an MCP session, then runs the key tool flows with
weights taken from expected assistant traffic: mostly reading mail, then search, then sending mail
and uploading files. See README.md for the full-run and smoke commands.

Environment:
  MCP_TOKEN                      a bearer token (the sandbox dev token); when unset, users sign in
                                 with OAuth through the sandbox identity provider (see sign_in)
  MCP_SIGN_IN_USERS              comma-separated UPNs the OAuth sign-in cycles through
                                 (default: three of the sandbox's demo users, two tenants)
  MCP_REFRESH_MARGIN_SECONDS     refresh OAuth access tokens this long before expiry (default 60)
  MCP_PATH                       MCP endpoint path (default /mcp)
  MCP_THINK_TIME                 "min,max" seconds between tasks (default "1,5")
  MCP_EXPECTED_ERROR_CATEGORIES  comma-separated tool error categories counted as success
                                 (e.g. "rate_limited,throttled" when backpressure is expected)
  MCP_MAIL_TO                    recipient of send-mail flows (default: a sandbox address)
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import random
import re
import secrets
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

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


# The sandbox's demo users (src/adapters/sandbox/seed.ts), two tenants.
DEFAULT_SIGN_IN_USERS = "megan.bowen@contoso.example,alex.wilber@contoso.example,diego.siciliani@fabrikam.example"
SIGN_IN_USERS = [u.strip() for u in os.environ.get("MCP_SIGN_IN_USERS", DEFAULT_SIGN_IN_USERS).split(",") if u.strip()]
# A loopback redirect URI: the client never listens on it, the code is read from the redirect.
CLIENT_REDIRECT = "http://127.0.0.1:33418/callback"
REFRESH_MARGIN_SECONDS = float(os.environ.get("MCP_REFRESH_MARGIN_SECONDS", "60"))
_next_sign_in_user = itertools.count()
_registration_lock = threading.Lock()
_registered_client_id: str | None = None


def sign_in(user: HttpUser) -> dict[str, str]:
    """Returns the HTTP headers that authenticate `user`.

    With MCP_TOKEN: that bearer token (the sandbox dev token). Without it: the MCP OAuth flow
    (docs/auth.md) against a deployment whose identity provider is the sandbox's, as a browser and
    client would do it: register the client (once per process), /authorize with PKCE S256 and the
    resource, approve the consent form (CSRF token + cookie), the IdP's headless approve
    (POST user=<upn>), our /oauth/callback, then /token. Real Entra has no headless step, so
    full runs target the sandbox tenant (README.md).
    """
    token = os.environ.get("MCP_TOKEN", "")
    if token:
        return {"Authorization": f"Bearer {token}"}
    if not SIGN_IN_USERS:
        raise SignInError("neither MCP_TOKEN nor MCP_SIGN_IN_USERS is set")
    upn = SIGN_IN_USERS[next(_next_sign_in_user) % len(SIGN_IN_USERS)]
    user.oauth = OAuthSession(user, upn)
    return user.oauth.sign_in()


class OAuthSession:
    """One user's OAuth tokens from our authorization server, refreshed before they expire."""

    def __init__(self, user: HttpUser, upn: str) -> None:
        self.client = user.client
        self.upn = upn
        self.client_id = ""
        self.resource = ""
        self.refresh_token = ""
        self.expires_at = 0.0

    def sign_in(self) -> dict[str, str]:
        self.client_id = self._client_id()
        self.resource = self._json("GET", "/.well-known/oauth-protected-resource" + MCP_PATH, "oauth metadata")["resource"]
        verifier = secrets.token_urlsafe(32)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(12)
        query = {
            "client_id": self.client_id,
            "redirect_uri": CLIENT_REDIRECT,
            "response_type": "code",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "resource": self.resource,
        }
        page = self._step("GET", "/authorize?" + urlencode(query), "oauth /authorize", 200)
        fields = {k: _hidden_input(page.text, k) for k in ("request", "csrf")}
        consent = self._step("POST", "/authorize/consent", "oauth consent", 302, data={**fields, "decision": "approve"})
        idp = self._step("POST", consent.headers["Location"], "oauth idp sign-in", 302, data={"user": self.upn})
        back = self._step("GET", idp.headers["Location"], "oauth /callback", 302)
        redirect = urlparse(urljoin(CLIENT_REDIRECT, back.headers["Location"]))
        params = parse_qs(redirect.query)
        if params.get("state") != [state] or "code" not in params:
            raise SignInError(f"sign-in for {self.upn} ended without a code: {params.get('error', ['?'])[0]}")
        return self._tokens(
            {
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "code": params["code"][0],
                "code_verifier": verifier,
                "redirect_uri": CLIENT_REDIRECT,
                "resource": self.resource,
            },
            "oauth /token",
        )

    def refresh_if_due(self) -> dict[str, str] | None:
        """New headers when the access token is about to expire (refresh tokens rotate)."""
        if time.time() < self.expires_at - REFRESH_MARGIN_SECONDS:
            return None
        form = {"grant_type": "refresh_token", "client_id": self.client_id, "refresh_token": self.refresh_token, "resource": self.resource}
        return self._tokens(form, "oauth /token refresh")

    def _client_id(self) -> str:
        """Dynamic client registration, once per Locust process (registration is rate limited)."""
        global _registered_client_id
        with _registration_lock:
            if _registered_client_id is None:
                body = {
                    "client_name": "m365-gateway-locust",
                    "redirect_uris": [CLIENT_REDIRECT],
                    "token_endpoint_auth_method": "none",
                    "grant_types": ["authorization_code", "refresh_token"],
                    "response_types": ["code"],
                }
                _registered_client_id = self._json("POST", "/register", "oauth /register", json=body, expect=201)["client_id"]
            return _registered_client_id

    def _tokens(self, form: dict[str, str], name: str) -> dict[str, str]:
        body = self._json("POST", "/token", name, data=form)
        self.refresh_token = body.get("refresh_token", self.refresh_token)
        self.expires_at = time.time() + float(body.get("expires_in", 0))
        return {"Authorization": f"Bearer {body['access_token']}"}

    def _json(self, method: str, url: str, name: str, expect: int = 200, **kwargs: Any) -> dict[str, Any]:
        return self._step(method, url, name, expect, **kwargs).json()

    def _step(self, method: str, url: str, name: str, expect: int, **kwargs: Any) -> Any:
        """One request of the flow, recorded under `name`; anything but `expect` aborts sign-in."""
        with self.client.request(method, url, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}")
                raise SignInError(f"{name} for {self.upn}: HTTP {response.status_code} {response.text[:200]}")
            response.success()
            return response


def _hidden_input(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    if match is None:
        raise SignInError(f"the consent page has no {name} field")
    return match.group(1)


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

    def refresh_credentials(self) -> None:
        oauth = getattr(self, "oauth", None)
        headers = oauth.refresh_if_due() if oauth is not None else None
        if headers:
            self.headers.update(headers)

    def notify(self, method: str) -> None:
        body = {"jsonrpc": "2.0", "method": method}
        with self.client.post(MCP_PATH, json=body, headers=self.headers, name=method, catch_response=True) as response:
            if response.status_code not in (200, 202, 204):
                response.failure(f"HTTP {response.status_code}")

    def rpc(self, method: str, params: dict[str, Any], name: str) -> dict[str, Any] | None:
        """Sends one JSON-RPC request; returns its result, or None after recording a failure."""
        self.refresh_credentials()
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
                "folder": "/LoadTest",
                "name": f"{uuid.uuid4()}.bin",
                "content": base64.b64encode(os.urandom(size)).decode("ascii"),
                "encoding": "base64",
                "conflict": "rename",
                "idempotency_key": f"locust-{uuid.uuid4()}",
            },
        )
