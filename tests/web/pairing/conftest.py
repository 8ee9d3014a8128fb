"""Fixtures shared by the 结对安排 page tests."""
import pytest


@pytest.fixture
def homes(app, world, make_user):
    """Four more households of 城西社区 (1号楼 and 7号楼); CSRF off for form posts."""
    app.config["WTF_CSRF_ENABLED"] = False
    return [make_user(n, None, b, [("resident", b, None)])
            for n, b in (("甲大爷", world.ba1), ("乙奶奶", world.ba2), ("丙阿姨", world.ba2),
                         ("丁大伯", world.ba1))]
