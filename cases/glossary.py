"""One line of help under each word of meldcode jargon, where the word appears.

A new ib'er or teacher meets words the protocol uses and nobody explains: the
Verwijsindex, the kindcheck, a casuïstiekoverleg, the parents' zienswijze. The line
says what the word means for this school, in plain Dutch, next to where it is used.
"""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

GLOSSARY = {
    "verwijsindex": _(
        "The Verwijsindex is the regional register in which professionals show that they "
        "are involved with a child, so that they can find each other. It holds no content "
        "about the worries, only who is involved."
    ),
    "kindcheck": _(
        "The kindcheck: find out which other children live in the family or are cared for "
        "by the same adults, because they may need protection too."
    ),
    "parents_view": _(
        "The parents' view (zienswijze): their own reaction to the signals or the "
        "dossier, in their own words. It is shown as theirs, never as the school's."
    ),
    "casuistry": _(
        "A casuïstiekoverleg: a meeting in which the case is discussed with experts, "
        "without the pupil's name unless the parents gave consent."
    ),
}


@register.simple_tag
def explain(word: str) -> str:
    """The help line for a jargon word ("" for a word without one)."""
    return GLOSSARY.get(str(word), "")
