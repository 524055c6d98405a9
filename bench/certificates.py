"""How fast certificates are rendered, and how fast two task workers issue them end to end.

    python bench/certificates.py            # 200 Persian + 200 English renders; 1,000 issued by two workers
    python bench/certificates.py --small    # 20 + 20 renders; 100 issued: the size `make test` runs

Rendering: the median and 95th percentile per certificate, beside the naive way measured in
the same run (a new ``HTML(...).write_pdf()`` of the same document with its styles inline and
WeasyPrint's default fetcher and fonts, each time). Both make PDF/A-3b.

Issuing: a throwaway database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL
is set) gets that many course completions with their issuing tasks queued, then two
``manage.py db_worker --batch`` processes run until the queue is empty; the time is from
starting the workers to their exit, and every certificate is checked to be issued with a file.
"""

import argparse
import functools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"render median (ms)": 30, "issue 1,000 (s)": 30}
NAMES = [
    ("سارا رضایی", "Sara Rezaei"),
    ("علی‌اکبر محمدی", "Ali-Akbar Mohammadi"),
    ("نگار شریفی", "Negar Sharifi"),
    ("کامران تهرانی‌زاده", "Kamran Tehranizadeh"),
]


def render_timings(count: int) -> dict[str, tuple[float, float, float]]:
    import datetime

    from django.utils import translation
    from weasyprint import HTML

    from certificates import rendering
    from certificates.models import CertificateTemplate

    stylesheet = rendering.STYLESHEET.read_text().replace("bundled:", rendering.BUNDLED.as_uri() + "/")
    results = {}
    for language in ("fa", "en"):
        template = CertificateTemplate.built_in(language)
        contents = [
            rendering.CertificateContent(
                code=f"bench{index:027d}",
                verification_url=f"https://training.example.com/{language}/certificates/verify/bench{index:027d}/",
                completed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=index % 300),
                expires_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=index % 300),
                score=80 + index % 20,
                language=language,
                printed_names={
                    "fa": {"name": NAMES[index % 4][0], "course": "همدلی با مشتری"},
                    "en": {"name": NAMES[index % 4][1], "course": "Empathy with customers"},
                },
            )
            for index in range(count)
        ]
        with translation.override(language):
            rendering.render(template, contents[0])  # the first render loads the fonts once per process
            reused = timed(functools.partial(rendering.render, template), contents)
            naive_pages = [
                rendering.certificate_html(template, content).replace("</head>", f"<style>{stylesheet}</style></head>")
                for content in contents
            ]
            naive = timed(lambda html: HTML(string=html).write_pdf(pdf_variant=rendering.PDF_VARIANT), naive_pages)
        results[f"{language} reused"] = summary(reused)
        results[f"{language} naive"] = summary(naive)
    return results


def timed(function, items) -> list[tuple[float, float]]:
    """Wall-clock and CPU milliseconds of ``function`` on each item. The CPU time says what a render costs
    when the machine is busy with other work too."""
    timings = []
    for item in items:
        start, cpu = time.perf_counter(), time.process_time()
        function(item)
        timings.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
    return timings


def summary(timings: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Median and 95th percentile of the wall-clock times, and the median CPU time."""
    wall = [elapsed for elapsed, _cpu in timings]
    return statistics.median(wall), statistics.quantiles(wall, n=20)[-1], statistics.median(cpu for _, cpu in timings)


def issue_end_to_end(count: int) -> tuple[float, float]:
    """Set up a database with ``count`` completions queued for issuing; return the seconds two workers take,
    wall-clock and CPU (both workers together)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.issuing_settings",
            "BENCH_FOLDER": folder,
            "PYTHONPATH": str(ROOT),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([sys.executable, __file__, "--prepare", str(count)], env=env, check=True)
        worker = [*manage, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.05", "-v0"]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        workers = [subprocess.Popen([*worker, "--worker-id", f"bench-{n}"], env=env) for n in (1, 2)]
        for process in workers:
            if process.wait():
                raise RuntimeError("a worker failed")
        elapsed = time.perf_counter() - start
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        subprocess.run([sys.executable, __file__, "--check", str(count)], env=env, check=True)
    return elapsed, cpu


def prepare(count: int) -> None:
    """In the bench database: a course, ``count`` learners who completed it, their issuing tasks queued."""
    import django

    django.setup()
    from django.utils import timezone

    from certificates.tasks import issue_certificate
    from courses.models import CourseCompletion, Enrollment, StaffProfile
    from courses.testing import make_course, make_training_site, make_user

    course = make_course(make_training_site(), "Empathy with customers")
    now = timezone.now()
    for index in range(count):
        persian, latin = NAMES[index % 4]
        first, _space, last = latin.partition(" ")
        user = make_user(f"learner{index}", first_name=first, last_name=last)
        StaffProfile.objects.create(user=user, persian_name=persian, preferred_language=("fa", "en")[index % 2])
        enrollment, _ = Enrollment.objects.enrol(user, course, source=Enrollment.Source.SELF)
        completion = CourseCompletion.objects.create(enrollment=enrollment, cycle=1, completed_at=now)
        issue_certificate.enqueue(completion.pk)


def check(count: int) -> None:
    import django

    django.setup()
    from certificates.models import Certificate

    issued = Certificate.objects.issued().exclude(pdf="").exclude(sha256="").count()
    if issued != count:
        raise SystemExit(f"{issued} of {count} certificates issued")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="a quick run, as `make test` does")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--check", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        return prepare(options.prepare)
    if options.check:
        return check(options.check)

    renders, issues = (20, 100) if options.small else (200, 1000)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    print(f"Rendering {renders} Persian and {renders} English certificates (A4, PDF/A-3b), ms per certificate:")
    print(f"  {'':<12}{'median':>8}{'p95':>8}{'CPU median':>12}")
    for name, (median, p95, cpu) in render_timings(renders).items():
        print(f"  {name:<12}{median:>8.1f}{p95:>8.1f}{cpu:>12.1f}")
    print(f"  goal: median at most {GOALS['render median (ms)']} ms with everything reused")

    seconds, cpu = issue_end_to_end(issues)
    print(f"Issuing {issues} certificates end to end (task, render, store, hash) with two workers: {seconds:.1f} s")
    print(f"  {seconds / issues * 1000:.1f} ms per certificate, {cpu:.1f} CPU s in the two workers")
    print(f"  goal: 1,000 in under {GOALS['issue 1,000 (s)']} s")


if __name__ == "__main__":
    main()
