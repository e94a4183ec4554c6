"""The implementation pages, opened by every persona: the body concerned (Kent), the owning
organisation (MoJ) and the APCC secretariat read an agreement; Gwent, Dorset, Surrey, the
voluntary-sector member, the Home Office, the administrator and the outsider get a 404 on
every page of it. Then the journeys, without JavaScript: proposing, answering, revising,
milestones, and bad input that leaves a message and changes nothing."""

import datetime
import html

import pytest
from django.urls import reverse

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership, Organisation, Role
from engage.audit.models import AccessAction, AccessLog
from engage.conftest import EVERYONE
from engage.implementation.models import (
    AgreementState,
    ImplementationAgreement,
    Milestone,
    MilestoneStatus,
)
from engage.responses.services import delegation_grant

from .conftest import ROLE, add_milestone, body, implementation_policy, in_days, propose

pytestmark = pytest.mark.django_db

READERS = {"moj_lead", "secretariat", "kent_commissioner"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int], method: str = "get", data=None):
    got, pages = {}, {}
    for name in EVERYONE:
        client = client_for(getattr(personas, name))
        response = getattr(client, method)(url, data or {})
        got[name] = response.status_code
        pages[name] = html.unescape(response.content.decode())
    assert got == expected, url
    return pages


def date_fields(name: str, value: datetime.date) -> dict[str, str]:
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def url(name: str, obj) -> str:
    return reverse(f"implementation:{name}", args=[obj.public_id])


# Who sees what ------------------------------------------------------------------------------


def test_the_agreement_page_is_for_the_body_the_owner_and_the_apcc(personas, client_for, proposed):
    pages = check(
        personas, client_for, url("detail", proposed), expect(404, **dict.fromkeys(READERS, 200))
    )
    for name in READERS:
        assert ROLE in pages[name]
        assert "TLP:AMBER+STRICT" in pages[name]
    assert "Accept the role" in pages["kent_commissioner"]
    assert "Accept the role" not in pages["moj_lead"]
    assert "does not act" in pages["secretariat"]
    assert "Withdraw this proposal" in pages["moj_lead"]
    for name in set(EVERYONE) - READERS:
        assert ROLE not in pages[name]
    logged = AccessLog.objects.filter(object_id=str(proposed.public_id))
    assert logged.filter(label="amber_strict").count() == 3


@pytest.mark.parametrize(
    "name",
    ["accept", "decline", "changes", "accept_changes", "revise", "withdraw", "milestone_add"],
)
def test_every_action_page_is_invisible_to_those_not_party(personas, client_for, proposed, name):
    codes = {}
    for persona in set(EVERYONE) - READERS:
        client = client_for(getattr(personas, persona))
        codes[persona] = (
            client.get(url(name, proposed)).status_code,
            client.post(url(name, proposed), {"reason": "x", "note": "x"}).status_code,
        )
    assert set(codes.values()) == {(404, 404)}
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED


def test_the_milestone_update_page_is_invisible_to_those_not_party(personas, client_for, agreed):
    milestone = add_milestone(agreed, personas.kent_commissioner)
    codes = expect(404, moj_lead=200, kent_commissioner=200, secretariat=302)
    check(personas, client_for, url("milestone_update", milestone), codes)
    data = {"status": MilestoneStatus.DONE, "note": "Done."}
    posted = expect(404, moj_lead=302, kent_commissioner=302, secretariat=302)
    # Gwent, Dorset and the rest: 404 and nothing changed; the secretariat is told it reads only.
    for name in set(EVERYONE) - READERS:
        response = client_for(getattr(personas, name)).post(
            url("milestone_update", milestone), data
        )
        assert response.status_code == posted[name]
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED
    response = client_for(personas.secretariat).post(
        url("milestone_update", milestone), data, follow=True
    )
    assert "does not act" in html.unescape(response.content.decode())
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED


