"""Definitions of the standardised instruments scored by ``shegong.datasets.instruments``.

Ranges, cut-offs and flags follow the domain brief §5. Every cut-off there is tagged [K]
(background knowledge, not checked against a source), so every instrument here has
``verified=False`` and says so in its cut-off note. Item labels are short paraphrases of each
item's content, never the copyrighted wording.

Labels are written as text blocks, one ``中文 | English`` pair per line (or separated by
``;``), so translators can read them side by side; bands are ``code | 中文 | English | low |
high`` lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shegong.datasets.instruments.model import Band, FlagRule, Instrument, Item

UNVERIFIED_ZH = "[K] 待核实：分界值来自背景知识，尚未与原始文献核对。"
UNVERIFIED_EN = "[K] to verify: cut-offs are from background knowledge, not yet checked at source."


def _pairs(block: str) -> tuple[tuple[str, str], ...]:
    """``中文 | English`` pairs from the lines (or ``;``-separated parts) of a text block."""
    pairs = []
    for line in block.splitlines():
        for part in filter(None, (p.strip() for p in line.split(";"))):
            cells = [cell.strip() for cell in part.split(" | ")]
            if len(cells) != 2:
                raise ValueError(f"each label needs 'zh | en': {part!r}")
            pairs.append((cells[0], cells[1]))
    return tuple(pairs)


def _item(
    no: int,
    label: str,
    values: Sequence[int],
    value_labels: str,
    *,
    reverse: bool = False,
    subscale: str | None = None,
) -> Item:
    """One item from a ``中文 | English`` label and one label pair per allowed value."""
    ((zh, en),) = _pairs(label)
    answers = _pairs(value_labels)
    labels_zh, labels_en = tuple(a[0] for a in answers), tuple(a[1] for a in answers)
    return Item(no, zh, en, tuple(values), labels_zh, labels_en, reverse, subscale)


def _scale(
    labels: str,
    values: Sequence[int],
    value_labels: str,
    reverse: Sequence[int] = (),
    subscales: Mapping[str, Sequence[int]] | None = None,
) -> tuple[Item, ...]:
    """Items 1..n sharing one response scale; ``reverse`` and ``subscales`` by item number."""
    where = {no: name for name, nos in (subscales or {}).items() for no in nos}
    return tuple(
        _item(no, f"{zh} | {en}", values, value_labels, reverse=no in reverse,
              subscale=where.get(no))
        for no, (zh, en) in enumerate(_pairs(labels), start=1)
    )  # fmt: skip


def _bands(block: str) -> tuple[Band, ...]:
    """Bands from ``code | 中文 | English | low | high`` lines, low to high."""
    rows = [[cell.strip() for cell in line.split("|")] for line in block.strip().splitlines()]
    return tuple(Band(code, zh, en, float(low), float(high)) for code, zh, en, low, high in rows)


FREQ_2W = (
    "完全没有 | not at all; 有几天 | several days; 一半以上的天数 | more than half the days; "
    "几乎每天 | nearly every day"
)
HELP_3 = "依赖他人 | dependent; 需要帮助 | needs help; 自理 | independent"
HELP_2 = "需要帮助 | needs help; 自理 | independent"

BARTHEL = Instrument(
    id="barthel",
    name_zh="Barthel 指数（日常生活活动能力）",
    name_en="Barthel Index (activities of daily living)",
    population="elder",
    items=(
        _item(1, "进食 | feeding", (0, 5, 10), HELP_3),
        _item(2, "洗澡 | bathing", (0, 5), HELP_2),
        _item(3, "修饰（洗脸、梳头、刷牙） | grooming", (0, 5), HELP_2),
        _item(4, "穿衣 | dressing", (0, 5, 10), HELP_3),
        _item(5, "控制大便 | bowels", (0, 5, 10),
              "失禁 | incontinent; 偶有失禁 | occasional accident; 能控制 | continent"),
        _item(6, "控制小便 | bladder", (0, 5, 10),
              "失禁或需导尿 | incontinent or catheterised; 偶有失禁 | occasional accident; "
              "能控制 | continent"),
        _item(7, "如厕 | toilet use", (0, 5, 10), HELP_3),
        _item(8, "床椅转移 | transfers (bed to chair)", (0, 5, 10, 15), """
              完全依赖，不能坐起 | unable, no sitting balance
              需大量帮助，能坐 | major help, can sit
              需少量帮助或看护 | minor help or supervision
              自理 | independent"""),
        _item(9, "平地行走 | mobility on level surfaces", (0, 5, 10, 15), """
              不能行走 | immobile
              靠轮椅独立活动 | independent in a wheelchair
              需一人帮助步行 | walks with one person's help
              独立步行约 45 米 | walks about 45 m independently"""),
        _item(10, "上下楼梯 | stairs", (0, 5, 10), "不能 | unable; " + HELP_2),
    ),
    bands=_bands("""
        severe | 重度依赖 | severe dependence | 0 | 40
        moderate | 中度依赖 | moderate dependence | 41 | 60
        mild | 轻度依赖 | mild dependence | 61 | 99
        independent | 完全自理 | independent | 100 | 100"""),
    higher_is_worse=False,
    source="Mahoney FI, Barthel DW. Functional evaluation: the Barthel Index. "
    "Md State Med J 1965;14:61-65. Bands: common Chinese clinical grading (domain brief §5.1).",
    cutoff_note_zh="采用常用中文临床分级：100 完全自理，61–99 轻度依赖，41–60 中度依赖，"
    "≤40 重度依赖。旧版 MZ/T 039-2013 的分级为 100 / 65–95 / 45–60 / ≤40。" + UNVERIFIED_ZH,
    cutoff_note_en="Common Chinese clinical grading: 100 independent, 61-99 mild, 41-60 "
    "moderate, <=40 severe dependence. The old MZ/T 039-2013 grading was 100 / 65-95 / 45-60 "
    "/ <=40. " + UNVERIFIED_EN,
    verified=False,
)  # fmt: skip

IADL = Instrument(
    id="iadl",
    name_zh="Lawton-Brody 工具性日常生活活动量表",
    name_en="Lawton-Brody Instrumental Activities of Daily Living",
    population="elder",
    items=_scale(
        """
        使用电话 | using the telephone
        购物 | shopping
        准备饭菜 | food preparation
        做家务 | housekeeping
        洗衣 | laundry
        外出乘车 | transport
        自己服药 | own medication
        管理钱财 | handling finances""",
        (0, 1),
        "需要帮助或不能 | needs help or unable; 能独立完成 | independent",
    ),
    bands=_bands("""
        most_help | 多数项目需要帮助 | needs help with most | 0 | 2
        some_help | 部分项目需要帮助 | needs help with several | 3 | 5
        little_help | 少数项目需要帮助 | needs help with one or two | 6 | 7
        independent | 全部独立 | independent in all eight | 8 | 8"""),
    higher_is_worse=False,
    source="Lawton MP, Brody EM. Assessment of older people: self-maintaining and "
    "instrumental activities of daily living. Gerontologist 1969;9(3):179-186.",
    cutoff_note_zh="本量表没有通用分界值；这里的分段只是描述性的（0–2 / 3–5 / 6–7 / 8），"
    "不能当作诊断或资格标准。每项按原表各自的独立标准记 0 或 1。" + UNVERIFIED_ZH,
    cutoff_note_en="There is no universal cut-off; these bands (0-2 / 3-5 / 6-7 / 8) are "
    "descriptive only, not a diagnosis or eligibility rule. Each domain scores 1 when the "
    "form's own independence level for it is met. " + UNVERIFIED_EN,
    verified=False,
)

GDS15 = Instrument(
    id="gds15",
    name_zh="老年抑郁量表简版（GDS-15）",
    name_en="Geriatric Depression Scale, 15 items",
    population="elder",
    items=_scale(
        """
        对生活基本满意 | satisfied with life
        放弃了许多活动和兴趣 | dropped many activities and interests
        觉得生活空虚 | life feels empty
        常感到厌烦 | often bored
        大部分时间精神好 | in good spirits most of the time
        担心会有坏事发生 | afraid something bad will happen
        大部分时间感到快乐 | happy most of the time
        常感到无助 | often helpless
        宁愿待在家里不出门 | prefers staying at home
        觉得记性比多数人差 | more memory problems than most
        觉得活着很好 | feels it is good to be alive
        觉得自己现在没什么价值 | feels worthless now
        精力充沛 | full of energy
        觉得处境没有希望 | situation feels hopeless
        觉得多数人比自己过得好 | most people seem better off""",
        (0, 1),
        "否 | no; 是 | yes",
        reverse=(1, 5, 7, 11, 13),
    ),
    bands=_bands("""
        normal | 无明显抑郁 | no depression indicated | 0 | 4
        possible_depression | 提示可能抑郁 | suggests depression | 5 | 15"""),
    higher_is_worse=True,
    source="Sheikh JI, Yesavage JA. Geriatric Depression Scale (GDS): recent evidence and "
    "development of a shorter version. Clin Gerontol 1986;5(1-2):165-173.",
    cutoff_note_zh="原始答案 1 = 是，0 = 否；第 1、5、7、11、13 题反向计分（答“是”记 0 分）。"
    "≥5 分提示可能抑郁（也有研究用 >5）；筛查结果不是诊断。" + UNVERIFIED_ZH,
    cutoff_note_en="Raw answers 1 = yes, 0 = no; items 1, 5, 7, 11 and 13 are reverse-keyed "
    "('yes' scores 0). A total >= 5 suggests depression (some studies use > 5); a screen, "
    "not a diagnosis. " + UNVERIFIED_EN,
    verified=False,
)

PHQ9 = Instrument(
    id="phq9",
    name_zh="患者健康问卷抑郁量表（PHQ-9）",
    name_en="Patient Health Questionnaire-9",
    population="adult",
    items=_scale(
        """
        做事缺乏兴趣或乐趣 | little interest or pleasure
        情绪低落或绝望 | feeling down or hopeless
        睡眠问题 | sleep problems
        疲倦、没有精力 | tired, little energy
        食欲问题 | appetite problems
        觉得自己很糟 | feeling bad about oneself
        难以集中注意力 | trouble concentrating
        动作或说话变慢，或坐立不安 | slowed down or restless
        有伤害自己的念头 | thoughts of self-harm""",
        (0, 1, 2, 3),
        FREQ_2W,
    ),
    bands=_bands("""
        minimal | 无或极轻微 | minimal | 0 | 4
        mild | 轻度 | mild | 5 | 9
        moderate | 中度 | moderate | 10 | 14
        moderately_severe | 中重度 | moderately severe | 15 | 19
        severe | 重度 | severe | 20 | 27"""),
    higher_is_worse=True,
    source="Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
    "severity measure. J Gen Intern Med 2001;16(9):606-613.",
    cutoff_note_zh="分界 5 / 10 / 15 / 20；≥10 为常用筛查阳性线。第 9 题只要大于 0，"
    "必须启动安全预案（见标记 self_harm）。" + UNVERIFIED_ZH,
    cutoff_note_en="Cut-offs 5 / 10 / 15 / 20; >= 10 is the usual positive screen. Any item-9 "
    "score above 0 must start the safety protocol (flag self_harm). " + UNVERIFIED_EN,
    verified=False,
    flag_rules=(FlagRule("self_harm", item=9, at_least=1),),
)

GAD7 = Instrument(
    id="gad7",
    name_zh="广泛性焦虑量表（GAD-7）",
    name_en="Generalised Anxiety Disorder-7",
    population="adult",
    items=_scale(
        """
        感到紧张或焦虑 | nervous or on edge
        无法停止或控制担忧 | cannot stop or control worrying
        对各种事情过分担忧 | worrying too much about different things
        很难放松 | trouble relaxing
        坐立不安 | restless
        容易烦躁或易怒 | easily annoyed or irritable
        害怕会有可怕的事发生 | afraid something awful might happen""",
        (0, 1, 2, 3),
        FREQ_2W,
    ),
    bands=_bands("""
        minimal | 无或极轻微 | minimal | 0 | 4
        mild | 轻度 | mild | 5 | 9
        moderate | 中度 | moderate | 10 | 14
        severe | 重度 | severe | 15 | 21"""),
    higher_is_worse=True,
    source="Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing "
    "generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097.",
    cutoff_note_zh="分界 5 / 10 / 15；≥10 为常用筛查阳性线。" + UNVERIFIED_ZH,
    cutoff_note_en="Cut-offs 5 / 10 / 15; >= 10 is the usual positive screen. " + UNVERIFIED_EN,
    verified=False,
)

UCLA3 = Instrument(
    id="ucla3",
    name_zh="UCLA 孤独感量表（3 题版）",
    name_en="UCLA Loneliness Scale, 3 items",
    population="adult",
    items=_scale(
        "觉得缺少陪伴 | lacks companionship; 觉得被冷落 | feels left out; "
        "觉得与他人隔绝 | feels isolated from others",
        (1, 2, 3),
        "几乎没有 | hardly ever; 有时 | some of the time; 经常 | often",
    ),
    bands=_bands("""
        not_lonely | 不孤独 | not lonely | 3 | 5
        lonely | 孤独 | lonely | 6 | 9"""),
    higher_is_worse=True,
    source="Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
    "loneliness in large surveys. Res Aging 2004;26(6):655-672.",
    cutoff_note_zh="≥6 分常被用作“孤独”的分界，并非统一标准。" + UNVERIFIED_ZH,
    cutoff_note_en="A total >= 6 is often used for 'lonely'; it is not a fixed standard. "
    + UNVERIFIED_EN,
    verified=False,
)

ZBI22 = Instrument(
    id="zbi22",
    name_zh="Zarit 照顾者负担量表（ZBI-22）",
    name_en="Zarit Burden Interview, 22 items",
    population="caregiver",
    items=(
        *_scale(
            """
            觉得对方要求的帮助超过需要 | relative asks for more help than needed
            没有足够时间留给自己 | not enough time for yourself
            照顾与其他责任两头为难 | stressed between caring and other duties
            对对方的行为感到难堪 | embarrassed by the relative's behaviour
            在对方身边感到生气 | angry around the relative
            照顾影响了与家人朋友的关系 | caring strains other relationships
            担心对方的将来 | afraid for the relative's future
            觉得对方依赖自己 | relative depends on you
            在对方身边感到紧张 | strained around the relative
            健康因照顾受影响 | your health has suffered
            缺少个人隐私 | not enough privacy
            社交生活受影响 | social life has suffered
            不愿请朋友来家 | uneasy having friends visit
            对方只指望自己照顾 | relative expects only you to care
            照顾的钱不够 | not enough money for caring
            觉得快要照顾不下去 | unable to care much longer
            觉得失去了对生活的掌控 | lost control of your life
            希望把照顾交给别人 | wish to hand the caring to someone else
            不知该怎么照顾 | unsure what to do
            觉得应该做得更多 | should be doing more
            觉得可以做得更好 | could do a better job""",
            (0, 1, 2, 3, 4),
            "从不 | never; 很少 | rarely; 有时 | sometimes; 经常 | quite frequently; "
            "几乎总是 | nearly always",
        ),
        _item(22, "总体上感到照顾负担重 | overall burden of caring", (0, 1, 2, 3, 4),
              "完全没有 | not at all; 轻度 | a little; 中度 | moderately; 较重 | quite a bit; "
              "极重 | extremely"),
    ),
    bands=_bands("""
        little | 无或轻微负担 | little or no burden | 0 | 20
        mild_moderate | 轻到中度负担 | mild to moderate burden | 21 | 40
        moderate_severe | 中到重度负担 | moderate to severe burden | 41 | 60
        severe | 重度负担 | severe burden | 61 | 88"""),
    higher_is_worse=True,
    source="Zarit SH, Reever KE, Bach-Peterson J. Relatives of the impaired elderly: "
    "correlates of feelings of burden. Gerontologist 1980;20(6):649-655 (22-item version); "
    "bands as commonly used (domain brief §5.1).",
    cutoff_note_zh="分段：<21 无或轻微，21–40 轻到中度，41–60 中到重度，>60 重度。"
    "第 22 题是总体负担题，选项“完全没有”至“极重”同样记 0–4 分。" + UNVERIFIED_ZH,
    cutoff_note_en="Bands: < 21 little, 21-40 mild to moderate, 41-60 moderate to severe, "
    "> 60 severe. Item 22 is the global burden item; its options ('not at all' to "
    "'extremely') also score 0-4. " + UNVERIFIED_EN,
    verified=False,
)  # fmt: skip

SSRS_SUPPORT = "无 | none; 极少 | very little; 一般 | some; 全力支持 | full support"
SSRS_COUNT = "无任何来源 | no source; 1 个来源 | 1 source; " + "; ".join(
    f"{n} 个来源 | {n} sources" for n in range(2, 10)
)
SSRS_CONCERN = "互不关心 | no mutual concern; 有困难时或许稍有关心 | some concern in trouble; "
SSRS_FAMILY = (
    (5, "A", "夫妻（恋人）", "spouse or partner"),
    (11, "B", "父母", "parents"),
    (12, "C", "儿女", "children"),
    (13, "D", "兄弟姐妹", "siblings"),
    (14, "E", "其他家庭成员", "other family members"),
)


def _ssrs_items() -> tuple[Item, ...]:
    """SSRS items 1-10 as printed, with sub-items 5(B)-5(E) numbered 11-14."""
    scale4 = (1, 2, 3, 4)
    family = tuple(
        _item(
            no,
            f"5({letter}) 家庭支持：{zh} | 5({letter}) family support: {en}",
            scale4,
            SSRS_SUPPORT,
            subscale="subjective",
        )
        for no, letter, zh, en in SSRS_FAMILY
    )
    items = (
        _item(
            1,
            "可得到支持和帮助的密友数 | close friends who give support and help",
            scale4,
            "一个也没有 | none; 1–2 个 | 1-2; 3–5 个 | 3-5; 6 个或以上 | 6 or more",
            subscale="subjective",
        ),
        _item(
            2,
            "近一年的居住情况 | living arrangement in the past year",
            scale4,
            """
              远离家人独居 | alone, away from family
              住处常变动，多与陌生人同住 | moves often, mostly among strangers
              与同学、同事或朋友同住 | with classmates, colleagues or friends
              与家人同住 | with family""",
            subscale="objective",
        ),
        _item(
            3,
            "与邻居的关系 | relations with neighbours",
            scale4,
            SSRS_CONCERN + "有些邻居很关心 | some care a lot; 多数邻居很关心 | most care a lot",
            subscale="subjective",
        ),
        _item(
            4,
            "与同事的关系 | relations with colleagues",
            scale4,
            SSRS_CONCERN + "有些同事很关心 | some care a lot; 多数同事很关心 | most care a lot",
            subscale="subjective",
        ),
        _item(
            6,
            "急难时经济与实际帮助的来源数 | sources of money or practical help in a crisis",
            range(10),
            SSRS_COUNT,
            subscale="objective",
        ),
        _item(
            7,
            "急难时安慰与关心的来源数 | sources of comfort and concern in a crisis",
            range(10),
            SSRS_COUNT,
            subscale="objective",
        ),
        _item(
            8,
            "遇到烦恼时的倾诉方式 | confiding when troubled",
            scale4,
            """
              从不向人倾诉 | never confides
              只向一两个密友倾诉 | only to 1-2 close people
              朋友问起才说 | if friends ask
              主动倾诉以求支持 | confides to seek support""",
            subscale="utilisation",
        ),
        _item(
            9,
            "遇到烦恼时的求助方式 | seeking help when troubled",
            scale4,
            """
              只靠自己 | relies only on self
              很少求助 | seldom asks
              有时求助 | sometimes asks
              经常向亲友或组织求助 | often asks family, friends or groups""",
            subscale="utilisation",
        ),
        _item(
            10,
            "参加团体活动 | taking part in group activities",
            scale4,
            "从不参加 | never; 偶尔参加 | occasionally; 经常参加 | often; "
            "主动参加并积极活动 | actively takes part",
            subscale="utilisation",
        ),
    )
    return tuple(sorted(items + family, key=lambda item: item.no))  # fmt: skip


SSRS = Instrument(
    id="ssrs",
    name_zh="社会支持评定量表（SSRS，肖水源）",
    name_en="Social Support Rating Scale (Xiao Shuiyuan)",
    population="all",
    items=_ssrs_items(),
    bands=_bands("""
        low | 社会支持低 | low support | 12 | 22
        medium | 社会支持中等 | medium support | 23 | 44
        high | 社会支持高 | high support | 45 | 66"""),
    higher_is_worse=False,
    source="肖水源.《社会支持评定量表》的理论基础与研究应用. 临床精神医学杂志 "
    "1994;4(2):98-100. Item scoring as printed with the scale (secondary copies); "
    "bands: domain brief §5.3.",
    cutoff_note_zh="计分：第 1–4、8–10 题记 1–4 分；第 5 题分 A–E 五个子项（夫妻、父母、"
    "儿女、兄弟姐妹、其他成员），各记 1–4 分，本平台把 5(A) 记为第 5 题、5(B)–5(E) "
    "记为第 11–14 题；第 6、7 题“无任何来源”记 0 分，否则有几个来源记几分（0–9）。"
    "维度：客观支持 = 2、6、7；主观支持 = 1、3、4、5；支持利用度 = 8、9、10。"
    "总分 12–66；分段 ≤22 低、23–44 中、≥45 高。维度划分与来源数上限须对照 1994 年"
    "原文核实（有的印本只列 8 个来源）。" + UNVERIFIED_ZH,
    cutoff_note_en="Scoring: items 1-4 and 8-10 score 1-4; item 5 has five sub-items A-E "
    "(spouse, parents, children, siblings, other family), each 1-4; here 5(A) is item 5 and "
    "5(B)-5(E) are items 11-14. Items 6 and 7 score 0 for 'no source', else the number of "
    "sources ticked (0-9). Dimensions: objective = 2, 6, 7; subjective = 1, 3, 4, 5; "
    "utilisation = 8, 9, 10. Total 12-66; bands <= 22 low, 23-44 medium, >= 45 high. Check "
    "the dimension mapping and the number of sources against the 1994 text (some printings "
    "list 8 sources). " + UNVERIFIED_EN,
    verified=False,
)

SDQ = Instrument(
    id="sdq",
    name_zh="长处和困难问卷（SDQ，自评 11–17 岁）",
    name_en="Strengths and Difficulties Questionnaire (self-report, 11-17)",
    population="child",
    items=_scale(
        """
        关心别人的感受 | considerate of others
        好动、坐不住 | restless, overactive
        常头痛、肚子痛或恶心 | frequent aches or sickness
        乐于分享 | shares readily
        常发脾气 | loses temper
        常独处 | mostly alone
        通常听从要求 | usually does as asked
        常担忧 | many worries
        有人受伤或难过时帮忙 | helps when someone is hurt or upset
        坐立不安、扭来扭去 | fidgety
        至少有一个好朋友 | has at least one good friend
        打架或欺负人 | fights or bullies
        常不开心 | often unhappy
        同龄人通常喜欢自己 | generally liked by peers
        容易分心 | easily distracted
        在新环境中紧张 | nervous in new situations
        善待年纪小的孩子 | kind to younger children
        被说撒谎或欺骗 | accused of lying or cheating
        被欺负或取笑 | picked on or bullied
        主动帮助别人 | volunteers to help
        做事前先想 | thinks before acting
        拿不属于自己的东西 | takes things not theirs
        与大人比与同龄人相处好 | gets on better with adults than peers
        害怕的事很多 | many fears
        做事能专心到底 | finishes tasks, good attention""",
        (0, 1, 2),
        "不符合 | not true; 有点符合 | somewhat true; 完全符合 | certainly true",
        reverse=(7, 11, 14, 21, 25),
        subscales={
            "emotional": (3, 8, 13, 16, 24),
            "conduct": (5, 7, 12, 18, 22),
            "hyperactivity": (2, 10, 15, 21, 25),
            "peer": (6, 11, 14, 19, 23),
            "prosocial": (1, 4, 9, 17, 20),
        },
    ),
    bands=_bands("""
        normal | 正常 | normal | 0 | 15
        borderline | 临界 | borderline | 16 | 19
        abnormal | 异常 | abnormal | 20 | 40"""),
    higher_is_worse=True,
    source="Goodman R. The Strengths and Difficulties Questionnaire: a research note. "
    "J Child Psychol Psychiatry 1997;38(5):581-586; scoring and original three-band "
    "cut-offs as published with the questionnaire.",
    cutoff_note_zh="困难总分 = 情绪、品行、多动、同伴四个分量表之和（0–40），不含亲社会"
    "分量表。第 7、11、14、21、25 题反向计分。自评（11–17 岁）原始三段：0–15 正常、"
    "16–19 临界、20–40 异常；家长版为 0–13 / 14–16 / 17–40，教师版为 0–11 / 12–15 / "
    "16–40。上海有中文常模，尚未采用。" + UNVERIFIED_ZH,
    cutoff_note_en="Total difficulties = emotional + conduct + hyperactivity + peer (0-40); "
    "prosocial is excluded. Items 7, 11, 14, 21 and 25 are reverse-scored. Self-report "
    "(11-17) original bands: 0-15 normal, 16-19 borderline, 20-40 abnormal; parent report "
    "0-13 / 14-16 / 17-40; teacher report 0-11 / 12-15 / 16-40. Shanghai Chinese norms "
    "exist and are not used yet. " + UNVERIFIED_EN,
    verified=False,
    total_excludes=("prosocial",),
)

RSES = Instrument(
    id="rses",
    name_zh="Rosenberg 自尊量表（RSES）",
    name_en="Rosenberg Self-Esteem Scale",
    population="child",
    items=_scale(
        """
        总体上对自己满意 | satisfied with self overall
        有时觉得自己一无是处 | sometimes feels no good
        觉得自己有不少优点 | has a number of good qualities
        能像多数人一样把事做好 | can do things as well as most
        觉得没什么可骄傲的 | little to be proud of
        有时觉得自己没用 | feels useless at times
        觉得自己是有价值的人 | a person of worth
        希望能更尊重自己 | wishes for more self-respect
        倾向于觉得自己是失败者 | inclined to feel a failure
        对自己持积极态度 | positive attitude to self""",
        (1, 2, 3, 4),
        "非常不同意 | strongly disagree; 不同意 | disagree; 同意 | agree; "
        "非常同意 | strongly agree",
        reverse=(2, 5, 6, 8, 9),
    ),
    bands=_bands("""
        lower | 自尊偏低 | lower self-esteem | 10 | 24
        middle | 自尊中等 | middle self-esteem | 25 | 35
        higher | 自尊偏高 | higher self-esteem | 36 | 40"""),
    higher_is_worse=False,
    source="Rosenberg M. Society and the Adolescent Self-Image. Princeton University Press, 1965.",
    cutoff_note_zh="没有通用分界值；这里的分段（10–24 / 25–35 / 36–40，即 0–30 计分常用的 "
    "15 与 25 各加 10）只作描述。第 2、5、6、8、9 题反向计分。中文版第 8 题措辞有已知问题，"
    "有研究改为正向计分，本平台仍按原表反向计分。" + UNVERIFIED_ZH,
    cutoff_note_en="No universal cut-off; these bands (10-24 / 25-35 / 36-40, i.e. the 15 and "
    "25 often quoted for 0-30 scoring plus 10) are descriptive only. Items 2, 5, 6, 8 and 9 "
    "are reverse-scored. The Chinese wording of item 8 is a known problem and some studies "
    "score it positively; here it stays reverse-scored as in the original. " + UNVERIFIED_EN,
    verified=False,
)

APGAR = Instrument(
    id="apgar",
    name_zh="家庭关怀度指数（Family APGAR）",
    name_en="Family APGAR",
    population="all",
    items=_scale(
        """
        适应度：困难时能得到家人帮助 | adaptation: help from family in trouble
        合作度：家人与我商量并分担问题 | partnership: family talks things over with me
        成长度：家人支持我尝试新事物 | growth: family supports new activities
        情感度：家人关心并回应我的情绪 | affection: family responds to my emotions
        亲密度：家人与我共度时光 | resolve: family shares time with me""",
        (0, 1, 2),
        "几乎很少 | hardly ever; 有时 | some of the time; 经常 | almost always",
    ),
    bands=_bands("""
        severe_dysfunction | 家庭功能严重障碍 | severe family dysfunction | 0 | 3
        moderate_dysfunction | 家庭功能中度障碍 | moderate family dysfunction | 4 | 6
        good | 家庭功能良好 | good family function | 7 | 10"""),
    higher_is_worse=False,
    source="Smilkstein G. The family APGAR: a proposal for a family function test and its "
    "use by physicians. J Fam Pract 1978;6(6):1231-1239.",
    cutoff_note_zh="分段：7–10 良好，4–6 中度障碍，0–3 严重障碍；也可用于成人。" + UNVERIFIED_ZH,
    cutoff_note_en="Bands: 7-10 good, 4-6 moderate dysfunction, 0-3 severe dysfunction; "
    "usable for adults too. " + UNVERIFIED_EN,
    verified=False,
)

K10 = Instrument(
    id="k10",
    name_zh="Kessler 心理困扰量表（K10）",
    name_en="Kessler Psychological Distress Scale (K10)",
    population="adult",
    items=_scale(
        """
        无缘无故感到疲惫 | tired out for no good reason
        感到紧张 | nervous
        紧张得无法平静 | too nervous to calm down
        感到绝望 | hopeless
        坐立不安 | restless or fidgety
        烦躁得坐不住 | too restless to sit still
        感到抑郁 | depressed
        做什么都费力 | everything an effort
        难过得高兴不起来 | too sad to be cheered up
        觉得自己没有价值 | worthless""",
        (1, 2, 3, 4, 5),
        "从不 | none of the time; 很少 | a little of the time; 有时 | some of the time; "
        "大部分时间 | most of the time; 一直 | all of the time",
    ),
    bands=_bands("""
        low | 低 | low | 10 | 15
        moderate | 中 | moderate | 16 | 21
        high | 高 | high | 22 | 29
        very_high | 很高 | very high | 30 | 50"""),
    higher_is_worse=True,
    source="Kessler RC et al. Short screening scales to monitor population prevalences and "
    "trends in non-specific psychological distress. Psychol Med 2002;32(6):959-976; "
    "bands: Australian population-survey bands (domain brief §5.3).",
    cutoff_note_zh="澳大利亚分段：10–15 低，16–21 中，22–29 高，30–50 很高。" + UNVERIFIED_ZH,
    cutoff_note_en="Australian bands: 10-15 low, 16-21 moderate, 22-29 high, 30-50 very high. "
    + UNVERIFIED_EN,
    verified=False,
)

WHO5 = Instrument(
    id="who5",
    name_zh="世界卫生组织五项身心健康指标（WHO-5）",
    name_en="WHO-5 Well-Being Index",
    population="all",
    items=_scale(
        """
        心情愉快 | cheerful, in good spirits
        平静放松 | calm and relaxed
        有活力 | active and vigorous
        醒来感到清新 | woke up fresh and rested
        日常生活中有感兴趣的事 | daily life filled with things of interest""",
        (0, 1, 2, 3, 4, 5),
        "从未有过 | at no time; 偶尔 | some of the time; 少于一半时间 | less than half of the "
        "time; 超过一半时间 | more than half of the time; 大部分时间 | most of the time; "
        "所有时间 | all of the time",
    ),
    bands=_bands("""
        likely_depression | 可能抑郁 | likely depression | 0 | 28
        poor | 身心健康较差 | poor wellbeing | 29 | 50
        adequate | 身心健康尚可 | adequate wellbeing | 51 | 100"""),
    higher_is_worse=False,
    source="Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a "
    "systematic review of the literature. Psychother Psychosom 2015;84(3):167-176.",
    cutoff_note_zh="总分 = 原始分（0–25）× 4，得 0–100。≤28 可能抑郁（标记 "
    "who5_depression_screen），≤50 身心健康较差。" + UNVERIFIED_ZH,
    cutoff_note_en="Total = raw score (0-25) x 4, giving 0-100. <= 28 likely depression (flag "
    "who5_depression_screen), <= 50 poor wellbeing. " + UNVERIFIED_EN,
    verified=False,
    multiplier=4,
    flag_rules=(FlagRule("who5_depression_screen", at_most=28),),
)

ALL: tuple[Instrument, ...] = (
    *(BARTHEL, IADL, GDS15, PHQ9, GAD7, UCLA3, SSRS),
    *(ZBI22, SDQ, RSES, APGAR, K10, WHO5),
)
