"""Surname stroke order (姓氏笔画): candidates are listed by the stroke count of the surname's
first character, in the simplified standard forms.

The table covers the common surnames; a name whose first character is not in it sorts after all
known ones, then by the name itself. Within the same count names sort by their characters.
"""

from __future__ import annotations

_TABLE = {
    2: "丁卜刁",
    3: "于万马卫门干",
    4: "王尹孔毛方文牛韦邓车卞仇尤巴计戈元井丰支云区亓乌公亢勾",
    5: "石龙卢叶田白冯史包甘左司皮边印宁兰乐申付艾冉古平母玉由丛邝厉仝帅",
    6: "刘江孙朱许吕乔任汤庄关齐向伍安华纪阮闫米祁牟师全曲成池邢毕仲戎权阳农吉邬巩匡伊朴羊伏危那衣阴尧闭",
    7: "李杨吴何宋沈张陈邹杜苏汪余严肖邱佘麦芦花劳谷冷巫连时应辛况邵岑沙闵利来陆佟迟豆位初芮邸阿邰冶束但狄",
    8: "林周郑罗金武孟范易房官庞卓季岳屈尚宗欧苗明和郁於杭苟茅郎单幸苑练国冼呼居奉",
    9: "胡赵钟姜段侯俞施洪姚贺骆祝柳费荣饶查柏郝胥信宫项闻封禹姬柯娄荆南郜宣相修茹战哈昝祖",
    10: "郭徐高唐袁夏顾秦倪钱殷聂桂耿晏班柴党莫贾晋凌翁栾奚原席谈容涂陶桑诸敖索栗海卿晁都浦宾展",
    11: "黄梁曹萧崔康盛章商麻梅阎常符隋戚龚寇扈鹿盘尉屠谌盖逯隆宿银",
    12: "程彭董蒋韩谢曾傅焦覃童舒葛喻温鲁游粟储嵇揭惠景强敬普辜湛斯智植富",
    13: "雷蒲赖詹蓝靳路虞楚解简鲍窦褚阙蒙雍甄鄢楼满廉裘",
    14: "蔡廖谭熊裴翟管谯臧缪赫慕蔺阚漆鲜",
    15: "潘黎滕樊颜",
    16: "薛霍穆燕冀衡薄",
    17: "戴魏鞠檀",
    18: "瞿",
}

SURNAME_STROKES: dict[str, int] = {char: count for count, chars in _TABLE.items() for char in chars}

UNKNOWN = 99


def surname_strokes(name: str) -> int:
    """The stroke count of the first character of ``name``; ``UNKNOWN`` if not in the table."""
    name = (name or "").strip()
    if not name:
        return UNKNOWN
    return SURNAME_STROKES.get(name[0], UNKNOWN)


def stroke_key(name: str) -> tuple[int, str]:
    name = (name or "").strip()
    return (surname_strokes(name), name)


def stroke_order(items, name=lambda item: item):
    """``items`` sorted in surname stroke order; ``name`` gives each item's name."""
    return sorted(items, key=lambda item: stroke_key(name(item)))