def test_the_status_page_is_for_the_owner_and_the_apcc(personas, client_for, policy, proposed):
    pages = check(
        personas,
        client_for,
        url("status", policy),
        expect(404, moj_lead=200, secretariat=200),
    )
    for name in ("moj_lead", "secretariat"):
        assert "app-map" in pages[name]
        assert body("kent").organisation.name in pages[name]
        assert "Awaiting the body" in pages[name]
    assert "Propose a local role" in pages["moj_lead"]
    assert "Propose a local role" not in pages["secretariat"]


def test_the_apcc_does_not_see_the_status_of_a_policy_with_no_agreement(
    personas, client_for, policy
):
    check(personas, client_for, url("status", policy), expect(404, moj_lead=200))


def test_the_bodys_list_shows_its_own_roles_only(personas, client_for, policy, proposed):
    propose(personas, policy, "gwent")
    codes = expect(
        403,
        kent_commissioner=200,
        gwent_commissioner=200,
        gwent_staff=200,
        dorset_commissioner=200,
        surrey_ceo=200,
    )
    pages = check(personas, client_for, reverse("implementation:ours"), codes)
    assert policy.title in pages["kent_commissioner"]
    assert "TLP:AMBER+STRICT" in pages["kent_commissioner"]
    assert policy.title in pages["gwent_staff"]
    assert policy.title not in pages["dorset_commissioner"]
    assert "No policy lead has proposed" in pages["dorset_commissioner"]


def test_the_owners_list(personas, client_for, policy, proposed):
    codes = expect(403, moj_lead=200, ho_lead=200, secretariat=200)
    pages = check(personas, client_for, reverse("implementation:proposed"), codes)
    assert policy.title in pages["moj_lead"]
    assert policy.title in pages["secretariat"]
    assert policy.title not in pages["ho_lead"]


def test_the_propose_page_is_for_a_lead_of_the_owner(personas, client_for, policy):
    codes = expect(404, moj_lead=200)
    pages = check(personas, client_for, url("propose", policy), codes)
    assert "Which policing bodies?" in pages["moj_lead"]


def test_anonymous_people_are_sent_to_sign_in(client, proposed, policy):
    for target in (
        url("detail", proposed),
        url("accept", proposed),
        url("status", policy),
        url("propose", policy),
        reverse("implementation:ours"),
        reverse("implementation:proposed"),
    ):
        assert client.get(target).status_code == 302


# Journeys -----------------------------------------------------------------------------------


def test_the_lead_proposes_to_several_bodies_from_the_form(personas, client_for, policy):
    client = client_for(personas.moj_lead)
    data = {
        "bodies": [body("kent").pk, body("gwent").pk],
        "role": ROLE,
        "support": "A project officer.",
        "label": "amber",
        **date_fields("due_on", in_days(60)),
    }
    response = client.post(url("propose", policy), data)
    assert response.status_code == 302
    assert response["Location"] == url("status", policy)
    made = ImplementationAgreement.objects.filter(policy=policy)
    assert sorted(a.body.organisation.slug for a in made) == ["gwent", "kent"]
    assert {a.label for a in made} == {"amber"}
    # Kent is no longer offered.
    page = client.get(url("propose", policy)).content.decode()
    assert f'value="{body("kent").pk}"' not in page


