"""A rule-based state machine over the dossier lifecycle, through the real views.

Two professionals and two gedragswetenschappers of one team act in turn on a few dossiers:
create, edit, submit, decide, plan, set, evaluate (continue or close), erase. After every
step: no server error, nothing written is lost (each dossier's status and last saved text
are what the model says), every page that showed a family's data left a log row, and the
access log's hash chain verifies.

Examples: RICHTSNOER_MACHINE_EXAMPLES (5 in the normal suite; .ci/run sets more).
"""

import datetime as dt
import os

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from beoordeling.models import EvaluationMoment
from dossiers.models import Dossier
from tests.factories import TeamFactory, UserFactory
from tests.test_dossiers import intake_post
from tests.test_review import confirm_and_set, plan_post
from toegang.chain import verify
from toegang.models import AccessLog
from toegang.retention import dossier_delete_on_request

EXAMPLES = int(os.environ.get("RICHTSNOER_MACHINE_EXAMPLES", "5"))
REACHED: set[str] = set()  # which statuses the runs reached (printed: is the machine deep?)


class Lifecycle(RuleBasedStateMachine):
    dossiers = Bundle("dossiers")

    def __init__(self):
        super().__init__()
        team = TeamFactory()
        self.profs = [UserFactory(professional=True, teams=[team]) for _ in range(2)]
        self.gws = [UserFactory(gedragswetenschapper=True, teams=[team]) for _ in range(2)]
        self.admins = [UserFactory(is_superuser=True, is_staff=True) for _ in range(2)]
        self.clients = {}
        self.model = {}  # pk -> {"status", "text", "writers"}
        self.steps = 0

    # ------------------------------------------------------------ helpers

    def client_for(self, user) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def call(self, user, method, url, data=None):
        client = self.client_for(user)
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        assert response.status_code < 500, (method, url, response.status_code)
        return response

    def alive(self, pk) -> bool:
        return pk in self.model and self.model[pk]["status"] != "erased"

    # ------------------------------------------------------------ rules

    @rule(target=dossiers, who=st.integers(0, 1))
    def create(self, who):
        prof = self.profs[who]
        before = set(Dossier.objects.values_list("pk", flat=True))
        team = prof.teams.get()
        response = self.call(
            prof,
            "POST",
            reverse("dossiers:new"),
            {"family_name": "Machine", "team": team.pk, "toch_nieuw": "1"},
        )
        assert response.status_code == 302
        (pk,) = set(Dossier.objects.values_list("pk", flat=True)) - before
        self.model[pk] = {"status": "concept", "text": "", "writers": {prof.pk}}
        return pk

    @rule(pk=dossiers, who=st.integers(0, 1), text=st.sampled_from(["eerste", "tweede", "ë ß"]))
    def edit(self, pk, who, text):
        if not self.alive(pk):
            return
        prof = self.profs[who]
        dossier = Dossier.objects.get(pk=pk)
        response = self.call(
            prof,
            "POST",
            reverse("dossiers:intake", args=[pk]),
            intake_post(dossier, verklarende_analyse=f"{text} {self.steps}"),
        )
        if self.model[pk]["status"] == "concept":
            assert response.status_code == 302
            self.model[pk]["text"] = f"{text} {self.steps}"
            self.model[pk]["writers"].add(prof.pk)
        else:
            assert response.status_code in {200, 403}  # read-only after submit

    @rule(pk=dossiers, who=st.integers(0, 1))
    def submit(self, pk, who):
        if not self.alive(pk):
            return
        dossier = Dossier.objects.get(pk=pk)
        self.call(
            self.profs[who],
            "POST",
            reverse("dossiers:intake", args=[pk]),
            intake_post(dossier, action="submit", verklarende_analyse=dossier.verklarende_analyse),
        )
        if self.model[pk]["status"] == "concept":
            self.model[pk]["status"] = "ter_beoordeling"
            self.model[pk]["writers"].add(self.profs[who].pk)

    @rule(pk=dossiers, who=st.integers(0, 1))
    def decide_plan_and_set(self, pk, who):
        if not self.alive(pk):
            return
        gw = self.gws[who]
        status = self.model[pk]["status"]
        decided = self.call(
            gw,
            "POST",
            reverse("beoordeling:review", args=[pk]),
            {"child_index": 0, "code": "MST", "decision": "accept"},
        )
        if status != "ter_beoordeling":
            assert decided.status_code in {400, 403, 404, 409}
            return
        assert decided.status_code in {200, 302}
        plan_url = reverse("beoordeling:plan", args=[pk])
        dossier = Dossier.objects.get(pk=pk)
        assert self.call(gw, "POST", plan_url, plan_post(dossier)).status_code == 302
        _, set_response = confirm_and_set(self.client_for(gw), dossier)
        assert set_response.status_code == 200
        self.model[pk]["status"] = Dossier.objects.get(pk=pk).status
        assert self.model[pk]["status"] == "vastgesteld"

    @rule(pk=dossiers, who=st.integers(0, 1), close=st.booleans())
    def evaluate(self, pk, who, close):
        if not self.alive(pk) or self.model[pk]["status"] != "vastgesteld":
            return
        moment = EvaluationMoment.objects.filter(plan__dossier_id=pk, record__isnull=True).first()
        if moment is None:
            return
        response = self.call(
            self.gws[who],
            "POST",
            reverse("beoordeling:evaluation", args=[pk, moment.pk]),
            {
                "result": "deels",
                "summary": "Besproken",
                "next_step": "afsluiten" if close else "doorgaan",
            },
        )
        assert response.status_code == 302
        if close:
            self.model[pk]["status"] = "afgesloten"

    @rule(pk=dossiers, who=st.integers(0, 1))
    def read(self, pk, who):
        if not self.alive(pk):
            return
        user = (self.profs + self.gws)[who * 2]
        before = AccessLog.objects.filter(dossier_id=pk, user=user).count()
        response = self.call(user, "GET", reverse("dossiers:intake", args=[pk]))
        assert response.status_code == 200
        assert AccessLog.objects.filter(dossier_id=pk, user=user).count() == before + 1

    @rule(pk=dossiers)
    def erase(self, pk):
        if not self.alive(pk):
            return
        dossier_delete_on_request(dossier_id=pk, operator=self.admins[0], second=self.admins[1])
        self.model[pk]["status"] = "erased"
        response = self.call(self.profs[0], "GET", reverse("dossiers:intake", args=[pk]))
        assert response.status_code == 404

    # ------------------------------------------------------------ after every step

    @invariant()
    def nothing_written_is_lost(self):
        self.steps += 1
        for pk, expected in self.model.items():
            dossier = Dossier.objects.filter(pk=pk).first()
            if expected["status"] == "erased":
                assert dossier is None
                continue
            assert dossier is not None and dossier.status == expected["status"], pk
            if expected["text"]:
                assert dossier.verklarende_analyse == expected["text"]
            assert set(dossier.editors.values_list("pk", flat=True)) <= expected["writers"]

    def teardown(self):
        REACHED.update(entry["status"] for entry in self.model.values())

    @invariant()
    def the_access_log_verifies(self):
        problem, _last = verify()
        assert problem is None, problem


@pytest.mark.django_db
def test_the_dossier_lifecycle_holds_under_any_order_of_actions(catalogue):
    assert timezone.localdate() > dt.date(2020, 1, 1)
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print("lifecycle statuses reached:", sorted(REACHED))
    assert "concept" in REACHED or "ter_beoordeling" in REACHED or "erased" in REACHED
