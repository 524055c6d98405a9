"""A Persian learner finishes a course, downloads the certificate, and its QR code opens a page saying valid."""

import subprocess

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from courses.testing import make_course, make_lesson, make_quiz, make_reflection, make_user, quiz_answers, translate
from tests.browser.conftest import log_in, submit_in_browser

pytestmark = pytest.mark.browser


def test_a_persian_learner_gets_a_certificate_that_verifies(page, live_server, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRAINING_CERTIFICATE_BASE_URL = live_server.url
    quiz, reflection = make_quiz(), make_reflection()
    course = make_course(site, "Listening basics", pass_mark=80)
    make_lesson(course, "Listen first", activities=[quiz])
    make_lesson(course, "Reflect", activities=[reflection])
    persian = translate(course, "fa", title="گوش‌دادن پایه")
    profile = {"preferred_language": "fa", "persian_name": "لیلا احمدی"}
    make_user("leila", first_name="Leila", last_name="Ahmadi", profile=profile)

    log_in(page, live_server, "leila")
    page.goto(live_server.url + persian.url)
    with page.expect_navigation():
        page.get_by_role("button", name="ثبت‌نام در این دوره").click()
    for lesson, activity, data in [
        (course.lessons()[0], quiz, quiz_answers(quiz)),
        (course.lessons()[1], reflection, {"response": "اول گوش دادم و بعد کمک کردم."}),
    ]:
        page.goto(live_server.url + lesson.url)
        submit_in_browser(page, activity, data)

    page.goto(live_server.url + "/fa/my-training/")
    panel = page.locator("section.certificates")
    expect(panel).to_contain_text("گواهی‌های من")
    expect(panel).to_contain_text("معتبر")
    with page.expect_download() as download:
        panel.get_by_role("link", name="دریافت PDF").first.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    (barcode,) = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert barcode.text.startswith(f"{live_server.url}/fa/certificates/verify/")

    page.goto(barcode.text)
    expect(page.locator(".certificate-status")).to_contain_text("معتبر")
    expect(page.locator(".certificate-facts")).to_contain_text("لیلا احمدی")
    expect(page.locator(".certificate-facts")).to_contain_text("گوش‌دادن پایه")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "verify-phone.png"), full_page=True)
