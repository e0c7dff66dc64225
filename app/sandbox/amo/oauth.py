"""OAuth 2.0: the consent screen, the token endpoint and the subdomain lookup.

Single-use authorization codes (20 min), access JWTs and refresh tokens rotated on every
use: "strict" kills a refresh token once used (amoCRM), "grace" keeps it alive until its
successor is first used (Kommo) — shared/api/amocrm.md §14.
"""

from __future__ import annotations

import base64
import json
import secrets
from html import escape as html_escape
from typing import Any
from urllib.parse import parse_qs, urlencode

from app.sandbox.amo import core
from app.sandbox.amo.state import AmoState
from app.sandbox.http import (
    BadJSON,
    Request,
    Response,
    html_response,
    json_response,
)

AUTH_CODE_TTL = 20 * 60
REFRESH_TTL = 90 * 86400
OAUTH_PROBLEM_TYPE = "https://developers.amocrm.ru/v3/errors/OAuthProblemJson"
OAUTH_TITLE = "Некорректный запрос"
OAUTH_DETAIL = "В запросе отсутствует ряд параметров или параметры невалидны"


def oauth_problem(status: int, hint: str, detail: str = OAUTH_DETAIL) -> Response:
    body = {"hint": hint, "title": OAUTH_TITLE, "type": OAUTH_PROBLEM_TYPE, "status": status, "detail": detail}
    return json_response(status, body, core.PROBLEM)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_jwt(state: AmoState, exp: int, kind: str) -> str:
    """An access token shaped like amoCRM's (RS256 JWT, unverifiable signature), recorded as live."""
    now = state.now()
    jti = secrets.token_hex(20)
    header = {"typ": "JWT", "alg": "RS256", "jti": jti}
    payload = {
        "aud": state.client_id, "jti": jti, "iat": now, "nbf": now, "exp": exp, "sub": str(core.USER_ID),
        "grant_type": "" if kind == "oauth" else "long_lived", "account_id": state.account_id,
        "base_domain": "amocrm.ru", "version": 2,
        "scopes": ["crm", "files", "files_delete", "notifications", "push_notifications"],
        "hash_uuid": secrets.token_hex(16), "api_domain": "api-b.amocrm.ru", "client_uuid": state.client_id,
    }
    parts = [_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)]
    token = ".".join([*parts, _b64url(secrets.token_bytes(64))])
    state.access[token] = {"exp": exp, "revoked": False, "kind": kind, "integration": state.client_id}
    return token


def new_pair(state: AmoState, parent: str | None) -> tuple[str, str]:
    """A fresh (access, refresh) pair; `parent` is the refresh token it was exchanged for."""
    access = make_jwt(state, state.now() + state.access_ttl, "oauth")
    refresh = "def50200" + secrets.token_hex(96)
    state.refresh[refresh] = {"exp": state.now() + REFRESH_TTL, "used": False, "revoked": False,
                              "parent": parent, "children": []}
    if parent is not None:
        state.refresh[parent]["children"].append(refresh)
    return access, refresh


def new_auth_code(state: AmoState) -> str:
    code = "def50200" + secrets.token_hex(120)
    state.codes[code] = {"exp": state.now() + AUTH_CODE_TTL, "used": False}
    return code


def live_access(state: AmoState, token: str | None) -> core.JSON | None:
    """The record of a usable access token, or None (unknown, revoked or expired: a 401)."""
    record = state.access.get(token) if token else None
    if record is None or record["revoked"] or state.clock() >= record["exp"]:
        return None
    return record


