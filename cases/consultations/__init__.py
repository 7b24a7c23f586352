"""Step 2: consultations, the parents' written consent, and the Verwijsindex."""
