"""Helpers for API tests: a bearer-token client and row counts (to prove nothing was written)."""
from sqlalchemy import func, select

from webapp.extensions import db as _db
from webapp.services.people import accounts


class Api:
    """Calls /api/v1 as one user (or anonymously) with a bearer token and JSON bodies."""

    def __init__(self, client, user=None, token=None):
        self.client = client
        self.token = token or (accounts.issue_token(_db.session, user) if user else None)

    def _headers(self, extra=None):
        h = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        h.update(extra or {})
        return h

    def get(self, path, **params):
        return self.client.get("/api/v1" + path, query_string=params, headers=self._headers())

    def delete(self, path):
        return self.client.delete("/api/v1" + path, headers=self._headers())

    def patch(self, path, json=None):
        return self.client.patch("/api/v1" + path, json=json, headers=self._headers())

    def post(self, path, json=None, data=None, headers=None):
        if data is not None:
            return self.client.post("/api/v1" + path, data=data, headers=self._headers(headers))
        return self.client.post("/api/v1" + path, json=json, headers=self._headers(headers))


def counts(session, *models) -> dict:
    """Row counts of the given models (snapshot before/after a refused request)."""
    session.expire_all()
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}