class OAuth(core.Resource):
    @core.route("GET", "/oauth")
    @core.route("GET", "/oauth/decision")
    def _consent(self, request: Request, params: core.Params) -> Response:
        """The browser consent screen (www.amocrm.ru/oauth): "Разрешить" redirects to the
        integration's redirect URI with code, state, referer and client_id; "Отказать" with
        error=access_denied (K-OAUTH). A test follows it with an HTTP client."""
        st = self.state
        client_id = request.arg("client_id") or ""
        state = request.arg("state")
        if client_id != st.client_id:
            return html_response(400, "<!doctype html><meta charset='utf-8'><p>Интеграция не найдена (client_id).</p>")
        if request.path.rstrip("/") == "/oauth":
            query = {"client_id": client_id, **({"state": state} if state is not None else {})}
            allow = "/oauth/decision?" + urlencode({**query, "allow": "1"})
            deny = "/oauth/decision?" + urlencode({**query, "allow": "0"})
            page = (
                "<!doctype html><meta charset='utf-8'><title>Предоставить доступ</title>"
                f"<h1>Предоставить доступ к аккаунту «{html_escape(st.account_name)}»?</h1>"
                "<p>Интеграция Kaspi amoCRM Sync получит доступ к сделкам, контактам и каталогам.</p>"
                f"<p><a id='allow' href='{html_escape(allow)}'>Разрешить</a> "
                f"<a id='deny' href='{html_escape(deny)}'>Отказать</a></p>"
            )
            return html_response(200, page)
        if request.arg("allow") == "1":
            answer = {"code": new_auth_code(st), "referer": request.header("host") or f"{st.subdomain}.amocrm.ru",
                      "client_id": client_id}
        else:
            answer = {"error": "access_denied", "client_id": client_id}
        if state is not None:
            answer["state"] = state
        sep = "&" if "?" in st.redirect_uri else "?"
        return Response(302, b"", "text/html; charset=utf-8", {"Location": f"{st.redirect_uri}{sep}{urlencode(answer)}"})

    @staticmethod
    def _body(request: Request) -> dict[str, Any] | None:
        content_type = (request.header("content-type") or "").lower()
        if "application/x-www-form-urlencoded" not in content_type:
            try:
                data = request.json()
                if isinstance(data, dict):
                    return data
            except BadJSON:
                pass
        try:
            form = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return None
        return {k: v[0] for k, v in form.items()} if form else None

    @core.route("POST", "/oauth2/access_token")
    def _token(self, request: Request, params: core.Params) -> Response:
        st = self.state
        data = self._body(request)
        if not data:
            return oauth_problem(400, "Check the `grant_type` parameter")
        grant = data.get("grant_type")
        if grant not in ("authorization_code", "refresh_token"):
            return oauth_problem(400, "Unsupported grant type")
        if data.get("client_id") != st.client_id or data.get("client_secret") != st.client_secret:
            return oauth_problem(401, "Client authentication failed")
        now = st.clock()
        if grant == "authorization_code":
            if data.get("redirect_uri") != st.redirect_uri:
                return oauth_problem(400, "Redirect URI mismatch")
            code = st.codes.get(str(data.get("code") or ""))
            if code is None or code["used"] or now >= code["exp"]:
                return oauth_problem(400, "Cannot decrypt the authorization code")
            code["used"] = True
            access, refresh = new_pair(st, None)
        else:
            token = str(data.get("refresh_token") or "")
            record = st.refresh.get(token)
            if record is None:
                return oauth_problem(401, "Cannot decrypt the refresh token")
            if record["revoked"] or (record["used"] and st.refresh_mode == "strict"):
                return oauth_problem(401, "Token has been revoked")
            if now >= record["exp"]:
                return oauth_problem(401, "Token has expired")
            record["used"] = True
            parent = record["parent"]
            if st.refresh_mode == "grace" and parent is not None:
                # Kommo: the previous token lived on only until this (its successor) was used.
                st.refresh[parent]["revoked"] = True
                for sibling in st.refresh[parent]["children"]:
                    if sibling != token:
                        st.refresh[sibling]["revoked"] = True
            access, refresh = new_pair(st, token)
        return json_response(200, {"token_type": "Bearer", "expires_in": st.access_ttl,
                                   "server_time": int(now), "access_token": access, "refresh_token": refresh})

    @core.route("GET", "/oauth2/account/current/subdomain")
    def _subdomain(self, request: Request, params: core.Params) -> Response:
        record = self.state.refresh.get(request.header("x-refresh-token") or "")
        if record is None or record["revoked"]:
            return oauth_problem(401, "Token has been revoked")
        st = self.state
        return json_response(200, {"id": st.account_id, "subdomain": st.subdomain,
                                   "domain": f"{st.subdomain}.amocrm.ru", "top_level_domain": "ru"})
