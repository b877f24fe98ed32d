"""allauth's login form with our own wording; no logic of its own."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # allauth puts a "forgot password" link in the field's help text; the page has its own.
        self.fields["password"].help_text = ""
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
