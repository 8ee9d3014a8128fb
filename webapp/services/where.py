"""Small SQL conditions shared by the services."""
from sqlalchemy import false, or_


def in_any(*pairs):
    """`col1 IN ids1 OR col2 IN ids2 …` over the pairs whose ids are not empty (false() when
    all are). An IN of nothing inside the OR left SQLite no index to read: finding one
    community scanned every org of a district (11,000: 1 ms)."""
    conds = [column.in_(ids) for column, ids in pairs if ids]
    return or_(*conds) if conds else false()
