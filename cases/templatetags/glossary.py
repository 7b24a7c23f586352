from cases.glossary import register  # noqa: F401  ({% load glossary %}: {% explain "word" %})
