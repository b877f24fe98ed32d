"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms
from django.utils.formats import number_format


class LengthLimitsShown:
    """Says each text field's length limit in its help text ("Maximaal 100 tekens.").

    Django already puts the limit on the input (``maxlength``), so the browser stops at it;
    saying it at the field means nobody is surprised by that, and ``static/js/intake.js``
    says so aloud when typing or pasting reaches it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and field.max_length
                and not field.widget.is_hidden
            ):
                limit = f"Maximaal {number_format(field.max_length, force_grouping=True)} tekens."
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit
