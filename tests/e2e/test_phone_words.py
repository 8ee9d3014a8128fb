"""Words on a phone (issue 23 item 11). Elder mode keeps a page title's words whole: at 360 px
and 20 px text a title squeezed beside its links broke inside a word (待审核的心|愿); every CJK
word of an h1 (as Chromium's Intl.Segmenter finds them) lies on one line unless it is wider
than the title. Tables whose rows carry 撤销 or 更正 are cards on a phone, the action in reach
without scrolling sideways."""
from tests.e2e.test_screens import NARROW, _login

# Each word of every visible h1 whose pieces land on more than one line, although it would fit.
SPLIT_TITLES = r"""() => {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  const out = [];
  for (const h of document.querySelectorAll('h1')) {
    if (!h.checkVisibility()) continue;
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const s of seg.segment(n.data)) {
        if (!s.isWordLike || s.segment.length < 2 || !/[\u3400-\u9fff]/.test(s.segment)) continue;
        const r = document.createRange();
        r.setStart(n, s.index);
        r.setEnd(n, s.index + s.segment.length);
        const rects = [...r.getClientRects()].filter((x) => x.width > 0);
        const tops = new Set(rects.map((x) => Math.round(x.top)));
        const width = rects.reduce((a, x) => a + x.width, 0);
        if (tops.size > 1 && width <= h.clientWidth) {
          out.push(h.textContent.trim().replace(/\s+/g, ' ').slice(0, 30) + ' | ' + s.segment);
        }
      }
    }
  }
  return out;
}"""

PAGES = ["/staff/backlog", "/admin/imports", "/staff/people", "/admin/registrations",
         "/settings/notifications", "/staff/log", "/admin/wishes", "/admin/review",
         "/staff/tree", "/ledger/"]


def test_elder_titles_keep_their_words_whole(new_context, site, db, world):
    world.admin.elder_mode = True
    db.commit()
    page = new_context(viewport=NARROW, service_workers="block").new_page()
    _login(page, world.admin)
    split = {}
    for url in PAGES:
        assert page.goto(url).status == 200, url
        if bad := page.evaluate(SPLIT_TITLES):
            split[url] = bad
    assert not split, split


# The right edge of every visible control in the table, and whether its wrapper scrolls.
REACH = """(sel) => {
  const t = document.querySelector(sel);
  const wrap = t.closest('.table-wrap');
  const ctl = [...t.querySelectorAll('button, summary')].filter((e) => e.checkVisibility());
  return { n: ctl.length, right: Math.max(...ctl.map((e) => e.getBoundingClientRect().right)),
           scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false,
           vw: document.documentElement.clientWidth };
}"""


def test_undo_and_correct_are_in_reach_on_a_phone(new_context, site, db, world, make_wish):
    make_wish("closed", estimated_hours=1.5, volunteers=[world.member])  # a ledger entry
    page = new_context(viewport=NARROW, service_workers="block").new_page()
    _login(page, world.admin)
    for url, table in (("/ledger/", "#ledger-entries"), ("/staff/team", "#staff-members")):
        assert page.goto(url).status == 200, url
        got = page.evaluate(REACH, table)
        assert got["n"] >= 1 and got["right"] <= got["vw"] and not got["scrolls"], (url, got)