def test_bad_proposals_show_an_error_summary_and_change_nothing(personas, client_for, policy):
    client = client_for(personas.moj_lead)
    yesterday = in_days(-2)
    response = client.post(
        url("propose", policy),
        {"bodies": [], "role": "", "label": "red", **date_fields("due_on", yesterday)},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose at least one policing body" in page
    assert "Describe the local role" in page
    assert "Choose TLP:AMBER+STRICT, TLP:AMBER, TLP:GREEN or TLP:CLEAR" in page
    assert page.startswith("<!DOCTYPE html>") or "<title>Error:" in page
    response = client.post(
        url("propose", policy),
        {
            "bodies": [body("kent").pk],
            "role": ROLE,
            "label": "amber_strict",
            **date_fields("due_on", yesterday),
        },
    )
    assert "The date must be today or later" in html.unescape(response.content.decode())
    assert not ImplementationAgreement.objects.exists()


def test_a_policy_not_in_implementation_or_screened_out_says_why(personas, client_for):
    client = client_for(personas.moj_lead)
    development = implementation_policy(personas, stage="development")
    response = client.get(url("propose", development))
    assert response.status_code == 403
    assert "only for a policy in implementation" in html.unescape(response.content.decode())
    screened = implementation_policy(
        personas, triage_outcome="screened_out", national_security=True
    )
    response = client.get(url("propose", screened))
    assert response.status_code == 403
    assert "outside the protocol" in html.unescape(response.content.decode())
    response = client.post(url("propose", screened), {"bodies": [body("kent").pk]})
    assert response.status_code == 403
    assert not ImplementationAgreement.objects.exists()
    # Both attempts on the screened-out policy are recorded, confidential to its owner.
    refused = AccessLog.objects.filter(
        action=AccessAction.REFUSED, object_type="policy", object_id=str(screened.public_id)
    )
    assert refused.count() == 2
    assert {entry.confidential_to_id for entry in refused} == {screened.owner_id}


def test_the_body_accepts_after_a_confirmation(personas, client_for, proposed):
    client = client_for(personas.kent_commissioner)
    page = html.unescape(client.get(url("accept", proposed)).content.decode())
    assert "can no longer change" in page
    assert ROLE in page
    response = client.post(url("accept", proposed))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.AGREED


def test_changes_then_revision_then_acceptance_through_the_pages(personas, client_for, proposed):
    kent = client_for(personas.kent_commissioner)
    lead = client_for(personas.moj_lead)
    response = kent.post(
        url("changes", proposed),
        {"role": ROLE, "support": "", "note": "", **date_fields("due_on", in_days(150))},
    )
    assert "Say what you have changed and why" in html.unescape(response.content.decode())
    kent.post(
        url("changes", proposed),
        {"role": ROLE, "support": "", "note": "Later.", **date_fields("due_on", in_days(150))},
    )
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.CHANGES_PROPOSED
    # Out of turn: the page says whose turn it is, and nothing changes.
    response = kent.get(url("accept", proposed), follow=True)
    assert "policy lead's turn" in html.unescape(response.content.decode())
    lead.post(
        url("revise", proposed),
        {
            "role": ROLE,
            "support": "More support.",
            "label": "amber_strict",
            "note": "Meet halfway.",
            **date_fields("due_on", in_days(120)),
        },
    )
    proposed.refresh_from_db()
    assert (proposed.state, proposed.due_on) == (AgreementState.PROPOSED, in_days(120))
    kent.post(url("accept", proposed))
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.AGREED
    page = html.unescape(lead.get(url("detail", proposed)).content.decode())
    for text in ("Proposed changes", "Revised the proposal", "Accepted", "Meet halfway."):
        assert text in page


def test_decline_needs_reasons_on_the_page(personas, client_for, proposed):
    kent = client_for(personas.kent_commissioner)
    response = kent.post(url("decline", proposed), {"reason": ""})
    assert "Say why your body declines this role" in html.unescape(response.content.decode())
    kent.post(url("decline", proposed), {"reason": "No capacity."})
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.DECLINED


def test_milestones_through_the_pages_with_overdue_shown(personas, client_for, agreed):
    kent = client_for(personas.kent_commissioner)
    lead = client_for(personas.moj_lead)
    response = kent.post(
        url("milestone_add", agreed),
        {"title": "Board convened", **date_fields("due_on", in_days(-3))},
    )
    assert "The date must be on or after" in html.unescape(response.content.decode())
    kent.post(
        url("milestone_add", agreed),
        {"title": "Board convened", **date_fields("due_on", in_days(3))},
    )
    milestone = Milestone.objects.get()
    lead.post(url("milestone_update", milestone), {"status": "at_risk", "note": "Chair away."})
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.AT_RISK
    Milestone.objects.filter(pk=milestone.pk).update(due_on=in_days(-1))
    page = html.unescape(lead.get(url("detail", agreed)).content.decode())
    assert "Overdue" in page
    status_page = html.unescape(lead.get(url("status", agreed.policy)).content.decode())
    assert "Overdue" in status_page
    table = status_page[status_page.index("Every policing body's role") :]
    # Kent's overdue role heads the table, before the bodies not asked.
    assert table.index(body("kent").organisation.name) < table.index("Not asked")
    ours = html.unescape(kent.get(reverse("implementation:ours")).content.decode())
    assert "Overdue" in ours


def test_the_status_page_filters(personas, client_for, policy, agreed):
    propose(personas, policy, "gwent")
    lead = client_for(personas.moj_lead)
    page = html.unescape(lead.get(url("status", policy), {"summary": "proposed"}).content.decode())
    assert body("gwent").organisation.name in page
    assert f">{body('kent').organisation.name}</a></th>" not in page
    bad = lead.get(url("status", policy), {"summary": "nonsense"})
    assert bad.status_code == 200  # an unknown filter shows every body


def test_comments_from_either_side(personas, client_for, agreed):
    kent = client_for(personas.kent_commissioner)
    kent.post(url("comment", agreed), {"note": "Board meets on Monday."})
    kent.post(url("comment", agreed), {"note": ""})
    page = html.unescape(client_for(personas.moj_lead).get(url("detail", agreed)).content.decode())
    assert "Board meets on Monday." in page
    assert agreed.events.filter(kind="comment").count() == 1


# The policy page and the inbox --------------------------------------------------------------


def test_the_policy_page_panel(personas, client_for, policy, proposed):
    page = html.unescape(
        client_for(personas.moj_lead)
        .get(reverse("policies:detail", args=[policy.public_id]))
        .content.decode()
    )
    assert "Implementation agreements: 1 proposed, 0 agreed" in page
    assert "Propose a local role" in page


def test_the_inbox_counts_what_waits(personas, client_for, policy, agreed):
    propose(personas, policy, "gwent")
    milestone = add_milestone(agreed, personas.kent_commissioner)
    Milestone.objects.filter(pk=milestone.pk).update(due_on=in_days(-1))
    inbox = reverse("engagements:inbox")

    def text(name):
        return html.unescape(client_for(getattr(personas, name)).get(inbox).content.decode())

    assert (
        "Implementation roles: awaiting your answer 0; overdue or at risk 1; "
        "milestones due within 14 days 0"
    ) in text("kent_commissioner")
    # A milestone falling due soon shows; so does the role itself once past its own date.
    soon = add_milestone(agreed, personas.kent_commissioner)
    Milestone.objects.filter(pk=soon.pk).update(due_on=in_days(3))
    type(agreed).objects.filter(pk=agreed.pk).update(due_on=in_days(-2))
    assert (
        "Implementation roles: awaiting your answer 0; overdue or at risk 2; "
        "milestones due within 14 days 1"
    ) in text("kent_commissioner")
    assert "Implementation roles: awaiting your answer 1; overdue or at risk 0" in text(
        "gwent_staff"
    )
    assert "Implementation roles:" not in text("dorset_commissioner")
    assert "Implementation roles: 0 with changes proposed" in text("moj_lead")
    assert "Implementation roles: 0 with changes proposed" in text("ho_lead")
    for name in ("vcs_member", "outsider", "admin"):
        assert "Implementation roles" not in text(name)


def test_accept_for_kent_while_acting_for_gwent_says_so(personas, client_for, proposed):
    kent = Organisation.objects.get(slug="kent")
    Membership.objects.create(user=personas.gwent_staff, organisation=kent, role=Role.OPCC_STAFF)
    client = client_for(personas.gwent_staff)
    session = client.session
    session[SESSION_KEY] = str(Organisation.objects.get(slug="gwent").public_id)
    session.save()
    page = html.unescape(client.post(url("accept", proposed), follow=True).content.decode())
    assert "you are acting for" in page
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED
    session[SESSION_KEY] = str(kent.public_id)
    session.save()
    # Acting for Kent as its staff: only with the commissioner's delegation (it commits Kent).
    page = html.unescape(client.post(url("accept", proposed), follow=True).content.decode())
    assert "Only the commissioner of Police and Crime Commissioner for Kent" in page
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.PROPOSED
    delegation_grant(
        body=proposed.body, delegate=personas.gwent_staff, by=personas.kent_commissioner
    )
    client.post(url("accept", proposed))
    proposed.refresh_from_db()
    assert proposed.state == AgreementState.AGREED


def test_an_implementation_update_offers_a_role_and_counts_them(
    personas, client_for, policy, victims
):
    from engage.engagements.tests.conftest import open_engagement

    update_ = open_engagement(personas, policy, groups=[victims], kind="implementation")
    page = html.unescape(
        client_for(personas.moj_lead)
        .get(reverse("engagements:detail", args=[update_.public_id]))
        .content.decode()
    )
    propose_url = f"{url('propose', policy)}?engagement={update_.public_id}"
    assert propose_url in page
    form = html.unescape(client_for(personas.moj_lead).get(propose_url).content.decode())
    assert f'value="{update_.public_id}" selected' in form
    propose(personas, policy, "kent", engagement=update_)
    kent = html.unescape(
        client_for(personas.kent_commissioner)
        .get(reverse("engagements:detail", args=[update_.public_id]))
        .content.decode()
    )
    assert "Roles proposed in this update that you can read: 1 proposed, 0 agreed" in kent
    assert propose_url not in kent
    gwent = html.unescape(
        client_for(personas.gwent_commissioner)
        .get(reverse("engagements:detail", args=[update_.public_id]))
        .content.decode()
    )
    assert "Local roles" not in gwent  # Gwent reads the update, not Kent's role


def test_the_status_csv_is_labelled_and_for_the_same_people(personas, client_for, policy, agreed):
    target = url("status_csv", policy)
    check(personas, client_for, target, expect(404, moj_lead=200, secretariat=200))
    response = client_for(personas.moj_lead).get(target)
    text = response.content.decode()
    assert text.startswith("TLP:AMBER+STRICT")
    assert "Recipient: Priya Shah" in text
    assert f'{body("kent").organisation.name},"Agreed, no milestones yet"' in text
    assert "TLP-AMBER+STRICT.csv" in response["Content-Disposition"]
    assert AccessLog.objects.filter(action="export", object_id=str(policy.public_id)).exists()


def test_the_policy_panel_for_each_reader(personas, client_for, policy, victims, proposed):
    from engage.engagements.tests.conftest import open_engagement

    open_engagement(personas, policy, groups=[victims])  # so Kent and the APCC see the policy
    target = reverse("policies:detail", args=[policy.public_id])

    def page(name):
        return html.unescape(client_for(getattr(personas, name)).get(target).content.decode())

    secretariat = page("secretariat")
    assert "Implementation agreements: 1 proposed, 0 agreed" in secretariat
    assert "Propose a local role" not in secretariat
    assert url("status", policy) in secretariat
    kent = page("kent_commissioner")
    assert url("detail", proposed) in kent
    assert url("status", policy) not in kent
    gwent = page("gwent_staff")  # reads the policy through the engagement, has no role
    assert "Implementation roles" not in gwent


def test_no_propose_link_once_the_policy_leaves_implementation_or_is_screened_out(
    personas, client_for, policy, proposed
):
    from engage.policies.services import policy_change_stage

    from .test_services import screen_out

    lead = client_for(personas.moj_lead)
    target = reverse("policies:detail", args=[policy.public_id])
    policy_change_stage(policy=policy, stage="evaluation", by=personas.moj_lead)
    page = html.unescape(lead.get(target).content.decode())
    assert "Implementation agreements: 1 proposed" in page
    assert url("propose", policy) not in page
    screen_out(policy, personas)
    page = html.unescape(lead.get(target).content.decode())
    assert url("propose", policy) not in page
    other = implementation_policy(personas, stage="development")
    page = html.unescape(
        lead.get(reverse("policies:detail", args=[other.public_id])).content.decode()
    )
    assert 'id="implementation"' not in page  # no role, not in implementation: no section
