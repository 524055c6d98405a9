"""Numbers in the active language's digits, and signed numbers that keep their sign in front."""

from django.utils import translation

from courses.formatting import local_signed


def test_a_negative_number_keeps_its_minus_before_the_digits_in_right_to_left_text():
    with translation.override("fa"):
        # A left-to-right mark ties the minus sign to the digits that follow it.
        assert local_signed(-1) == "\u200e\u2212۱"
        assert local_signed(2) == "۲"
    assert local_signed(-12) == "\u200e\u221212"
