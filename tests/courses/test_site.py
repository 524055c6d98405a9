"""What the site answers outside its pages."""

from django.contrib.staticfiles import finders


def test_the_favicon_is_the_sites_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("courses/favicon.ico")
    assert finders.find("courses/favicon.ico")
