"""The register form shows the member and unit sections only for those roles, without any

import pytest

# Runs once, in the SQLite pass of scripts/test.sh: the form sections are CSS.
pytestmark = pytest.mark.engine_neutral
script: CSS :has() on the checked role (issue 12 §6)."""


def test_register_sections_follow_the_chosen_role(new_context, site):
    ctx = new_context(java_script_enabled=False)  # the rule must work without JS
    page = ctx.new_page()
    page.goto("/register")
    member, unit = page.locator("fieldset.for-member"), page.locator("fieldset.for-unit")
    assert member.is_hidden() and unit.is_hidden()  # 居民 is preselected
    page.check('input[name="role"][value="member"]')
    assert member.is_visible() and unit.is_hidden()
    page.check('input[name="role"][value="unit_admin"]')
    assert unit.is_visible() and member.is_hidden()
