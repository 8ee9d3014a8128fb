"""The one state-machine kernel: every machine is declared on it, its tables stay inside the
model's states, and a move is a compare-and-set with its event row (or a 409 saying why)."""
import ast
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from webapp.models import (BOOKING_STATUSES, PAIRING_STATUSES, PROJECT_STATUSES, ROUND_STATUSES,
                           SESSION_STATUSES, EvaluationEvent, EvaluationRound, PairingEvent)
from webapp.services.errors import Conflict
from webapp.services.kernel import Machine
from webapp.services.lists.states import MACHINES
from webapp.services.pairing.evaluation import ROUND
from webapp.services.pairing.pairings import PAIRING
from webapp.services.wishes.lifecycle import STATUSES, WISH
from webapp.models import COMPLAINT_STATUSES
from webapp.services.voice.complaints import COMPLAINT

ROOT = Path(__file__).resolve().parents[3] / "webapp"

_LISTS = {"Booking": BOOKING_STATUSES, "Project": PROJECT_STATUSES,
          "ProjectSession": SESSION_STATUSES}
ALL = {"Wish": (WISH, STATUSES), "EvaluationRound": (ROUND, ROUND_STATUSES),
       "Pairing": (PAIRING, PAIRING_STATUSES), "Complaint": (COMPLAINT, COMPLAINT_STATUSES),
       **{model.__name__: (m, _LISTS[model.__name__]) for model, m in MACHINES.items()}}
from webapp.models import NOTICE_STATUSES  # noqa: E402  (issue 26: notices of honours)
from webapp.services.ledger.honours import NOTICE  # noqa: E402
ALL["HonourNotice"] = (NOTICE, NOTICE_STATUSES)


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_transition_stays_inside_the_models_states(name):
    machine, states = ALL[name]
    assert isinstance(machine, Machine)
    for action, (froms, to) in machine.table.items():
        assert froms <= set(states), (name, action)
        assert to in states, (name, action)
    # Every state the machine can reach has plain words for the chips and timelines.
    if machine.labels:
        reachable = {to for _f, to in machine.table.values()}
        assert reachable <= set(machine.labels), name


# Rows whose status is plain progress without a timeline of their own, named with the reason.
NOT_MACHINES = {
    "services/admin/imports/service.py": "an import job's progress (queued → checking → done)",
    "services/admin/imports/jobs.py": "an import job's progress, set by the job process",
    "services/admin/imports/people.py": "a 报到 approved as part of an all-or-nothing import",
    "services/wishes/wishes.py": "claims confirmed with their wish, whose move is the compare-and-set",
}


def test_no_status_is_assigned_by_hand_outside_the_kernel():
    """A machine's status changes only through `Machine.move()` (a compare-and-set UPDATE with
    its event row): no service assigns `x.status = …` itself."""
    offenders = []
    for path in (ROOT / "services").rglob("*.py"):
        rel = str(path.relative_to(ROOT))
        if rel in NOT_MACHINES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                    if isinstance(t, ast.Attribute) and t.attr == "status":
                        offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


def test_a_round_closes_once_with_one_event(db, world):
    from webapp.services.pairing import evaluation
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025)
    evaluation.close(db, world.admin, r.id)
    with pytest.raises(Conflict) as e:
        evaluation.close(db, world.admin, r.id)
    assert e.value.code == "already_closed"
    db.rollback()
    events = db.scalars(select(EvaluationEvent.action).where(EvaluationEvent.round_id == r.id)
                        .order_by(EvaluationEvent.id)).all()
    assert events == ["open", "close"]
    assert db.get(EvaluationRound, r.id).closed_at is not None


def test_a_stale_round_is_refused_by_the_update_not_by_python(db, world):
    """Two admins loaded the same open round; the second move finds it closed in the database."""
    from webapp.services.pairing import evaluation
    r = evaluation.open_round(db, world.admin, world.ca.id, 2025)
    ROUND.move(db, r, "close", world.admin.id, None)
    db.commit()
    set_committed_value(r, "status", "open")  # a stale copy's belief; the database says closed
    with pytest.raises(Conflict) as e:
        ROUND.move(db, r, "close", world.admin.id, None)
    assert e.value.code == "already_closed"
    assert r.status == "closed"  # refreshed from the row


def test_a_pairing_ends_once(db, world, make_user):
    from webapp.services.pairing import pairings
    household = world.resident2
    [p] = pairings.pair(db, world.admin, world.member.id, [household.id])
    pairings.end(db, world.admin, p.id, "搬家了")
    with pytest.raises(Conflict) as e:
        pairings.end(db, world.admin, p.id, "再结束一次")
    assert e.value.code == "not_active"
    db.rollback()
    actions = db.scalars(select(PairingEvent.action).where(PairingEvent.pairing_id == p.id)
                         .order_by(PairingEvent.id)).all()
    assert actions == ["pair", "end"]
