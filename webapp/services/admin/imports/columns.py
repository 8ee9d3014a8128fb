"""The columns of each import kind: the template's Chinese headers, aliases Excel lists use,
maximum lengths (those of the database columns) and the example row of the template."""
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template
    aliases: tuple[str, ...]
    max_len: int
    example: str
    required: bool = True  # the header must be there (a value may still be optional)


# Headers street offices' own lists use for the same thing (issue 23 item 3: 楼栋号 and 房号
# were dropped silently). Compared after norm_header (no spaces, brackets or asterisks).
COMMUNITY = ("社区名称", "所属社区", "社区名", "居委会")
GRID = ("网格名称", "所属网格", "网格名", "网格号", "网格编号")
BUILDING = ("楼栋/小区", "小区", "楼号", "楼栋名称", "楼栋号", "楼栋名", "楼栋编号", "栋号",
            "幢号", "楼幢", "楼宇", "所在楼栋", "楼")
ADDRESS = ("门牌", "地址", "门牌号", "住址", "门牌号/地址", "房号", "房间号", "室号", "单元门牌",
           "单元房号", "户号", "详细地址", "家庭住址", "现住址")
PHONE = ("手机", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码", "联系手机",
         "手机号/电话")

KINDS: dict[str, tuple[Column, ...]] = {
    "tree": (
        Column("community", "社区", COMMUNITY, 80, "城西社区"),
        Column("grid", "网格", GRID, 80, "第一网格"),
        Column("building", "楼栋", BUILDING, 80, "1号楼", required=False),
    ),
    "residents": (
        Column("name", "姓名", ("名字", "居民姓名", "户主姓名", "住户姓名"), 40, "王小明"),
        Column("phone", "手机号", PHONE, 11, "13800000000"),
        Column("grid", "网格", GRID, 80, "第一网格"),
        Column("building", "楼栋", BUILDING, 80, "1号楼"),
        Column("address", "门牌/地址", ADDRESS, 120, "3单元502", required=False),
    ),
    "members": (
        Column("name", "姓名", ("名字", "党员姓名"), 40, "李志愿"),
        Column("phone", "手机号", PHONE, 11, "13900000000"),
        Column("unit", "单位", ("工作单位", "所在单位", "单位名称", "工作单位名称"), 80,
               "区人民医院"),
        Column("skills", "特长", ("专长", "技能", "个人特长"), 300, "理发、家电维修",
               required=False),
    ),
}

KIND_LABELS = {"tree": _l("组织树（社区、网格、楼栋）"), "residents": _l("居民名单"),
               "members": _l("党员报到名单")}

_NOTE = re.compile(r"[（(][^）)]*[）)]")  # "手机号（选填）" → "手机号"
_SPACE = re.compile(r"[\s\u3000*＊]+")


def norm_header(value) -> str:
    """A header cell as a comparable key: NFKC, no spaces, no notes in brackets, no asterisks."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _SPACE.sub("", _NOTE.sub("", text)).lower()


def header_map(kind: str) -> dict[str, str]:
    """Normalised header or alias → column key."""
    out = {}
    for col in KINDS[kind]:
        for h in (col.header, *col.aliases):
            out.setdefault(norm_header(h), col.key)
    return out


def column(kind: str, key: str) -> Column:
    """A column of a kind by key."""
    return next(c for c in KINDS[kind] if c.key == key)
