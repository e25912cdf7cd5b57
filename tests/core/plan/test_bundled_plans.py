"""The bundled roadmaps read as a mentor would have them, for every starting point.

Each check runs over both plans and each of their starting points: the order
in the file and the order the scheduler really plans, the areas an ML
engineer needs today, a resource under every topic, and sittable pieces.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache

import pytest

from studyplan import paths
from studyplan.core.plan.model import Plan, Topic
from studyplan.core.plan.parse import parse_plan
from studyplan.core.plan.schedule import Course, Enrolment, Progress, plan_run

TAGS = tomllib.loads((paths.bundled_decks() / "tags.toml").read_text(encoding="utf-8"))["tags"]
VOCABULARY = frozenset(TAGS)
SKILLS = frozenset(tag for tag, info in TAGS.items() if info.get("cards", True))
"""Tags with flashcards behind them: skills, as opposed to projects, portfolio or job search."""
PLANS = ("three-month", "multi-year")

MODEL_FAMILIES = frozenset(
    {
        "linear-models",
        "trees-ensembles",
        "svm",
        "knn",
        "clustering",
        "neural-networks",
        "cnn",
        "rnn",
        "transformers",
        "llms",
        "reinforcement-learning",
        "generative-models",
        "recommender-systems",
        "anomaly-detection",
        "time-series",
    }
)
"""Tags of topics that teach a family of models (PCA counts as maths: it is taught with SVD)."""

CORE_AREAS = {
    "LLMs": {"llms"},
    "fine-tuning": {"llm-fine-tuning"},
    "retrieval-augmented generation": {"rag"},
    "vector search": {"vector-search"},
    "SQL": {"sql"},
    "data engineering": {"data-engineering"},
    "ML system design": {"ml-system-design"},
    "production ML": {"deployment", "mlops"},
    "experiment tracking, CI/CD and monitoring": {"mlops"},
    "responsible AI": {"responsible-ai", "fairness"},
    "interpretability": {"interpretability"},
    "privacy": {"privacy"},
    "distributed training or GPUs": {"distributed-training", "gpus"},
    "timed coding practice": {"interview-patterns"},
    "behavioural interviews": {"job-search"},
}
"""What every starting point of every bundled plan must meet, each area as the tags that count."""

POINTS = [("three-month", "default")] + [
    ("multi-year", point) for point in ("scratch", "some-background", "experienced")
]


@cache
def bundled(name: str) -> Plan:
    path = paths.bundled_plans() / f"{name}.md"
    return parse_plan(path.read_text(encoding="utf-8"), str(path), VOCABULARY)


@cache
def planned_order(name: str, point: str) -> tuple[str, ...]:
    """Topic ids in the order the scheduler starts them, for a fresh enrolment at 10 h a week."""
    plan = bundled(name)
    start = date(2026, 1, 5)
    enrolment = Enrolment(plan.id, start, point, (90, 90, 90, 90, 90, 150, 0), 1.0)
    run = plan_run([Course(plan, enrolment, Progress())], start, record_from=start)
    order: list[str] = []
    for day in run.days:
        order += [b.topic.id for b in day.blocks if b.topic.id not in order]
    assert set(order) == {t.id for t in plan.path(point)}, "the run ends with every topic planned"
    return tuple(order)


def requires(plan: Plan, path: tuple[Topic, ...], topic: Topic) -> set[str]:
    """Every topic of the path that ``topic`` needs, directly or through others."""
    on_path = {t.id for t in path}
    seen: set[str] = set()
    todo = [p for p in topic.after if p in on_path]
    while todo:
        tid = todo.pop()
        if tid not in seen:
            seen.add(tid)
            todo += [p for p in plan.topic(tid).after if p in on_path]
    return seen


def is_model_topic(topic: Topic) -> bool:
    return bool(MODEL_FAMILIES & set(topic.tags))


def is_eda(topic: Topic) -> bool:
    """Exploratory analysis and plots: a pandas topic that is also about statistics."""
    return {"pandas", "statistics"} <= set(topic.tags)


@pytest.mark.parametrize(("name", "point"), POINTS)
def test_no_topic_comes_before_its_prerequisites_in_the_file_or_the_schedule(
    name: str, point: str
) -> None:
    plan = bundled(name)
    for order in ([t.id for t in plan.path(point)], list(planned_order(name, point))):
        where = {tid: i for i, tid in enumerate(order)}
        for tid in order:
            for needed in plan.topic(tid).after:
                assert where.get(needed, -1) < where[tid], f"{point}: {tid} before {needed}"


@pytest.mark.parametrize(("name", "point"), POINTS)
def test_data_plots_and_evaluation_come_before_every_model_family(name: str, point: str) -> None:
    plan = bundled(name)
    path = plan.path(point)
    order = planned_order(name, point)
    first = {
        "data preparation": next(
            i for i, t in enumerate(order) if "data-preparation" in plan.topic(t).tags
        ),
        "exploratory plots": next(i for i, t in enumerate(order) if is_eda(plan.topic(t))),
        "evaluation": next(i for i, t in enumerate(order) if "evaluation" in plan.topic(t).tags),
    }
    models = [t for t in path if is_model_topic(t)]
    assert models, f"{point}: no model family at all"
    for topic in models:
        for what, at in first.items():
            assert at < order.index(topic.id), f"{point}: {topic.id} is planned before {what}"
        needed = [plan.topic(tid) for tid in requires(plan, path, topic)]
        assert any("data-preparation" in t.tags for t in needed), f"{point}: {topic.id}"
        assert any("evaluation" in t.tags for t in needed), f"{point}: {topic.id}"


@pytest.mark.parametrize(("name", "point"), POINTS)
def test_each_project_comes_after_the_skills_it_exercises(name: str, point: str) -> None:
    plan = bundled(name)
    path = plan.path(point)
    for k, topic in enumerate(path):
        if "projects" not in topic.tags:
            continue
        assert topic.after, f"{point}: project {topic.id} names no prerequisite"
        taught = {tag for t in path[:k] if "projects" not in t.tags for tag in t.tags}
        missing = (set(topic.tags) & SKILLS) - taught
        assert not missing, (
            f"{point}: project {topic.id} exercises {missing} before they are taught"
        )


@pytest.mark.parametrize(("name", "point"), POINTS)
def test_every_core_area_of_the_job_is_on_every_path(name: str, point: str) -> None:
    tags = {tag for t in bundled(name).path(point) for tag in t.tags}
    missing = [area for area, wanted in CORE_AREAS.items() if not wanted & tags]
    assert missing == [], f"{name} from {point} lacks {missing}"


@pytest.mark.parametrize("name", PLANS)
def test_every_topic_names_one_to_three_resources_and_fits_a_sitting_or_two(name: str) -> None:
    for topic in bundled(name).topics:
        assert 1 <= len(topic.resources) <= 3, f"{name}: {topic.id} has {len(topic.resources)}"
        assert topic.hours <= 8, f"{name}: {topic.id} is {topic.hours} hours"


@pytest.mark.parametrize(("name", "point"), POINTS)
def test_a_week_mixes_subjects_instead_of_one_long_topic(name: str, point: str) -> None:
    # Pieces of at most 8 hours at 10 h a week: no week of a fresh enrolment is a single topic.
    plan = bundled(name)
    start = date(2026, 1, 5)
    enrolment = Enrolment(plan.id, start, point, (90, 90, 90, 90, 90, 150, 0), 1.0)
    run = plan_run([Course(plan, enrolment, Progress())], start, record_from=start)
    weeks: dict[int, set[str]] = {}
    for day in run.days:
        weeks.setdefault((day.day - start).days // 7, set()).update(b.topic.id for b in day.blocks)
    full = [topics for week, topics in sorted(weeks.items())][:-1]  # the last week may be short
    assert full and all(len(topics) >= 2 for topics in full)


def test_the_three_month_plan_says_who_it_is_for_its_hours_and_that_it_is_not_a_job() -> None:
    plan = bundled("three-month")
    # The weekly figure includes the flashcards; the topics alone take 12-14 h a week.
    assert plan.hours_per_week == (13, 15)
    hours, weeks = plan.total_minutes("default") / 60, plan.total_weeks("default")
    assert 12 * weeks <= hours <= 14 * weeks
    assert "Who it is for" in plan.intro and "not enough to be hired" in plan.intro


def test_the_experienced_path_has_the_ml_specific_production_work_and_projects() -> None:
    plan = bundled("multi-year")
    ids = {t.id for t in plan.path("experienced")}
    wanted = {
        "experiment-tracking",
        "ci-cd",
        "monitoring",
        "cv-strategies",
        "nlp-basics",
        "dl-project",
        "llm-project",
        "deploy-project",
        "design-mock-1",
        "coding-round-1",
        "behavioural",
    }
    assert wanted - ids == set()
