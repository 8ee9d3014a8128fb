"""Issue 23 item 11: the project timeline says what happened in words, in both languages —
never `draft`, `sign unit` or `move_session`."""
import re

from tests.conftest import login
from tests.listsutil import NOW, signed_project
from webapp.models import User
from webapp.schemas.lists import MoveInput
from webapp.services.lists import project_sessions as ps

CODES = re.compile(r"\b(draft|sign|sign unit|sign community|move_session|cancel_session|amend|"
                   r"edit|signed|active)\b")  # the codes as they were shown, lower case


def _timeline(client, p) -> str:
    html = client.get(f"/lists/projects/{p.id}").get_data(as_text=True)
    return html.split('<ol class="timeline">')[1].split("</ol>")[0]


def test_the_timeline_in_words_in_chinese_and_english(client, db, world):
    p = signed_project(db, world)
    s1 = ps.of_project(db, p)[0]
    move = MoveInput.model_validate({"date": "2025-03-09", "start": "14:00", "end": "16:00",
                                     "reason": "场地维修"})
    ps.move(db, world.unit_admin, s1.id, move, now=NOW)
    login(client, world.admin)
    zh = _timeline(client, p)
    assert "项目书已起草" in zh and "签字，等待对方签字" in zh and "双方已签订" in zh
    assert "场次改期" in zh and "场地维修" in zh
    assert not CODES.search(re.sub(r"<[^>]+>", " ", zh)), zh
    db.get(User, world.admin.id).locale = "en"
    db.commit()
    en = _timeline(client, p)
    text = re.sub(r'<span data-user-content>.*?</span>', " ", en)
    assert "Drafted" in text and "Session rescheduled" in text and "both sides have signed" in text
    assert not re.search(r"\b(draft|move_session|sign (unit|community))\b",
                         re.sub(r"<[^>]+>", " ", text)), text
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<[^>]+>", " ", text)), text
