"""A service's validation errors land on the form fields that fed it."""

from django import forms
from django.core.exceptions import ValidationError

from kotoverkko.common.forms import apply_service_errors


class DateForm(forms.Form):
    starts_on = forms.DateField(required=False)
    title = forms.CharField(required=False)


def test_field_errors_go_to_their_fields_renamed_ones_to_the_editing_field():
    # given
    form = DateForm(data={})
    error = ValidationError({"title": "Write a title.", "starts_at": "Too early.", "x": "Odd."})
    # when
    form.is_valid()
    apply_service_errors(form, error, {"starts_at": "starts_on"})
    # then
    assert form.errors["title"] == ["Write a title."]
    assert form.errors["starts_on"] == ["Too early."]
    assert form.non_field_errors() == ["Odd."]


def test_an_error_without_fields_goes_above_the_form():
    form = DateForm(data={})
    form.is_valid()
    apply_service_errors(form, ValidationError("The event is cancelled."))
    assert form.non_field_errors() == ["The event is cancelled."]
