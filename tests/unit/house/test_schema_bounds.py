"""Every whole number a request can carry is bounded in its schema: an id past the database's
integer (2**31 - 1) reached PostgreSQL from POST /api/v1/imports?community=… and answered 500
(the API fuzz found it). Ids are `schemas.Id`; counts and scores carry their own `le=`."""
import importlib
import pkgutil
import typing

import annotated_types as at
import pytest
from pydantic import BaseModel

import webapp.schemas as schemas

pytestmark = pytest.mark.engine_neutral


def _ints(annotation, metadata=()):
    """Yield (is_bounded) for each int the annotation can hold (through Optional, list, Annotated)."""
    if annotation is int:
        yield any(isinstance(m, (at.Le, at.Lt)) for m in metadata)
        return
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        found = list(metadata)
        for e in extra:
            found += list(getattr(e, "metadata", [])) + [e]
        yield from _ints(inner, found)
        return
    for arg in typing.get_args(annotation):
        yield from _ints(arg, metadata)


def _models():
    for info in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"webapp.schemas.{info.name}")
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", obj


def test_every_integer_field_of_every_schema_has_an_upper_bound():
    loose = [f"{where}.{field}" for where, model in _models()
             for field, info in model.model_fields.items()
             if not all(_ints(info.annotation, info.metadata))]
    assert not loose, f"unbounded integers (use schemas.Id or Field(le=…)): {loose}"


def test_the_check_sees_an_unbounded_id():
    class Loose(BaseModel):
        community: typing.Optional[int] = None
    assert not all(_ints(Loose.model_fields["community"].annotation))
    assert all(_ints(typing.Optional[schemas.Id]))
