"""htmx on the cards and forms in a real browser (CSRF on): swaps, in-card refusals, 422 forms."""
import re

from tests.e2e.conftest import ui_login
from webapp.services.wishes import claims

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: how cards look does not depend on the engine.
pytestmark = pytest.mark.engine_neutral


def test_claim_swaps_the_card_and_a_refusal_stays_inside_it(new_context, site, db, world,
                                                             make_wish):
    taken = make_wish("published", title="被别人抢先的心愿")
    free = make_wish("published", title="还能认领的心愿")
    page = new_context().new_page()
    ui_login(page, world.member3)
    page.goto("/menu")
    claims.claim(db, world.member2, taken.id)  # someone else takes the only place meanwhile
    page.locator(f'#wish-{taken.id} [data-action="claim"]').click()
    alert = page.locator(f"#wish-{taken.id} [data-card-msg] [role=alert]")
    alert.wait_for()
    assert alert.inner_text().strip()  # the reason (409) is shown in the card …
    assert page.locator(f"#wish-{taken.id} .card-title").inner_text() == taken.title  # … kept
    page.locator(f'#wish-{free.id} [data-action="claim"]').click()
    page.locator(f'#wish-{free.id} [data-action="start"]').wait_for()  # the card's new state
    assert page.url.endswith("/menu")  # swapped in place, no navigation


def test_wish_form_errors_swap_inline_then_post_and_withdraw(new_context, site, db, world):
    page = new_context().new_page()
    ui_login(page, world.resident)
    page.goto("/wishes/new")
    page.get_by_label("标题").fill("x")
    page.get_by_role("button", name="提交心愿").click()
    page.locator("#err-title").wait_for()  # 422 fragment swapped into the form
    assert page.url.endswith("/wishes/new")
    page.get_by_label("标题").fill("帮我换个灯泡")
    page.locator("#f-category").select_option(label="助老助残")
    page.get_by_role("button", name="提交心愿").click()
    page.wait_for_url(re.compile(r"/wishes/\d+$"))
    assert "审核通过后就会上架" in page.locator(".flashes").inner_text()
    # The card's one action for a wish in review is 修改; 撤回 is on the wish's own page.
    page.goto("/my/wishes")
    assert page.locator('[data-action="edit"]').count() == 1
    page.locator(".card-title a").first.click()
    page.wait_for_url(re.compile(r"/wishes/\d+$"))
    page.on("dialog", lambda d: d.accept())  # hx-confirm asks before withdrawing
    page.locator('[data-action="withdraw"]').first.click()
    page.locator(".chip-status", has_text="已撤回").wait_for()
