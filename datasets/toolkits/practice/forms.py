"""Observation checklists, record templates, a worker's open cases, interviewing skills' names."""

from __future__ import annotations

import pandas as pd

from shegong.datasets.toolkits.casework.labels import PERIOD_END, pseudonym
from shegong.datasets.toolkits.practice.world import BLANK, PracticeError, World, _t
from shegong.messages import Lang

# ------------------------------------------------------------------ checklists and templates

CHECKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "interview": (
        (
            "开场：自我介绍、说明来意、时间和保密的范围与例外",
            "Opening: who you are, why you came, the time, what stays confidential and its limits",
        ),
        (
            "倾听：不打断，用点头和简短回应表示在听",
            "Listening: no interrupting; nods and short responses show you follow",
        ),
        (
            "同理：说出对方的感受和原因（“你觉得……，因为……”）",
            'Empathy: name the feeling and its reason ("you feel ... because ...")',
        ),
        (
            "澄清：对含糊的话追问具体的人、事、时间",
            "Clarifying: ask for the who, what and when behind vague words",
        ),
        (
            "摘要：用自己的话归纳对方说的要点，请对方确认",
            "Summarising: sum up the main points in your words and check them",
        ),
        (
            "对质：温和地指出前后不一致之处，不指责",
            "Confronting: gently point out a mismatch, without blame",
        ),
        ("提问以开放式为主，一次只问一件事", "Mostly open questions, one at a time"),
        (
            "没有说教、承诺做不到的事或替对方做决定",
            "No lecturing, no promises you cannot keep, no deciding for the client",
        ),
        (
            "结束：小结今天的内容，约定下一步和下次见面",
            "Closing: sum up today, agree next steps and the next meeting",
        ),
    ),
    "home_visit": (
        (
            "出发前：看过个案档案、告知同事去向和预计返回时间",
            "Before leaving: read the file; tell a colleague where you go and when you return",
        ),
        (
            "两人同行或请村干部陪同（首次走访、有冲突史的家庭）",
            "Go in pairs or with a village cadre (first visits, homes with a history of conflict)",
        ),
        (
            "进门前观察环境：狗、陡坡、醉酒或争吵的声音",
            "Look before entering: dogs, steep paths, drunkenness or shouting",
        ),
        (
            "居住条件：采光、取暖、饮水、厕所、防跌倒",
            "Living conditions: light, heating, water, toilet, fall hazards",
        ),
        (
            "身体与照顾：行动、进食、用药、卫生、有没有人照看",
            "Body and care: mobility, food, medicines, hygiene, who looks in",
        ),
        (
            "情绪与关系：说话的样子、提到的人、家人在场时的变化",
            "Mood and ties: how they speak, who they mention, changes when family is present",
        ),
        (
            "安全信号：伤痕、害怕某位家人、药物或农药随手可得",
            "Safety signs: bruises, fear of a family member, pesticide or pills within reach",
        ),
        (
            "离开前约定下一步；当天写走访记录",
            "Agree next steps before leaving; write the visit record the same day",
        ),
    ),
    "safety_plan": (
        (
            "直接问：“你有没有想过结束自己的生命？”",
            'Ask directly: "Have you thought about ending your life?"',
        ),
        (
            "问清想法、计划、手段和时间，不回避、不评判",
            "Ask about thoughts, a plan, the means and timing, calmly and without judging",
        ),
        (
            "和对方一起找出预警信号和能让自己缓下来的办法",
            "Find warning signs and ways to calm down, together",
        ),
        (
            "列出可以联系的人：家人、邻居、村医、社工、热线",
            "People to contact: family, a neighbour, the village doctor, the worker, a hotline",
        ),
        (
            "让危险的手段远离：农药、药物、绳索交给家人保管",
            "Put means out of reach: pesticide, pills, ropes kept by family",
        ),
        (
            "说明这属于保密的例外：会告诉督导和必要的人",
            "Explain the limit of confidentiality: the supervisor and those needed will be told",
        ),
        (
            "当天报告督导，约好下一次联系的时间",
            "Report to the supervisor the same day and fix the next contact",
        ),
    ),
}


