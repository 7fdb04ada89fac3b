"""Signing in for real (issue 9): a local OpenID Connect provider, the app, headless Chromium.

The suite starts `oidc-provider-mock` on 127.0.0.1 (a provider made for tests: it signs in
whoever is named on its form, with the claims set for them beforehand), and the app with a
secrets file pointing at it. People of each role sign in through the provider's own page:
the viewer and the scrutiny officer get their role from the provider's `roles` claim, the
officer was registered beforehand in the database by email, linked to the officer who owns
one item. Then, as the issue asks: the viewer sees no update form and no exempt item; the
officer can update their own item and not another's; the update is recorded against the
officer's email, never a typed name.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.live import free_port
from data_access.db import open_tracker
from data_access.users import UserDraft, save_user, sign_in
from domain.people import Role
from tests.browser_support import StreamlitServer, fresh_page, wait_rendered
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

REGISTER = next(spec for spec in PAGES if spec.url_path == "register")
VIEWER = "viewer@council.example"
OFFICER = "officer@council.example"
SCRUTINY = "scrutiny@council.example"
ADMIN = "admin@council.example"


class OidcProvider:
    """`python -m oidc_provider_mock` on a free port of 127.0.0.1."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OidcProvider:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                 "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    self.base_url + "/.well-known/openid-configuration", timeout=2
                ):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the OIDC provider did not start:\n{self.log_path.read_text()}")

    def set_claims(self, sub: str, claims: dict[str, Any]) -> None:
        """The claims the provider gives `sub` when they next sign in."""
        request = urllib.request.Request(
            f"{self.base_url}/users/{sub}",
            data=json.dumps(claims).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status in (200, 204)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def council(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A copy of the demo council: the officer owns one public item (and none other)."""
    path = tmp_path_factory.mktemp("sign-in") / "council.db"
    shutil.copy(demo_db_path, path)
    db = sqlite3.connect(path)
    own, other = [
        row[0]
        for row in db.execute(
            "SELECT r.id FROM recommendations r JOIN sources s ON s.id = r.source_id "
            "WHERE s.confidentiality = 'public' AND r.status = 'in_progress' ORDER BY r.id "
            "LIMIT 2"
        )
    ]
    db.execute("INSERT INTO officers (name, job_title) VALUES ('Test Officer', 'Sign-in test')")
    officer_id = db.execute("SELECT max(id) FROM officers").fetchone()[0]
    db.execute("UPDATE recommendations SET owner_id = ? WHERE id = ?", (officer_id, own))
    exempt = db.execute(
        "SELECT r.id, r.wording, s.title FROM recommendations r "
        "JOIN sources s ON s.id = r.source_id WHERE s.confidentiality = 'exempt' "
        "ORDER BY r.id LIMIT 1"
    ).fetchone()
    exempt_titles = [
        row[0] for row in db.execute("SELECT title FROM sources WHERE confidentiality = 'exempt'")
    ]
    db.commit()
    db.close()
    url = f"sqlite:///{path}"
    engine, _ = open_tracker(url)
    with engine.begin() as connection:
        admin = sign_in(connection, ADMIN, "Admin", admin_emails=[ADMIN])
        save_user(
            connection,
            admin,
            UserDraft(OFFICER, "Olu Officer", Role.OFFICER, officer_id=officer_id),
        )
    engine.dispose()
    assert exempt is not None and exempt_titles
    return {
        "url": url,
        "path": path,
        "own": own,
        "other": other,
        "exempt": exempt[0],
        "exempt_wording": exempt[1],
        "exempt_titles": exempt_titles,
    }


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    live = OidcProvider(tmp_path_factory.mktemp("oidc") / "provider.log").start()
    try:
        live.set_claims(VIEWER, {"email": VIEWER, "name": "Vic Viewer", "roles": ["viewer"]})
        live.set_claims(OFFICER, {"email": OFFICER, "name": "Olu Officer"})
        live.set_claims(
            SCRUTINY,
            {"email": SCRUTINY, "name": "Sam Scrutiny", "roles": ["scrutiny_officer"]},
        )
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def server(
    browser: Any,
    council: dict[str, Any],
    provider: OidcProvider,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("sign-in-app")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-not-used-anywhere-else"\n'
        'client_id = "recommendation-tracker"\n'
        'client_secret = "test-only"\n'
        f'server_metadata_url = "{provider.base_url}/.well-known/openid-configuration"\n'
        "\n[access]\n"
        f'admin_emails = ["{ADMIN}"]\n'
    )
    with StreamlitServer(
        council["url"],
        folder / "streamlit.log",
        port=port,
        extra_args=("--secrets.files", str(secrets)),
    ) as live:
        yield live


def _sign_in(page: Any, server: StreamlitServer, email: str, path: str = "/") -> None:
    """Open the app, press Log in, name the user on the provider's form, authorise; then
    open `path` (Streamlit returns to the app's first page after signing in)."""
    page.goto(server.base_url + path)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("input[name=sub]", timeout=20_000)
    page.fill("input[name=sub]", email)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{server.base_url}/**", timeout=20_000)
    page.get_by_role("button", name="Log out").wait_for(timeout=30_000)
    if path != "/":
        page.goto(server.base_url + path)
    wait_rendered(page)


def _main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _open_record_tab(page: Any) -> None:
    page.get_by_role("tab", name="Record an update").click()
    page.wait_for_timeout(300)


def _updates_by(path: Path, rec_id: int) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return list(
            db.execute(
                "SELECT author, narrative FROM progress_updates WHERE recommendation_id = ? "
                "ORDER BY id",
                (rec_id,),
            )
        )


def test_signing_in_is_asked_for_before_anything(browser: Any, server: StreamlitServer) -> None:
    with fresh_page(browser) as (page, errors):
        page.goto(server.url(REGISTER))
        page.get_by_role("button", name="Log in").wait_for(timeout=30_000)
        text = page.locator("body").inner_text()
        assert "Sign in with your council account" in text
        assert "Recommendations" not in _main_text(page).split("\n")[0]
        assert not page.locator('[data-testid="stDataFrame"]').count()
        assert not errors


def test_a_viewer_sees_no_update_form_and_no_exempt_item(
    browser: Any, server: StreamlitServer, council: dict[str, Any]
) -> None:
    with fresh_page(browser) as (page, errors):
        _sign_in(page, server, VIEWER, "/register")
        body = page.locator("body").inner_text()
        assert "Vic Viewer" in body and "viewer" in body
        assert "Some items are withheld" in body
        for title in council["exempt_titles"]:
            assert title not in body
        # The pages a viewer may not open are not offered.
        assert "Import a tracker" not in body and "Users and roles" not in body
        page.goto(f"{server.url(REGISTER)}?rec={council['own']}")
        wait_rendered(page)
        _open_record_tab(page)
        assert page.get_by_role("button", name="Save update").count() == 0
        assert "Only an officer or above may record a progress update" in _main_text(page)
        # An exempt item named in the link reads as one that does not exist.
        page.goto(f"{server.url(REGISTER)}?rec={council['exempt']}")
        wait_rendered(page)
        main = _main_text(page)
        assert f"There is no recommendation number {council['exempt']}" in main
        assert council["exempt_wording"][:60] not in main
        # A page for admins only, opened by its address, is refused.
        page.goto(server.base_url + "/users")
        wait_rendered(page)
        assert "Users and roles" not in _main_text(page).split("\n")[0]
        assert not errors


def test_an_officer_updates_their_own_item_only(
    browser: Any, server: StreamlitServer, council: dict[str, Any]
) -> None:
    before_other = _updates_by(council["path"], council["other"])
    with fresh_page(browser) as (page, errors):
        _sign_in(page, server, OFFICER, f"/register?rec={council['other']}")
        _open_record_tab(page)
        assert page.get_by_role("button", name="Save update").count() == 0
        assert "only on items they own or their directorate's" in _main_text(page)

        page.goto(f"{server.url(REGISTER)}?rec={council['own']}")
        wait_rendered(page)
        _open_record_tab(page)
        main = page.locator('[data-testid="stMain"]')
        assert "Recorded as Olu Officer (officer@council.example)" in main.inner_text()
        assert main.get_by_label("Your name").count() == 0  # no typed author when signed in
        narrative = "Signed-in browser test: the new policy went to the board."
        main.get_by_label("What has happened since the last update").fill(narrative)
        main.get_by_role("button", name="Save update").click()
        page.get_by_text("was saved").wait_for(timeout=20_000)
        assert not errors
    assert _updates_by(council["path"], council["own"])[-1] == (OFFICER, narrative)
    assert _updates_by(council["path"], council["other"]) == before_other


def test_roles_from_claims_are_kept_in_the_database(
    browser: Any, server: StreamlitServer, council: dict[str, Any]
) -> None:
    with fresh_page(browser) as (page, errors):
        _sign_in(page, server, SCRUTINY, "/audit")
        main = _main_text(page)
        assert main.startswith("Audit trail")
        assert OFFICER in page.locator("body").inner_text() or "Audit trail" in main
        assert not errors
    with sqlite3.connect(council["path"]) as db:
        roles = dict(db.execute("SELECT email, role FROM users"))
    assert roles[VIEWER] == "viewer"
    assert roles[SCRUTINY] == "scrutiny officer"
    assert roles[OFFICER] == "officer"
    assert roles[ADMIN] == "admin"
