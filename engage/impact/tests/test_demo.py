"""The impact demo: Leeds Women's Centre's shared evidence and its case for West Yorkshire, as
sample content; safe to run again; a clear error when the plans demo has not run."""

import pytest

from engage.impact.demo import DemoPrerequisiteMissing, seed_impact_demo
from engage.impact.models import ImpactCase, ImpactEvidence
from engage.impact.selectors import case_content

pytestmark = pytest.mark.django_db


def test_the_demo_needs_west_yorkshire_s_plan_first(personas):
    with pytest.raises(DemoPrerequisiteMissing, match="run the plans demo first"):
        seed_impact_demo()
    assert not ImpactEvidence.objects.exists()


def test_the_demo_records_shared_sample_evidence_and_a_case_once(personas, vawg, wy_member):
    seed_impact_demo()
    seed_impact_demo()
    evidence = ImpactEvidence.objects.get()
    assert evidence.is_sample
    assert evidence.is_shared
    assert evidence.priority == vawg
    assert evidence.created_by == personas.vcs_member
    assert evidence.people_reached == 640
    assert evidence.cost == 186000
    outcomes = list(evidence.outcomes.all())
    assert len(outcomes) == 2
    assert all(o.measure and o.baseline and o.result for o in outcomes)
    case = ImpactCase.objects.get()
    assert case.is_sample
    assert case.title == "Our impact on West Yorkshire's priorities"
    assert case.body.slug == "west-yorkshire"
    content = case_content(personas.vcs_member, case)
    assert [section.priority for section in content.sections] == [vawg]
    assert [row.pk for row in content.sections[0].evidence] == [evidence.pk]