def checklist(kind: str, lang: Lang = "zh") -> pd.DataFrame:
    """An observation checklist for role play: one row per item, a blank tick column."""
    if kind not in CHECKLISTS:
        raise PracticeError(
            "error.practice_unknown_checklist", kind=kind, known=", ".join(CHECKLISTS)
        )
    items = [_t(zh, en, lang) for zh, en in CHECKLISTS[kind]]
    return pd.DataFrame(
        {
            _t("观察项", "what to watch for", lang): items,
            _t("看到了（✓/✗）", "seen (✓/✗)", lang): [""] * len(items),
            _t("例句或例子", "example heard", lang): [""] * len(items),
        },
        index=pd.RangeIndex(1, len(items) + 1),
    )


TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "process": (
        ("日期、时间、地点、方式、在场的人", "Date, time, place, way of contact, who was there"),
        ("本次目的（对应服务计划的哪个目标）", "Purpose (which goal of the plan)"),
        (
            "过程：按顺序写谁说了什么、做了什么（尽量用原话）",
            "What happened, in order: who said and did what (own words where possible)",
        ),
        ("社工的观察（看到、听到的事实）", "Worker's observations (facts seen and heard)"),
        (
            "社工的分析与感受（与事实分开）",
            "Worker's analysis and feelings (kept apart from facts)",
        ),
        ("下一步：谁、做什么、什么时候", "Next steps: who, what, by when"),
        ("风险与需要督导讨论的问题", "Risks and questions for supervision"),
    ),
    "summary": (
        ("日期、方式、在场的人", "Date, way of contact, who was there"),
        (
            "要点（3–5 句：发生了什么、有什么变化）",
            "Key points (3-5 sentences: what happened, what changed)",
        ),
        ("与服务目标的关系", "Bearing on the goals"),
        ("风险与安全", "Risk and safety"),
        ("下一步", "Next steps"),
    ),
    "home_visit": (
        (
            "日期、村、同行的人、出发与返回时间",
            "Date, village, who went with you, times out and back",
        ),
        ("见到的人与没见到的人", "Whom you met and whom you did not"),
        ("居住与生活情况（看到的事实）", "Living conditions (facts seen)"),
        ("身体、照顾与情绪", "Health, care and mood"),
        ("安全信号（有或没有，都写）", "Safety signs (write them, present or absent)"),
        ("服务对象的诉求（原话）", "What the client asked for (own words)"),
        ("下一步与需要链接的资源", "Next steps and resources to link"),
    ),
}


def record_template(kind: str, lang: Lang = "zh") -> str:
    """A record template (Markdown): the headings a record of this kind must fill."""
    if kind not in TEMPLATES:
        raise PracticeError(
            "error.practice_unknown_template", kind=kind, known=", ".join(TEMPLATES)
        )
    lines = [
        f"{k}. **{_t(zh, en, lang)}**：{BLANK}" for k, (zh, en) in enumerate(TEMPLATES[kind], 1)
    ]
    return "\n".join(lines).replace("：", ": ") if lang == "en" else "\n".join(lines)


def open_load(world: World, worker_id: str, day: pd.Timestamp = PERIOD_END) -> pd.DataFrame:
    """A worker's open cases on ``day`` (taken in, not closed), riskiest first, by pseudonym."""
    cases = world["cases"]
    mine = cases[(cases["worker_id"] == worker_id) & (cases["intake_on"] <= day)]
    mine = mine[mine["closure_on"].isna() | (mine["closure_on"] > day)]
    order = {"high": 0, "medium": 1, "low": 2}
    mine = mine.assign(_r=mine["risk_level"].map(order)).sort_values(["_r", "case_id"])
    return pd.DataFrame(
        {
            "case_id": mine["case_id"].to_numpy(),
            "pseudonym": [pseudonym(n) for n in mine["notes_zh"]],
            "client_group": mine["client_group"].to_numpy(),
            "need": mine["presenting_need"].to_numpy(),
            "risk_level": mine["risk_level"].to_numpy(),
            "stage": mine["stage"].to_numpy(),
        }
    )


# ------------------------------------------------------------------ interviewing skills 会谈技巧

SKILLS = {
    "listen": ("倾听", "listening"),
    "empathy": ("同理", "empathy"),
    "clarify": ("澄清", "clarifying"),
    "summary": ("摘要", "summarising"),
    "confront": ("对质", "confronting"),
}


def skill_code(word: object) -> str:
    """The skill code of a word a trainee types: 同理, empathy or empathy's code all give it."""
    said = str(word).strip().lower()
    for code, (zh, en) in SKILLS.items():
        if said in (code, zh, en, en.removesuffix("ing")):
            return code
    return said
