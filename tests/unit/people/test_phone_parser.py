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
