"""A member of staff at the served app over plain HTTP: signs in, keeps the session cookie and
sends forms with their CSRF token, as a browser would."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from tests.harness.writes import STAFF, multipart

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Staff:
    """One signed-in session on a LiveServer."""

    def __init__(self, server, name: str = "Anna", password: str | None = None):
        self.server, self.cookies, self.name = server, {}, name
        self.csrf = self._csrf("/admin/login")
        password = STAFF[name] if password is None else password
        status, _, _ = self.post("/admin/login", name=name, password=password, next="/partners")
        if status != 302:
            raise AssertionError(f"sign-in answered {status}")
        self.csrf = self._csrf("/admin/upload")  # signing in starts a new session

    def get(self, path: str) -> tuple[int, str]:
        status, headers, body = self.server.get(path, self._headers())
        self._keep(headers)
        return status, body.decode()

    def post(self, path: str, **fields: str) -> tuple[int, object, str]:
        body = urlencode({"csrf_token": self.csrf, **fields}).encode()
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        status, reply, data = self.server.request("POST", path, body, headers)
        self._keep(reply)
        return status, reply, data.decode()

    def send_file(self, path: str, filename: str, data: bytes, **fields: str):
        """A form with one file, as the upload page and the document view send it."""
        body, content_type = multipart(filename, data, csrf_token=self.csrf, **fields)
        headers = {**self._headers(), **content_type}
        status, reply, answer = self.server.request("POST", path, body, headers)
        self._keep(reply)
        return status, reply, answer.decode()

    def _csrf(self, path: str) -> str:
        _, page = self.get(path)
        return _CSRF.search(page).group(1)

    def _headers(self) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie} if cookie else {}

    def _keep(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]


def sign_in_page(page, name: str = "Anna", password: str | None = None) -> None:
    """On the sign-in page in a browser: type a name and password (any language) and send."""
    page.locator("#name").fill(name)
    page.locator("#password").fill(STAFF[name] if password is None else password)
    page.locator("form.upload button[type=submit]").click()
