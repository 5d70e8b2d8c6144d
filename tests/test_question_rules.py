"""Rules that read what a question asks, judged on questions of their own."""

from __future__ import annotations

import pytest

from workshop_qa.retriever.stance import asked_stance, asks_every_side


@pytest.mark.parametrize(("question", "every_side"), [
    ("Did the delegations want stricter export controls?", True),
    ("Has anyone objected to the proposal on data retention?", True),
    ("Were any member states opposed to sharing evidence across borders?", True),
    ("Was there disagreement over a register of stolen artefacts?", True),
    ("Who opposed the new instrument?", False),
    ("Which speakers supported more training for prosecutors?", False),
    ("Did the panel meet on a Tuesday?", False),
    ("What did the moderator say about museums?", False),
])
def test_a_yes_or_no_question_about_a_stance_asks_for_every_side(question, every_side):
    assert asks_every_side(question, asked_stance(question)) is every_side
