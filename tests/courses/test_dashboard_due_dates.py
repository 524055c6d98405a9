"""What a learner reads on /my-training/ about courses overdue and due soon, in English and in Persian."""

import datetime
import re

import pytest
import time_machine
from django.utils.html import strip_tags

from courses.models import CourseCompletion, Cycle, Enrollment
from courses.testing import make_course, translate

TODAY = datetime.date(2026, 11, 23)  # 2 Azar 1405


@pytest.fixture
def on_the_day():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def dashboard(on_the_day, learner_client, learner, index, fa):
    """Three courses assigned a while ago, each in both languages: one overdue, one due soon, one due later."""
    for title, persian_title, days in [
        ("Calm under fire", "آرامش زیر فشار", -3),
        ("Saying sorry", "عذرخواهی", 3),
        ("Long calls", "تماس‌های طولانی", 30),
    ]:
        course = make_course(index, title)
        translate(course, fa, title=persian_title)
        Enrollment.objects.enrol(
            learner, course, source=Enrollment.Source.ASSIGNED, due_date=TODAY + datetime.timedelta(days=days)
        )

    def read(url: str) -> dict[str, list[str]]:
        """Each section's heading with the text of its cards, one line per card."""
        response = learner_client.get(url)
        assert response.status_code == 200
        sections = {}
        for section in re.findall(r'<section aria-labelledby="section-.*?</section>', response.text, flags=re.DOTALL):
            heading = strip_tags(re.search(r"<h2[^>]*>(.*?)</h2>", section, flags=re.DOTALL)[1]).strip()
            cards = re.findall(r'<li class="card\b.*?</li>\s*(?=<li class="card|</ul>)', section, flags=re.DOTALL)
            sections[heading] = [" ".join(strip_tags(card).split()) for card in cards]
        return sections

    return read


def test_an_overdue_course_and_one_due_soon_show_in_their_sections_with_their_dates(dashboard):
    sections = dashboard("/my-training/")

    assert sections == {
        "Overdue": ["Calm under fire Overdue was due 20 November 2026 0% complete"],
        "Not started": [
            "Saying sorry Not started due by 26 November 2026 Due soon 0% complete",
            "Long calls Not started due by 23 December 2026 0% complete",
        ],
    }


def test_the_persian_dashboard_gives_the_same_sections_with_jalali_dates(dashboard):
    sections = dashboard("/fa/my-training/")

    assert sections == {
        "از مهلت گذشته": ["آرامش زیر فشار از مهلت گذشته مهلتش ۲۹ آبان ۱۴۰۵ بود ۰٪ تکمیل‌شده"],
        "شروع‌نشده": [
            "عذرخواهی شروع‌نشده مهلت تا ۵ آذر ۱۴۰۵ نزدیک به مهلت ۰٪ تکمیل‌شده",
            "تماس‌های طولانی شروع‌نشده مهلت تا ۲ دی ۱۴۰۵ ۰٪ تکمیل‌شده",
        ],
    }


def test_a_cards_history_lists_each_cycle_with_its_dates_in_either_language(
    on_the_day, learner_client, learner, index, fa
):
    course = make_course(index, "Calm under fire")
    translate(course, fa, title="آرامش زیر فشار")
    enrollment = Enrollment.objects.create(user=learner, course=course, source="assigned", cycle=2)
    Cycle.objects.create(
        enrollment=enrollment, number=1, opened_on=datetime.date(2025, 10, 1), due_on=datetime.date(2025, 11, 1)
    )
    Cycle.objects.create(
        enrollment=enrollment,
        number=2,
        is_refresher=True,
        opened_on=datetime.date(2026, 10, 12),
        due_on=datetime.date(2026, 11, 11),
    )
    CourseCompletion.objects.create(
        enrollment=enrollment,
        cycle=1,
        completed_at=datetime.datetime(2025, 10, 12, 12, tzinfo=datetime.UTC),
        valid_from=datetime.date(2025, 10, 12),
        valid_until=datetime.date(2026, 11, 11),
        refresher_opens_on=datetime.date(2026, 10, 12),
        grace_until=datetime.date(2026, 11, 11),
    )

    def history(url: str) -> list[str]:
        page = learner_client.get(url).text
        items = re.search(r'<ol class="history__list" reversed>(.*?)</ol>', page, flags=re.DOTALL)[1]
        return [" ".join(strip_tags(item).split()) for item in re.findall(r"<li>.*?</li>", items, flags=re.DOTALL)]

    assert history("/my-training/") == [
        "Refresher · opened 12 October 2026 · due 11 November 2026",
        "First time · opened 1 October 2025 · completed 12 October 2025 · valid until 11 November 2026",
    ]
    assert history("/fa/my-training/") == [
        "بازآموزی · گشایش ۲۰ مهر ۱۴۰۵ · مهلت ۲۰ آبان ۱۴۰۵",
        "بار نخست · گشایش ۹ مهر ۱۴۰۴ · تکمیل ۲۰ مهر ۱۴۰۴ · معتبر تا ۲۰ آبان ۱۴۰۵",
    ]
