"""Issue 23 item 6: one phone parser for forms, API and imports; spaces and +86 accepted, bad character named."""
import pytest
from pydantic import ValidationError

from webapp.schemas.inputs import Phone
from webapp.schemas.phone import parse_phone


@pytest.mark.parametrize("raw", ["151 9487 5749", "+86 151 9487 5749", "+8615194875749",
                                 "151-9487-5749", "１５１９４８７５７４９", "0086 15194875749"])
def test_common_spellings_are_one_number(raw, app):
    with app.test_request_context():
        assert parse_phone(raw) == "15194875749"


def test_bad_character_is_pointed_at(app):
    with app.test_request_context():
        with pytest.raises(ValueError) as err:
            parse_phone("15194875l49")
        assert "第 9 位是字母 l" in str(err.value)
        with pytest.raises(ValueError):
            parse_phone("1519487574")


def test_every_schema_phone_field_takes_spaces_and_plus86(app):
    from pydantic import TypeAdapter
    ta = TypeAdapter(Phone)
    with app.test_request_context():
        assert ta.validate_python("+86 151 9487 5749") == "15194875749"
        with pytest.raises(ValidationError):
            ta.validate_python("15194875l49")


def test_import_row_uses_the_same_parser(app):
    from webapp.services.admin.imports.rows import Plan, RowCheck
    with app.test_request_context():
        plan = Plan("residents")
        assert RowCheck(plan, 2, {"phone": "+86 151 9487 5749"}).phone(True) == "15194875749"
        assert RowCheck(plan, 3, {"phone": "15194875l49"}).phone(True) is None
        assert "第 9 位是字母 l" in str(plan.errors[0]["message"])


def _phone_fields():
    """Every field of every input schema whose name says phone."""
    import importlib
    import pkgutil
    from pydantic import BaseModel
    import webapp.schemas as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        m = importlib.import_module(f"webapp.schemas.{mod.name}")
        for obj in vars(m).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == m.__name__:
                for name, f in obj.model_fields.items():
                    if "phone" in name:
                        yield obj, name, f


def test_every_phone_field_of_every_schema_reads_spaces_and_plus86_and_names_the_bad_character(app):
    from typing import Annotated
    from pydantic import TypeAdapter
    fields = list(_phone_fields())
    assert len(fields) >= 9  # login, sign-up, codes, staff, setup, 代为登记, SMS contact, walk-ins
    with app.test_request_context():
        for model, name, f in fields:
            ta = TypeAdapter(Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation)
            for typed in ("151 9487 5749", "+86 151 9487 5749", "+86-151-9487-5749"):
                assert ta.validate_python(typed) == "15194875749", (model.__name__, name, typed)
            with pytest.raises(ValidationError) as err:
                ta.validate_python("15194875l49")
            assert "第 9 位是字母 l" in str(err.value), (model.__name__, name)


def test_a_phone_typed_with_spaces_finds_the_person_on_the_people_list(client, db, world):
    from tests.conftest import login
    login(client, world.admin)
    page = client.get("/staff/people?q=138 0000 0101").text  # 王小明
    assert "王小明" in page and "赵阿姨" not in page
    assert "王小明" in client.get("/staff/people?q=%2B86 138-0000-0101").text
