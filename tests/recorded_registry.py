"""The « Recherche d'entreprises » API answered from the recorded files of
tests/structures/files/recherche-entreprises/, through a transport mounted on
structures.annuaire.SESSION: the client runs whole (requests, parameters, status codes), no byte leaves
the machine. Used by the `registry` fixture (tests/conftest.py)."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter

FILES = Path(__file__).parent / "structures" / "files" / "recherche-entreprises"


class RecordedRegistry(BaseAdapter):
    """Answers GET /search: `answers` maps a query (`q`) to a file name; other queries find nothing.
    `failure` ("timeout", "unreachable", or an HTTP status) makes every request fail that way."""

    def __init__(self, answers=None):
        super().__init__()
        self.answers = dict(answers or {})
        self.failure = None
        self.requests = []  # the query parameters of each request, as the API received them

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.requests.append(params)
        if self.failure == "timeout":
            raise requests.ReadTimeout("recorded timeout")
        if self.failure == "unreachable":
            raise requests.ConnectionError("recorded connection failure")
        if isinstance(self.failure, int):
            name = "error-400.json" if self.failure == 400 else None
            return self._response(request, self.failure, FILES / name if name else None)
        name = self.answers.get(params.get("q"), "search-no-result.json")
        return self._response(request, 200, FILES / name)

    def _response(self, request, status, path):
        response = requests.Response()
        response.status_code = status
        response.request = request
        response.url = request.url
        response.headers["Content-Type"] = "application/json"
        response._content = path.read_bytes() if path else b"<html>erreur</html>"
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def recorded(name):
    return json.loads((FILES / name).read_text())
