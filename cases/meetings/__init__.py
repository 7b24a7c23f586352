"""Talks: with the parents (step 3), with the pupil, zorgteam, MDO, casuistiekoverleg."""
